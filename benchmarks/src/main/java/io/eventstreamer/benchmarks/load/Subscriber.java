package io.eventstreamer.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One subscriber connection over plain NIO, driven by its {@link ClientLoop} thread only: the
 * socket, the HTTP request that opens it, and what every transport's messages mean to the load
 * client. {@link WsConnection} and {@link SseConnection} add how their stream is framed.
 *
 * <p>Kept cheap on purpose so that the client is never what limits a benchmark: messages are
 * parsed in place in the loop's read buffer, event messages are never decoded as JSON (the
 * publisher's stamp is found by scanning for {@code "bench":"}), and nothing is allocated per event.
 */
abstract class Subscriber {
    enum Kind { COUNTED, CHURN, SLOW }

    enum State { CONNECTING, HANDSHAKE, OPEN, CLOSED }

    private static final byte[] BENCH = "\"bench\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = "\"type\":\"ping\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACK = "\"type\":\"subscription-ack\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DROPPED = "events-dropped".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DROPPED_COUNT = "\"dropped\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SCAN_LIMIT = 256;

    final LoadClient client;
    private final ClientLoop loop;
    final Kind kind;
    final int number;
    private final long openedAtNanos = System.nanoTime();
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>(2);
    SocketChannel channel;
    SelectionKey key;
    State state = State.CONNECTING;
    private boolean subscribed;
    private byte[] partial;
    private int partialLength;
    /** When the read being parsed returned, in epoch microseconds. */
    private long readAtMicros;

    Subscriber(LoadClient client, ClientLoop loop, Kind kind, int number) {
        this.client = client;
        this.loop = loop;
        this.kind = kind;
        this.number = number;
    }

    /** The HTTP request that opens the connection. */
    abstract String request();

    /** The status line's start that means the stream is open, e.g. {@code HTTP/1.1 101}. */
    abstract String openStatus();

    /**
     * The response's header is in; {@code header} holds it, status line included. Returns false
     * (after failing the connection) when the stream can't be read.
     */
    abstract boolean opened(String header);

    /** Parses what follows the header in a[p, end); returns where the first incomplete unit starts. */
    abstract int body(byte[] a, int p, int end);

    /** The server's {@code ping} message arrived. */
    abstract void ping();

    /** A sign of life without reading anything, for a subscriber that never reads. */
    abstract void sendSignOfLife();

    /** Closes from the client side: cleanly or with a reset. Loop thread only. */
    abstract void close(boolean clean);

    Kind kind() {
        return kind;
    }

    ClientLoop loop() {
        return loop;
    }

    long openedAtNanos() {
        return openedAtNanos;
    }

    boolean isSubscribed() {
        return subscribed && state == State.OPEN;
    }

    /** Starts a non-blocking connect from {@code source}; runs on the loop thread. */
    void start(InetAddress source, InetSocketAddress target) {
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.bind(new InetSocketAddress(source, 0));
            key = channel.register(loop.selector(), 0, this);
            if (channel.connect(target)) {
                connected();
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | RuntimeException e) {
            fail("connect: " + e);
        }
    }

    void onConnectable() {
        try {
            if (channel.finishConnect()) {
                connected();
            }
        } catch (IOException e) {
            fail("connect: " + e);
        }
    }

    private void connected() {
        state = State.HANDSHAKE;
        key.interestOps(SelectionKey.OP_READ);
        write(ByteBuffer.wrap(request().getBytes(StandardCharsets.US_ASCII)));
    }

    void onReadable(ByteBuffer buffer) {
        buffer.clear();
        if (partialLength > 0) {
            buffer.put(partial, 0, partialLength);
            partialLength = 0;
        }
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            closed(true);
            return;
        }
        if (n < 0) {
            closed(true);
            return;
        }
        // Every message of one read arrived by now: one clock reading serves them all.
        readAtMicros = EpochMicros.now();
        byte[] a = buffer.array();
        int end = buffer.position();
        int p = 0;
        if (state == State.HANDSHAKE) {
            int headerEnd = indexOf(a, 0, end, HEADER_END);
            if (headerEnd < 0) {
                keep(a, 0, end);
                return;
            }
            String header = new String(a, 0, headerEnd, StandardCharsets.US_ASCII);
            if (!header.startsWith(openStatus())) {
                fail("handshake: " + header.substring(0, indexOrEnd(a, 0, headerEnd, (byte) '\r')));
                return;
            }
            state = State.OPEN;
            client.handshakeDone(this);
            if (!opened(header)) {
                return;
            }
            p = headerEnd + HEADER_END.length;
        }
        p = body(a, p, end);
        if (p < end && state == State.OPEN) {
            keep(a, p, end);
        }
    }

    /** One message of the protocol (its JSON), as the WebSocket client would get it. */
    final void message(byte[] a, int start, int len) {
        int scanEnd = start + Math.min(len, SCAN_LIMIT);
        int at = indexOfBench(a, start, scanEnd);
        if (at >= 0) {
            int i = at + BENCH.length;
            long stamp = 0;
            while (a[i] != ':') {
                stamp = stamp * 10 + (a[i++] - '0');
            }
            i++;
            long seq = 0;
            while (a[i] != '"') {
                seq = seq * 10 + (a[i++] - '0');
            }
            if (kind == Kind.COUNTED) {
                client.measurement().record(seq, readAtMicros - stamp, len);
            }
            return;
        }
        int end = start + len;
        if (indexOf(a, start, end, PING) >= 0) {
            ping();
        } else if (indexOf(a, start, end, ACK) >= 0) {
            if (!subscribed) {
                subscribed = true;
                client.subscribed(this);
                if (kind == Kind.SLOW) {
                    key.interestOps(0); // never reads again
                    loop.keepAlive(this);
                }
            }
        } else if (indexOf(a, start, end, DROPPED) >= 0) {
            int c = indexOf(a, start, end, DROPPED_COUNT);
            long dropped = 0;
            for (int i = c + DROPPED_COUNT.length; c >= 0 && i < end && a[i] >= '0' && a[i] <= '9'; i++) {
                dropped = dropped * 10 + (a[i] - '0');
            }
            client.droppedNotice(kind, Math.max(dropped, 1));
        } else if (indexOf(a, start, end, ERROR) >= 0) {
            client.serverError(new String(a, start, len, StandardCharsets.UTF_8));
        }
    }

    final void write(ByteBuffer buffer) {
        if (state == State.CLOSED) {
            return;
        }
        if (!out.isEmpty()) {
            out.add(buffer);
            return;
        }
        try {
            channel.write(buffer);
        } catch (IOException e) {
            closed(true);
            return;
        }
        if (buffer.hasRemaining()) {
            out.add(buffer);
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    void onWritable() {
        try {
            while (!out.isEmpty()) {
                ByteBuffer b = out.peek();
                channel.write(b);
                if (b.hasRemaining()) {
                    return;
                }
                out.poll();
            }
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        } catch (IOException e) {
            closed(true);
        }
    }

    /** Closes with a reset instead of a FIN. */
    final void reset() {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            // closing anyway
        }
    }

    final void closed(boolean byServer) {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSED;
        partial = null;
        closeChannel();
        client.closed(this, wasOpen, subscribed, byServer);
    }

    final void fail(String why) {
        State was = state;
        state = State.CLOSED;
        closeChannel();
        client.failed(this, was == State.OPEN, why);
    }

    private void closeChannel() {
        try {
            if (key != null) {
                key.cancel();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // nothing to do
        }
    }

    private void keep(byte[] a, int from, int to) {
        int n = to - from;
        if (partial == null || partial.length < n) {
            partial = new byte[Math.max(n, 512)];
        }
        System.arraycopy(a, from, partial, 0, n);
        partialLength = n;
    }

    /**
     * {@code indexOf(a, from, to, BENCH)}, faster: it looks for the rare 'b' rather than for the
     * quotes that fill every JSON text (this runs once per delivery).
     */
    private static int indexOfBench(byte[] a, int from, int to) {
        int last = to - BENCH.length;
        for (int i = from + 1; i <= last + 1; i++) {
            if (a[i] == 'b' && a[i - 1] == '"' && Arrays.equals(a, i, i + BENCH.length - 1, BENCH, 1, BENCH.length)) {
                return i - 1;
            }
        }
        return -1;
    }

    static int indexOf(byte[] a, int from, int to, byte[] pattern) {
        byte first = pattern[0];
        int last = to - pattern.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (a[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static int indexOrEnd(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return to;
    }
}

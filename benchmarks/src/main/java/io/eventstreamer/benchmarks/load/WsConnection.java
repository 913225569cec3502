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
import java.util.concurrent.ThreadLocalRandom;

/**
 * One WebSocket client connection over plain NIO, driven by its {@link ClientLoop} thread only.
 *
 * <p>Kept cheap on purpose so that the client is never what limits a benchmark: frames are parsed
 * in place in the loop's read buffer, event frames are never decoded as JSON (the publisher's stamp
 * is found by scanning for {@code "bench":"}), and nothing is allocated per event.
 */
final class WsConnection {
    enum Kind { COUNTED, CHURN, SLOW }

    private enum State { CONNECTING, HANDSHAKE, OPEN, CLOSED }

    private static final byte[] BENCH = "\"bench\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = "\"type\":\"ping\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACK = "\"type\":\"subscription-ack\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DROPPED = "events-dropped".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DROPPED_COUNT = "\"dropped\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG_MESSAGE = "{\"type\":\"pong\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SCAN_LIMIT = 256;

    private final LoadClient client;
    private final ClientLoop loop;
    private final Kind kind;
    private final int number;
    private final long openedAtNanos = System.nanoTime();
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>(2);
    private SocketChannel channel;
    private SelectionKey key;
    private State state = State.CONNECTING;
    private boolean subscribed;
    private byte[] partial;
    private int partialLength;

    WsConnection(LoadClient client, ClientLoop loop, Kind kind, int number) {
        this.client = client;
        this.loop = loop;
        this.kind = kind;
        this.number = number;
    }

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

    private void connected() throws IOException {
        state = State.HANDSHAKE;
        key.interestOps(SelectionKey.OP_READ);
        String request = "GET " + client.wsPath() + " HTTP/1.1\r\n"
                + "Host: " + client.hostHeader() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: ZXZlbnQtc3RyZWFtZXItYg==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    }

    /** When the read being parsed returned, in epoch microseconds. */
    private long readAtMicros;

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
        // Every frame of one read arrived by now: one clock reading serves them all.
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
            String status = new String(a, 0, Math.min(headerEnd, indexOrEnd(a, 0, headerEnd, (byte) '\r')),
                    StandardCharsets.US_ASCII);
            if (!status.startsWith("HTTP/1.1 101")) {
                fail("handshake: " + status);
                return;
            }
            state = State.OPEN;
            client.handshakeDone(this);
            sendText(client.subscribeMessage(number));
            p = headerEnd + HEADER_END.length;
        }
        p = frames(a, p, end);
        if (p < end && state == State.OPEN) {
            keep(a, p, end);
        }
    }

    /** Parses whole frames in a[p, end); returns where the first incomplete frame starts. */
    private int frames(byte[] a, int p, int end) {
        while (end - p >= 2 && state == State.OPEN) {
            int opcode = a[p] & 0x0F;
            long length = a[p + 1] & 0x7F;
            int header = 2;
            if (length == 126) {
                if (end - p < 4) {
                    break;
                }
                length = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                header = 4;
            } else if (length == 127) {
                if (end - p < 10) {
                    break;
                }
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = (length << 8) | (a[p + i] & 0xFF);
                }
                header = 10;
            }
            if (header + length > a.length / 2) {
                fail("frame of " + length + " bytes is larger than the load client's buffer");
                return end;
            }
            if (end - p < header + length) {
                break;
            }
            int start = p + header;
            int len = (int) length;
            switch (opcode) {
                case 0x1:
                case 0x0:
                    text(a, start, len);
                    break;
                case 0x8:
                    sendFrame(0x8, a, start, Math.min(len, 2));
                    closed(true);
                    return end;
                case 0x9:
                    sendFrame(0xA, a, start, len);
                    break;
                default:
                    break;
            }
            p = start + len;
        }
        return p;
    }

    private void text(byte[] a, int start, int len) {
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
            sendText(PONG_MESSAGE);
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

    /**
     * A sign of life without reading anything: an unsolicited {@code pong}, which the server
     * counts as such (protocol: "any frame from the client"). Without it, a client that never reads
     * never answers a heartbeat and the server closes it as stale after {@code connection-timeout}.
     */
    void sendSignOfLife() {
        sendText(PONG_MESSAGE);
    }

    void sendText(byte[] message) {
        sendFrame(0x1, message, 0, message.length);
    }

    /** A masked frame, as clients must send. */
    private void sendFrame(int opcode, byte[] payload, int offset, int length) {
        ByteBuffer frame = ByteBuffer.allocate(length + 14);
        frame.put((byte) (0x80 | opcode));
        if (length < 126) {
            frame.put((byte) (0x80 | length));
        } else {
            frame.put((byte) (0x80 | 126)).putShort((short) length);
        }
        int mask = ThreadLocalRandom.current().nextInt();
        frame.putInt(mask);
        for (int i = 0; i < length; i++) {
            frame.put((byte) (payload[offset + i] ^ (mask >>> (8 * (3 - (i & 3))))));
        }
        frame.flip();
        write(frame);
    }

    private void write(ByteBuffer buffer) {
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

    /** Closes from the client side: with a close frame (clean) or a reset (abrupt). Loop thread only. */
    void close(boolean clean) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            if (clean && state == State.OPEN) {
                sendFrame(0x8, new byte[] {0x03, (byte) 0xE8}, 0, 2);
            } else {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException e) {
            // closing anyway
        }
        closed(false);
    }

    private void closed(boolean byServer) {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSED;
        partial = null;
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
        client.closed(this, wasOpen, subscribed, byServer);
    }

    private void fail(String why) {
        State was = state;
        state = State.CLOSED;
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
        client.failed(this, was == State.OPEN, why);
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

    private static int indexOf(byte[] a, int from, int to, byte[] pattern) {
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

    private static int indexOrEnd(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return to;
    }
}

package io.eventstreamer.benchmarks.load;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One Server-Sent Events subscriber: {@code GET /sse?categories=...}, then a
 * {@code text/event-stream} body parsed in place, through HTTP/1.1 chunked transfer coding when
 * the response uses it (Jetty does: one chunk per batch the server writes).
 *
 * <p>Only {@code data:} lines matter: each holds the JSON a WebSocket subscriber gets in a text
 * frame, and goes to the same {@link #message} handling. {@code id:}, {@code event:} and
 * {@code retry:} lines are skipped, and so is the heartbeat's {@code : ping} comment, which needs
 * no answer. Line ends are found eight bytes at a time. A line that a chunk boundary splits (the
 * server writes whole events per chunk, so this is rare) is put together in a small carry buffer.
 */
final class SseConnection extends Subscriber {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final byte[] PING = ": ping".getBytes(StandardCharsets.US_ASCII);

    private boolean chunked;
    /** Payload bytes left in the current chunk; 0: a chunk header comes next. */
    private int chunkLeft;
    /** Whether the CRLF that ends a chunk's payload comes before the next chunk header. */
    private boolean afterChunk;
    /** A line begun at the end of one chunk, continued in the next. */
    private byte[] carry = new byte[0];
    private int carryLength;

    SseConnection(LoadClient client, ClientLoop loop, Kind kind, int number) {
        super(client, loop, kind, number);
    }

    @Override
    String request() {
        return "GET " + client.options().ssePath + "?categories=" + String.join(",", client.options().categories)
                + "&clientId=bench-" + number + " HTTP/1.1\r\n"
                + "Host: " + client.hostHeader() + "\r\n"
                + "Accept: text/event-stream\r\n"
                + "Cache-Control: no-cache\r\n\r\n";
    }

    @Override
    String openStatus() {
        return "HTTP/1.1 200";
    }

    @Override
    boolean opened(String header) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (!lower.contains("content-type: text/event-stream")) {
            fail("not an event stream: " + header.replace("\r\n", " | "));
            return false;
        }
        chunked = lower.contains("transfer-encoding: chunked");
        return true;
    }

    @Override
    int body(byte[] a, int p, int end) {
        while (p < end && state == State.OPEN) {
            if (chunked && chunkLeft == 0) {
                int payload = chunkHeader(a, p, end);
                if (payload < 0) {
                    return p;
                }
                p = payload;
                if (chunkLeft == 0) {
                    closed(true); // the last chunk: the server ended the stream
                    return end;
                }
                continue;
            }
            boolean wholeChunk = chunked && end - p >= chunkLeft;
            int regionEnd = wholeChunk ? p + chunkLeft : end;
            int q = lines(a, p, regionEnd, wholeChunk);
            if (chunked) {
                chunkLeft -= q - p;
                afterChunk = chunkLeft == 0;
            }
            if (q < regionEnd) {
                return q; // an incomplete line, completed by the next read
            }
            p = q;
        }
        return p;
    }

    /**
     * Reads the chunk header at {@code p} ({@code [CRLF] hex-size [;extensions] CRLF}); returns
     * where its payload starts and sets {@link #chunkLeft}, or -1 when the header isn't all there.
     */
    private int chunkHeader(byte[] a, int p, int end) {
        int i = p;
        if (afterChunk) {
            if (end - i < 2) {
                return -1;
            }
            i += 2;
        }
        int size = 0;
        int digits = 0;
        for (; i < end; i++) {
            int d = Character.digit(a[i], 16);
            if (d < 0) {
                break;
            }
            size = size * 16 + d;
            digits++;
        }
        int lineEnd = indexOrEnd(a, i, end, (byte) '\n');
        if (lineEnd == end) {
            return -1;
        }
        if (digits == 0 || digits > 7) {
            fail("bad chunk header: " + new String(a, p, Math.min(end - p, 40), StandardCharsets.US_ASCII));
            return -1;
        }
        afterChunk = false;
        chunkLeft = size;
        return lineEnd + 1;
    }

    /**
     * Handles the whole lines in a[p, end); returns where the first incomplete one starts. When
     * {@code wholeChunk}, a[p, end) is the rest of a chunk, and an incomplete line at its end is
     * carried over to the next chunk (and counted as read).
     */
    private int lines(byte[] a, int p, int end, boolean wholeChunk) {
        if (carryLength > 0) {
            int lineEnd = indexOfNewline(a, p, end);
            if (lineEnd == end && !wholeChunk) {
                return p;
            }
            addToCarry(a, p, lineEnd);
            if (lineEnd == end) {
                return end;
            }
            int length = carryLength;
            carryLength = 0;
            line(carry, 0, length);
            p = lineEnd + 1;
        }
        while (p < end) {
            int lineEnd = indexOfNewline(a, p, end);
            if (lineEnd == end) {
                break;
            }
            line(a, p, lineEnd);
            p = lineEnd + 1;
        }
        if (p < end && wholeChunk) {
            addToCarry(a, p, end);
            return end;
        }
        return p;
    }

    /** One line, a[from, to) without its line feed. */
    private void line(byte[] a, int from, int to) {
        if (to > from && a[to - 1] == '\r') {
            to--;
        }
        int length = to - from;
        if (length >= 5 && a[from] == 'd' && a[from + 1] == 'a' && a[from + 2] == 't' && a[from + 3] == 'a'
                && a[from + 4] == ':') {
            int value = from + 5;
            if (value < to && a[value] == ' ') {
                value++;
            }
            message(a, value, to - value);
        } else if (length > 0 && a[from] == ':' && !(length == PING.length && indexOf(a, from, to, PING) == from)) {
            // A comment other than the heartbeat: why a stream was refused or is closing.
            client.firstProblem.compareAndSet(null, "server comment: "
                    + new String(a, from, length, StandardCharsets.UTF_8));
        }
    }

    private void addToCarry(byte[] a, int from, int to) {
        int n = to - from;
        if (carryLength + n > carry.length) {
            byte[] larger = new byte[Math.max(carryLength + n, 2 * carry.length + 256)];
            System.arraycopy(carry, 0, larger, 0, carryLength);
            carry = larger;
        }
        System.arraycopy(a, from, carry, carryLength, n);
        carryLength += n;
    }

    /** The first '\n' in a[from, to), or {@code to}; eight bytes per step ("has a zero byte" on x ^ '\n'...). */
    static int indexOfNewline(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(a, i) ^ NEWLINES;
            long zeros = (x - ONES) & ~x & HIGHS;
            if (zeros != 0) {
                // The lowest flagged byte is always a real match (borrows only flag bytes above one).
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return to;
    }

    /** The server doesn't send this message over SSE: its heartbeat is a comment, with nothing to answer. */
    @Override
    void ping() {
    }

    /** Nothing to send: the server never closes an SSE stream as stale, since its client can't answer. */
    @Override
    void sendSignOfLife() {
    }

    /** Clean: a FIN, as a browser that closes its EventSource; else a reset. */
    @Override
    void close(boolean clean) {
        if (state == State.CLOSED) {
            return;
        }
        if (!clean) {
            reset();
        }
        closed(false);
    }
}

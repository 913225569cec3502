package io.eventstreamer.core.internal.fanout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames one flusher thread hands to one connection in a drain pass.
 *
 * <p>Event frames (the shared encoded event followed by the recipient's clientId) are spliced into
 * a buffer that the thread reuses for its next batch when the connection has written the whole
 * batch by the time the send call returns, which is the usual case. Otherwise the connection still
 * reads from the buffer, so the thread leaves it behind and takes a new one. So a delivery copies
 * its bytes once and allocates no array of its own in steady state.
 *
 * <p>For a connection that {@link FrameSink#takesFramedBytes() takes framed bytes}, the batch is
 * laid out as complete WebSocket frames, header and payload, one after the other, and goes out as
 * one buffer in one write. Otherwise each payload is a separate buffer, framed by the connection.
 */
public final class FrameBatch {
    static final byte TEXT = 0x1;
    static final byte PONG = 0xA;
    static final byte CLOSE = 0x8;
    /** A close frame's payload is at most 125 bytes: the 2-byte code and up to 123 of reason. */
    private static final int MAX_CLOSE_REASON_BYTES = 123;
    private static final int BUFFER_SIZE = 64 * 1024;
    /** A buffer grown beyond this for a large batch is not kept for the next one. */
    private static final int MAX_KEPT_BUFFER_SIZE = 256 * 1024;
    private static final ThreadLocal<FrameBatch> CURRENT = ThreadLocal.withInitial(FrameBatch::new);

    private final List<ByteBuffer> frames = new ArrayList<>();
    private boolean framed;
    private int count;
    private long bytes;
    private byte[] buffer;
    private int used;

    private FrameBatch() {
    }

    /** The calling thread's batch, emptied, laying out frames for {@code framedBytes} or not. */
    static FrameBatch start(boolean framedBytes) {
        FrameBatch batch = CURRENT.get();
        batch.framed = framedBytes;
        return batch;
    }

    int size() {
        return count;
    }

    /** Whether another frame may join: fewer than {@code maxFrames} frames and {@code maxBytes} of payload so far. */
    boolean hasRoom(int maxFrames, long maxBytes) {
        return count < maxFrames && bytes < maxBytes;
    }

    /** Payload {@code index} (not framed). */
    ByteBuffer frame(int index) {
        return frames.get(index);
    }

    /** All frames laid out one after the other (framed). */
    ByteBuffer framedBytes() {
        return ByteBuffer.wrap(buffer, 0, used);
    }

    void add(byte[] message) {
        add(TEXT, message);
    }

    void add(byte opcode, byte[] payload) {
        count++;
        bytes += payload.length;
        if (!framed) {
            frames.add(ByteBuffer.wrap(payload));
            return;
        }
        int start = reserve(headerLength(payload.length) + payload.length);
        int at = writeHeader(buffer, start, opcode, payload.length);
        System.arraycopy(payload, 0, buffer, at, payload.length);
    }

    void add(EncodedEvent event, byte[] clientIdSuffix) {
        count++;
        int length = event.frameLength(clientIdSuffix);
        bytes += length;
        if (framed) {
            int start = reserve(headerLength(length) + length);
            event.spliceInto(buffer, writeHeader(buffer, start, TEXT, length), clientIdSuffix);
            return;
        }
        if (buffer == null) {
            buffer = new byte[BUFFER_SIZE];
        }
        if (used + length > buffer.length) {
            frames.add(event.frameFor(clientIdSuffix));
            return;
        }
        event.spliceInto(buffer, used, clientIdSuffix);
        frames.add(ByteBuffer.wrap(buffer, used, length));
        used += length;
    }

    /** Makes room for {@code length} more bytes, growing the buffer (framed bytes are contiguous). */
    private int reserve(int length) {
        if (buffer == null) {
            buffer = new byte[Math.max(BUFFER_SIZE, length)];
        } else if (used + length > buffer.length) {
            byte[] larger = new byte[Math.max(buffer.length * 2, used + length)];
            System.arraycopy(buffer, 0, larger, 0, used);
            buffer = larger;
        }
        int start = used;
        used += length;
        return start;
    }

    /** The connection has written every frame of this batch: the buffer is free again. */
    void written() {
        if (buffer != null && buffer.length > MAX_KEPT_BUFFER_SIZE) {
            buffer = null;
        }
        clear();
    }

    /** The connection may still read this batch's frames: keep the buffer away from the next batch. */
    void handedOver() {
        if (used > 0) {
            buffer = null;
        }
        clear();
    }

    private void clear() {
        frames.clear();
        count = 0;
        bytes = 0;
        used = 0;
    }

    /**
     * The last frames a server sends on a connection, laid out for one write: {@code message} as a
     * text frame when not null, then a close frame with {@code statusCode} and {@code reason} (cut to
     * what a close frame holds, on a character boundary).
     */
    public static ByteBuffer closingFrames(byte[] message, int statusCode, String reason) {
        byte[] reasonBytes = closeReason(reason);
        int closeLength = 2 + reasonBytes.length;
        int messageLength = message == null ? 0 : headerLength(message.length) + message.length;
        byte[] out = new byte[messageLength + headerLength(closeLength) + closeLength];
        int at = 0;
        if (message != null) {
            at = writeHeader(out, 0, TEXT, message.length);
            System.arraycopy(message, 0, out, at, message.length);
            at += message.length;
        }
        at = writeHeader(out, at, CLOSE, closeLength);
        out[at] = (byte) (statusCode >>> 8);
        out[at + 1] = (byte) statusCode;
        System.arraycopy(reasonBytes, 0, out, at + 2, reasonBytes.length);
        return ByteBuffer.wrap(out);
    }

    private static byte[] closeReason(String reason) {
        String text = reason == null ? "" : reason;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        while (bytes.length > MAX_CLOSE_REASON_BYTES) {
            text = text.substring(0, Character.isLowSurrogate(text.charAt(text.length() - 1)) ? text.length() - 2
                    : text.length() - 1);
            bytes = text.getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    static int headerLength(int payloadLength) {
        if (payloadLength < 126) {
            return 2;
        }
        return payloadLength <= 0xFFFF ? 4 : 10;
    }

    /** Writes an unmasked, final frame header (RFC 6455 §5.2) at {@code offset}; returns where the payload goes. */
    static int writeHeader(byte[] to, int offset, byte opcode, int payloadLength) {
        to[offset] = (byte) (0x80 | opcode);
        if (payloadLength < 126) {
            to[offset + 1] = (byte) payloadLength;
            return offset + 2;
        }
        if (payloadLength <= 0xFFFF) {
            to[offset + 1] = 126;
            to[offset + 2] = (byte) (payloadLength >>> 8);
            to[offset + 3] = (byte) payloadLength;
            return offset + 4;
        }
        to[offset + 1] = 127;
        for (int i = 0; i < 8; i++) {
            to[offset + 2 + i] = (byte) ((long) payloadLength >>> (8 * (7 - i)));
        }
        return offset + 10;
    }
}

package io.eventstreamer.core.internal.ws;

import io.eventstreamer.core.internal.fanout.EncodedEvent;
import io.eventstreamer.core.internal.fanout.Framing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The WebSocket framing (RFC 6455 §5.2): each server message and event as a complete, unmasked,
 * final TEXT frame, header and payload; the control reply as a PONG frame. Stateless, so every
 * connection shares {@link #INSTANCE}.
 *
 * <p>Also the frames a server writes itself to end a connection ({@link #closingFrames}).
 */
public final class WebSocketFraming implements Framing {
    /** The one instance: the framing keeps nothing per connection. */
    public static final WebSocketFraming INSTANCE = new WebSocketFraming();
    static final byte TEXT = 0x1;
    static final byte CLOSE = 0x8;
    static final byte PONG = 0xA;
    /** A close frame's payload is at most 125 bytes: the 2-byte code and up to 123 of reason. */
    private static final int MAX_CLOSE_REASON_BYTES = 123;

    private WebSocketFraming() {
    }

    @Override
    public void message(byte[] message, Output out) {
        frame(TEXT, message, out);
    }

    @Override
    public void event(EncodedEvent event, byte[] clientIdSuffix, Output out) {
        int length = event.length(clientIdSuffix);
        int start = out.reserve(headerLength(length) + length);
        byte[] to = out.array();
        event.writeTo(to, writeHeader(to, start, TEXT, length), clientIdSuffix);
    }

    /** The PONG to the client's latest PING, carrying that PING's payload. */
    @Override
    public void controlReply(byte[] payload, Output out) {
        frame(PONG, payload, out);
    }

    private static void frame(byte opcode, byte[] payload, Output out) {
        int start = out.reserve(headerLength(payload.length) + payload.length);
        byte[] to = out.array();
        System.arraycopy(payload, 0, to, writeHeader(to, start, opcode, payload.length), payload.length);
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

package io.eventstreamer.core.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstreamer.core.internal.fanout.Framing;
import io.eventstreamer.core.internal.fanout.TestEvents;
import io.eventstreamer.core.internal.protocol.EventEnvelope;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The exact bytes of the WebSocket framing (RFC 6455 §5.2, §5.5.1): unmasked, final frames. */
class WebSocketFramingTest {
    private final Buffer out = new Buffer();

    @Test
    @DisplayName("a server message is one TEXT frame: 0x81, the length, the message's bytes")
    void message() {
        byte[] message = utf8("{\"type\":\"pong\",\"timestamp\":\"2026-12-07T23:00:00.000Z\"}");
        WebSocketFraming.INSTANCE.message(message, out);

        assertThat(out.bytes()).isEqualTo(concat(new byte[] {(byte) 0x81, (byte) message.length}, message));
    }

    @Test
    @DisplayName("an event is one TEXT frame of its shared bytes spliced with the recipient's clientId")
    void eventWithClientIdSplice() {
        String shared = "{\"type\":\"event\",\"id\":\"1000-7\",\"category\":\"alpha\",\"eventType\":\"happened\","
                + "\"data\":{\"text\":\"" + "x".repeat(100) + "\"},\"clientId\":\"";
        byte[] suffix = EventEnvelope.clientIdSuffix("me");
        WebSocketFraming.INSTANCE.event(TestEvents.encoded("alpha", "happened", "1000-7", shared), suffix, out);

        byte[] json = utf8(shared + "me\"}");
        assertThat(new String(suffix, StandardCharsets.UTF_8)).isEqualTo("me\"}");
        assertThat(json.length).isGreaterThan(125); // a 16-bit length
        assertThat(out.bytes()).isEqualTo(concat(
                new byte[] {(byte) 0x81, 126, (byte) (json.length >>> 8), (byte) json.length}, json));
    }

    @Test
    @DisplayName("the control reply is a PONG frame carrying the PING's payload")
    void pong() {
        WebSocketFraming.INSTANCE.controlReply(new byte[] {1, 2, 3}, out);

        assertThat(out.bytes()).containsExactly(0x8A, 3, 1, 2, 3);
    }

    @Test
    @DisplayName("frames follow one another in the batch's buffer")
    void framesFollowOneAnother() {
        WebSocketFraming.INSTANCE.controlReply(new byte[0], out);
        WebSocketFraming.INSTANCE.message(utf8("{}"), out);

        assertThat(out.bytes()).containsExactly(0x8A, 0, 0x81, 2, '{', '}');
    }

    @Test
    void frameHeadersUseTheShortestLengthEncoding() {
        for (int length : new int[] {0, 125, 126, 65_535, 65_536, 1_000_000}) {
            byte[] frame = new byte[WebSocketFraming.headerLength(length)];
            int payloadAt = WebSocketFraming.writeHeader(frame, 0, WebSocketFraming.TEXT, length);
            assertThat(payloadAt).isEqualTo(frame.length);
            assertThat(frame[0] & 0xFF).isEqualTo(0x81);
            assertThat(readLength(ByteBuffer.wrap(frame, 1, frame.length - 1))).isEqualTo(length);
        }
    }

    @Test
    @DisplayName("closing frames: the message as a text frame, then a close frame with code and reason")
    void messageThenClose() {
        byte[] message = utf8("{\"type\":\"error\"}");
        byte[] bytes = bytes(WebSocketFraming.closingFrames(message, 1008, "message rate limit exceeded"));

        assertThat(bytes[0] & 0xFF).isEqualTo(0x81); // FIN + text
        assertThat(bytes[1]).isEqualTo((byte) message.length);
        assertThat(Arrays.copyOfRange(bytes, 2, 2 + message.length)).isEqualTo(message);
        int close = 2 + message.length;
        assertThat(bytes[close] & 0xFF).isEqualTo(0x88); // FIN + close
        byte[] reason = utf8("message rate limit exceeded");
        assertThat(bytes[close + 1]).isEqualTo((byte) (2 + reason.length));
        assertThat(((bytes[close + 2] & 0xFF) << 8) | (bytes[close + 3] & 0xFF)).isEqualTo(1008);
        assertThat(Arrays.copyOfRange(bytes, close + 4, bytes.length)).isEqualTo(reason);
    }

    @Test
    @DisplayName("a close frame alone; a reason too long for a control frame is cut on a character boundary")
    void longReasonIsCut() {
        String reason = "é".repeat(40) + "😀".repeat(40); // 80 + 160 bytes
        byte[] bytes = bytes(WebSocketFraming.closingFrames(null, 1001, reason));

        assertThat(bytes[0] & 0xFF).isEqualTo(0x88);
        int payload = bytes[1];
        assertThat(payload).isLessThanOrEqualTo(125).isEqualTo(bytes.length - 2);
        String sent = new String(bytes, 4, payload - 2, StandardCharsets.UTF_8);
        assertThat(reason).startsWith(sent);
        assertThat(sent.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(119);
    }

    @Test
    void aFramingWithoutAControlReplyRefusesOne() {
        Framing none = new Framing() {
            @Override
            public void message(byte[] message, Output to) {
            }

            @Override
            public void event(io.eventstreamer.core.internal.fanout.EncodedEvent event, byte[] suffix, Output to) {
            }
        };
        assertThatThrownBy(() -> none.controlReply(new byte[0], out)).isInstanceOf(UnsupportedOperationException.class);
    }

    /** The length after a header's first byte (no mask: server frames are unmasked). */
    private static long readLength(ByteBuffer in) {
        int second = in.get() & 0xFF;
        assertThat(second & 0x80).as("MASK").isZero();
        if (second < 126) {
            return second;
        }
        if (second == 126) {
            return in.getShort() & 0xFFFF;
        }
        return in.getLong();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** A growing buffer, as a batch is: room reserved at its end, the array replaced when it grows. */
    private static final class Buffer implements Framing.Output {
        private byte[] array = new byte[4];
        private int used;

        @Override
        public int reserve(int length) {
            if (used + length > array.length) {
                array = Arrays.copyOf(array, Math.max(array.length * 2, used + length));
            }
            int start = used;
            used += length;
            return start;
        }

        @Override
        public byte[] array() {
            return array;
        }

        byte[] bytes() {
            return Arrays.copyOf(array, used);
        }
    }
}

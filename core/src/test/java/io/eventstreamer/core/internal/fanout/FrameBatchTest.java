package io.eventstreamer.core.internal.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The closing frames a server writes itself (RFC 6455 §5.5.1). */
class FrameBatchTest {
    @Test
    @DisplayName("closing frames: the message as a text frame, then a close frame with code and reason")
    void messageThenClose() {
        byte[] message = "{\"type\":\"error\"}".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = bytes(FrameBatch.closingFrames(message, 1008, "message rate limit exceeded"));

        assertThat(bytes[0] & 0xFF).isEqualTo(0x81); // FIN + text
        assertThat(bytes[1]).isEqualTo((byte) message.length);
        assertThat(Arrays.copyOfRange(bytes, 2, 2 + message.length)).isEqualTo(message);
        int close = 2 + message.length;
        assertThat(bytes[close] & 0xFF).isEqualTo(0x88); // FIN + close
        byte[] reason = "message rate limit exceeded".getBytes(StandardCharsets.UTF_8);
        assertThat(bytes[close + 1]).isEqualTo((byte) (2 + reason.length));
        assertThat(((bytes[close + 2] & 0xFF) << 8) | (bytes[close + 3] & 0xFF)).isEqualTo(1008);
        assertThat(Arrays.copyOfRange(bytes, close + 4, bytes.length)).isEqualTo(reason);
    }

    @Test
    @DisplayName("a close frame alone; a reason too long for a control frame is cut on a character boundary")
    void longReasonIsCut() {
        String reason = "é".repeat(40) + "😀".repeat(40); // 80 + 160 bytes
        byte[] bytes = bytes(FrameBatch.closingFrames(null, 1001, reason));

        assertThat(bytes[0] & 0xFF).isEqualTo(0x88);
        int payload = bytes[1];
        assertThat(payload).isLessThanOrEqualTo(125).isEqualTo(bytes.length - 2);
        String sent = new String(bytes, 4, payload - 2, StandardCharsets.UTF_8);
        assertThat(reason).startsWith(sent);
        assertThat(sent.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(119);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}

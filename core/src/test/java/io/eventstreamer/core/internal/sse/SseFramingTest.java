package io.eventstreamer.core.internal.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstreamer.core.internal.fanout.Framing;
import io.eventstreamer.core.internal.fanout.TestEvents;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The bytes of the SSE framing, and the SSE id that resumes every category. */
class SseFramingTest {
    private static final byte[] NO_SUFFIX = new byte[0];

    /** A growing buffer, as the engine's batch is. */
    private static final class Buffer implements Framing.Output {
        private byte[] bytes = new byte[16];
        private int used;

        @Override
        public int reserve(int length) {
            if (used + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + length));
            }
            int at = used;
            used += length;
            return at;
        }

        @Override
        public byte[] array() {
            return bytes;
        }

        String text() {
            return new String(bytes, 0, used, StandardCharsets.UTF_8);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("retry first, once; the ack's start ids become the id; each event moves its category's position")
    void idsFollowTheStream() {
        SseFraming framing = new SseFraming(List.of("a", "b"), Map.of("b", "5-3"), 2000);
        Buffer out = new Buffer();
        String ack = "{\"type\":\"subscription-ack\",\"data\":{\"categories\":[\"a\",\"b\"],\"lastIds\":{\"a\":\"5-0\"}}}";
        framing.message(utf8(ack), out);
        framing.event(TestEvents.encoded("a", "a-happened", "5-1", "{\"id\":\"5-1\"}"), NO_SUFFIX, out);
        framing.event(TestEvents.encoded("b", "b-happened", "5-4", "{\"id\":\"5-4\"}"), NO_SUFFIX, out);
        framing.message(utf8("{\"type\":\"ping\",\"timestamp\":\"t\"}"), out);
        framing.message(utf8("{\"type\":\"error\",\"data\":{\"code\":\"x\"}}"), out);
        assertThat(out.text()).isEqualTo("retry: 2000\n\n"
                + "id: a=5-0,b=5-3\nevent: subscription-ack\ndata: " + ack + "\n\n"
                + "id: a=5-1,b=5-3\nevent: a-happened\ndata: {\"id\":\"5-1\"}\n\n"
                + "id: a=5-1,b=5-4\nevent: b-happened\ndata: {\"id\":\"5-4\"}\n\n"
                + ": ping\n\n"
                + "event: error\ndata: {\"type\":\"error\",\"data\":{\"code\":\"x\"}}\n\n");
    }

    @Test
    @DisplayName("a failed resume's gap moves the position to continuesFrom, in the gap's own id")
    void gapMovesThePosition() {
        SseFraming framing = new SseFraming(List.of("a"), Map.of("a", "4-9"), 1000);
        Buffer out = new Buffer();
        String gap = "{\"type\":\"gap\",\"data\":{\"category\":\"a\",\"reason\":\"epoch-changed\",\"lastId\":\"4-9\","
                + "\"continuesFrom\":\"5-2\"}}";
        framing.message(utf8(gap), out);
        assertThat(out.text()).endsWith("id: a=5-2\nevent: gap\ndata: " + gap + "\n\n");
    }

    @Test
    @DisplayName("line breaks in an event's JSON start new data lines; CRLF is one break; the event still ends"
            + " with one blank line")
    void lineBreaks() {
        SseFraming framing = new SseFraming(List.of("a"), Map.of(), 1000);
        Buffer out = new Buffer();
        framing.event(TestEvents.encoded("a", "t", "1-1", "{\r\n\"x\": 1,\n\"y\": 2\r}"), NO_SUFFIX, out);
        String text = out.text();
        assertThat(text).isEqualTo("retry: 1000\n\nid: a=1-1\nevent: t\ndata: {\ndata: \"x\": 1,\ndata: \"y\": 2\ndata: } \n\n");
        String joined = String.join("\n", text.lines().filter(l -> l.startsWith("data: "))
                .map(l -> l.substring(6)).toList());
        assertThat(joined.replaceAll("\\s", "")).isEqualTo("{\"x\":1,\"y\":2}");
    }

    @Test
    @DisplayName("the closing bytes: the message as its event, then the close as a comment")
    void closing() {
        assertThat(new String(SseFraming.closing(utf8("{\"type\":\"error\",\"data\":{}}"), 1008, "token\nexpired"),
                StandardCharsets.UTF_8))
                .isEqualTo("event: error\ndata: {\"type\":\"error\",\"data\":{}}\n\n: close 1008 token expired\n\n");
        assertThat(new String(SseFraming.closing(null, 1001, "bye"), StandardCharsets.UTF_8))
                .isEqualTo(": close 1001 bye\n\n");
    }

    @Test
    @DisplayName("SSE ids parse to positions; anything else is refused with a message that says what was expected")
    void ids() {
        assertThat(SseIds.parse("a=5-1,b-c=0-0")).containsExactly(Map.entry("a", "5-1"), Map.entry("b-c", "0-0"));
        assertThat(SseIds.parse(" ")).isEmpty();
        assertThat(SseIds.parse(null)).isEmpty();
        for (String bad : List.of("5-1", "a=", "=5-1", "a=5-x", "a=5-1,", "a=5-1;b=1-1")) {
            assertThatThrownBy(() -> SseIds.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("<category>=<event id>");
        }
        assertThatThrownBy(() -> SseIds.parse("a=1-1,".repeat(2000))).hasMessageContaining("longer than");
    }
}

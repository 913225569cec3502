package io.eventstreamer.core.internal.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.internal.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The event message's byte layout: body, shared prefix with the id, per-recipient clientId suffix. */
class EventEnvelopeTest {
    private static final String TIMESTAMP = "2026-11-25T22:10:51.123Z";

    @Test
    @DisplayName("a recipient's message is the body, the id and its clientId, in this order")
    void layout() throws Exception {
        byte[] body = EventEnvelope.body("retry-started", "error-recovery", payload(), TIMESTAMP);
        byte[] prefix = EventEnvelope.withId(body, "1764108651123-17");

        assertThat(text(prefix, EventEnvelope.clientIdSuffix("my-client"))).isEqualTo("{\"type\":\"event\","
                + "\"event\":\"retry-started\",\"category\":\"error-recovery\",\"data\":{\"retryId\":"
                + "\"payment-capture-8812\",\"attemptNumber\":2,\"errorMessage\":\"Connection reset by peer\","
                + "\"nextRetryAt\":\"2026-11-25T22:11:21.000Z\"},\"timestamp\":\"2026-11-25T22:10:51.123Z\","
                + "\"id\":\"1764108651123-17\",\"clientId\":\"my-client\"}");
        assertThat(text(prefix, EventEnvelope.clientIdSuffix("other"))).endsWith(",\"clientId\":\"other\"}");
    }

    @Test
    @DisplayName("data copied as published sits where the encoder writes it")
    void rawBody() throws Exception {
        String data = "{\"retryId\":\"payment-capture-8812\",\"attemptNumber\":2,\"errorMessage\":"
                + "\"Connection reset by peer\",\"nextRetryAt\":\"2026-11-25T22:11:21.000Z\"}";
        byte[] source = ("[{\"data\":" + data + "}]").getBytes(UTF_8);

        byte[] raw = EventEnvelope.body(EventEnvelope.start("retry-started", "error-recovery"), source, 9,
                source.length - 2, TIMESTAMP);

        assertThat(new String(raw, UTF_8))
                .isEqualTo(new String(EventEnvelope.body("retry-started", "error-recovery", payload(), TIMESTAMP), UTF_8));
    }

    @Test
    @DisplayName("names and client ids are JSON-escaped the same way by every part")
    void escaping() throws Exception {
        String type = "said-\"hi\"";
        String category = "caf\u00e9\\";
        byte[] raw = EventEnvelope.body(EventEnvelope.start(type, category), "{}".getBytes(UTF_8), 0, 2, TIMESTAMP);
        byte[] encoded = EventEnvelope.body(type, category, Map.of(), TIMESTAMP);

        assertThat(raw).isEqualTo(encoded);
        String message = text(EventEnvelope.withId(encoded, "1-1"), EventEnvelope.clientIdSuffix("a\"b\u2603\n"));
        JsonNode parsed = Json.MAPPER.readTree(message);
        assertThat(parsed.get("event").textValue()).isEqualTo(type);
        assertThat(parsed.get("category").textValue()).isEqualTo(category);
        assertThat(parsed.get("clientId").textValue()).isEqualTo("a\"b\u2603\n");
        assertThat(message).endsWith(",\"clientId\":\"a\\\"b\u2603\\n\"}");
    }

    @Test
    @DisplayName("docs/protocol.md shows the event message field for field")
    void documented() throws Exception {
        ProtocolDoc doc = ProtocolDoc.read();
        JsonNode documented = doc.examples().stream()
                .filter(example -> MessageType.EVENT.wireName().equals(example.get("type").textValue()))
                .findFirst().orElseThrow();
        byte[] body = EventEnvelope.body(documented.get("event").textValue(), documented.get("category").textValue(),
                Json.MAPPER.treeToValue(documented.get("data"), Map.class), documented.get("timestamp").textValue());

        JsonNode encoded = Json.MAPPER.readTree(text(EventEnvelope.withId(body, documented.get("id").textValue()),
                EventEnvelope.clientIdSuffix(documented.get("clientId").textValue())));

        assertThat(ProtocolDoc.shows(documented, encoded)).as("%s shows %s", doc.path(), encoded).isTrue();
    }

    private static Map<String, Object> payload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("retryId", "payment-capture-8812");
        payload.put("attemptNumber", 2);
        payload.put("errorMessage", "Connection reset by peer");
        payload.put("nextRetryAt", "2026-11-25T22:11:21.000Z");
        return payload;
    }

    private static String text(byte[] prefix, byte[] suffix) {
        return new String(prefix, UTF_8) + new String(suffix, UTF_8);
    }
}

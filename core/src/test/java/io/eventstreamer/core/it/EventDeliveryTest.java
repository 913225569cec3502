package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertTimestamp;
import static io.eventstreamer.core.it.Wire.id;
import static io.eventstreamer.core.it.Wire.json;
import static io.eventstreamer.core.it.Wire.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.spi.EventEmitter;
import io.eventstreamer.spi.InvalidEventException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventDeliveryTest {
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A payload with the declared fields and extra ones of every JSON kind. */
    private static final String PAYLOAD = "{\"name\":\"disk full\",\"count\":7,\"note\":null,"
            + "\"extra\":{\"nested\":[1,2.5,\"three\",true,null,{\"deep\":\"er\"}]},"
            + "\"unicode\":\"caf\\u00e9 \\u2603 \\\"quoted\\\"\",\"negative\":-12,\"flag\":false,\"big\":9007199254740993}";

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private EventStreamer host;
    private TestClient alphaOne;
    private TestClient alphaTwo;
    private TestClient betaOnly;

    @BeforeEach
    void startHostAndSubscribe() {
        host = hosts.start();
        alphaOne = hosts.client();
        alphaTwo = hosts.client();
        betaOnly = hosts.client();
        alphaOne.subscribed("alpha-one", ALPHA);
        alphaTwo.subscribed("alpha-two", ALPHA);
        betaOnly.subscribed("beta-only", BETA);
    }

    @Test
    @DisplayName("an event from the emitter reaches each subscriber of its category with that subscriber's clientId")
    void emitterEventReachesSubscribers() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = MAPPER.readValue(PAYLOAD, Map.class);

        String id = host.emitter(ALPHA).emit("alpha-happened", payload);

        assertEvent(alphaOne.nextEvent(), id, "alpha-happened", ALPHA, json(PAYLOAD), "alpha-one");
        assertEvent(alphaTwo.nextEvent(), id, "alpha-happened", ALPHA, json(PAYLOAD), "alpha-two");
        assertOnlyNextEventIsBetaMarker(betaOnly);
    }

    @Test
    @DisplayName("an event from POST /api/events reaches each subscriber of its category, extra fields unchanged")
    void httpEventReachesSubscribers() {
        String body = "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":" + PAYLOAD + "}";

        HttpResponse<String> response = hosts.post("/api/events", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = HostExtension.json(response).get("ids").get(0).asText();
        assertEvent(alphaOne.nextEvent(), id, "alpha-happened", ALPHA, json(PAYLOAD), "alpha-one");
        assertEvent(alphaTwo.nextEvent(), id, "alpha-happened", ALPHA, json(PAYLOAD), "alpha-two");
        assertOnlyNextEventIsBetaMarker(betaOnly);
    }

    @Test
    @DisplayName("an event from POST /api/events carries its data as published: spacing, escapes, unicode and numbers")
    void httpEventCarriesDataAsPublished() throws Exception {
        String data = "{ \"name\" : \"caf\u00e9 \u2603 \ud83d\ude00 \\\"quoted\\\" back\\\\slash \\/ \\u00e9\\ud83d\\ude00\\t\",\n"
                + "\t\"count\":7, \"note\" :null,\r\n \"nested\":{\"list\":[ 1, 2.50, -0.0, 1E+400, 1e-7,"
                + " 123456789012345678901234567890123, 3.14159265358979323846264338327950288, {\"deep\":[[],{ }]} ]},"
                + " \"flag\":true }";
        RawWebSocket raw = hosts.rawClient();
        raw.sendText("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"clientId\":\"raw\"}");
        assertThat(raw.readJson(TestClient.WAIT).path("type").asText()).isEqualTo("subscription-ack");

        HttpResponse<String> response = hosts.post("/api/events",
                "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":" + data + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = HostExtension.json(response).get("ids").get(0).asText();
        ObjectMapper exact = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        JsonNode published = exact.readTree(data);
        String frame = nextText(raw);
        assertEvent(exact.readTree(frame), id, "alpha-happened", ALPHA, published, "raw");
        assertThat(frame).contains(",\"data\":" + data + ",\"timestamp\":\"");
        assertEvent(alphaOne.nextEvent(), id, "alpha-happened", ALPHA, MAPPER.readTree(data), "alpha-one");
    }

    @Test
    @DisplayName("ids are strings, unique and increasing within a category, and the emitter returns them")
    void idsIncreaseWithinCategory() {
        EventEmitter alpha = host.emitter(ALPHA);
        EventEmitter beta = host.emitter(BETA);
        List<String> returned = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            returned.add(alpha.emit("alpha-happened", Map.of("name", "n", "count", i)));
            beta.emit("beta-measured", Map.of("value", i, "measuredAt", "2026-01-01T00:00:00Z"));
        }

        List<JsonNode> events = alphaOne.nextEvents(20);

        long previous = Long.MIN_VALUE;
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            assertThat(event.get("id").asText()).isEqualTo(returned.get(i));
            assertThat(event.at("/data/count").asInt()).isEqualTo(i);
            assertThat(id(event)).isGreaterThan(previous);
            previous = id(event);
        }
    }

    @Test
    @DisplayName("a client subscribed to nothing receives no events")
    void unsubscribedClientReceivesNothing() {
        TestClient idle = hosts.client();
        host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "n", "count", 1));
        alphaOne.nextEvent();

        idle.subscribed("late", BETA);
        assertOnlyNextEventIsBetaMarker(idle);
    }

    @Test
    @DisplayName("the emitter refuses an invalid event and publishes nothing")
    void emitterRefusesInvalidEvent() {
        EventEmitter alpha = host.emitter(ALPHA);

        assertThatThrownBy(() -> alpha.emit("no-such-type", Map.of("name", "n", "count", 1)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("no-such-type");
        assertThatThrownBy(() -> alpha.emit("alpha-happened", Map.of("name", "n")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("count");
        assertThatThrownBy(() -> host.emitter("no-such-category"))
                .isInstanceOf(IllegalArgumentException.class);

        String marker = alpha.emit("alpha-finished", Map.of("name", "marker"));
        assertThat(alphaOne.nextEvent().get("id").asText()).isEqualTo(marker);
    }

    private static void assertEvent(JsonNode event, String id, String type, String category, JsonNode data,
            String clientId) {
        assertThat(keys(event)).containsExactlyInAnyOrder("type", "id", "event", "category", "data", "timestamp", "clientId");
        assertThat(event.get("type").asText()).isEqualTo("event");
        assertThat(event.get("id").isTextual()).as("id is a string: %s", event).isTrue();
        assertThat(event.get("id").asText()).isEqualTo(id);
        assertThat(event.get("event").asText()).isEqualTo(type);
        assertThat(event.get("category").asText()).isEqualTo(category);
        assertThat(event.get("data")).isEqualTo(data);
        assertTimestamp(event.get("timestamp"));
        assertThat(event.get("clientId").asText()).isEqualTo(clientId);
    }

    /** The next text message, its bytes checked to be well-formed UTF-8. */
    private static String nextText(RawWebSocket client) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = client.read(TestClient.WAIT);
            assertThat(frame).as("a message before the timeout").isNotNull();
            assertThat(frame.isClose()).as("closed: %s", frame).isFalse();
            if (frame.isText()) {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(frame.payload())).toString();
            }
        }
    }

    /** Proves a client received nothing before: the next event it gets is a fresh beta marker. */
    private void assertOnlyNextEventIsBetaMarker(TestClient client) {
        String marker = host.emitter(BETA).emit("beta-measured", Map.of("value", 0, "measuredAt", "2026-01-01T00:00:00Z"));
        JsonNode next = client.nextEvent();
        assertThat(next.get("category").asText()).as("first event received: %s", next).isEqualTo(BETA);
        assertThat(next.get("id").asText()).isEqualTo(marker);
    }
}

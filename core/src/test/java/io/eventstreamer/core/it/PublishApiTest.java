package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.id;
import static io.eventstreamer.core.it.Wire.keys;
import static io.eventstreamer.core.it.Wire.strings;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** POST /api/events: 202 with ids, or an error and nothing published. */
class PublishApiTest {
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";
    private static final String GOOD_ALPHA =
            "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"good\",\"count\":1}}";
    private static final String GOOD_BETA =
            "{\"category\":\"test-beta\",\"event\":\"beta-measured\",\"data\":{\"value\":2.5,\"measuredAt\":\"2026-01-01T00:00:00Z\"}}";

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("one event is accepted with 202 and its id, and delivered")
    void single() {
        hosts.start();
        TestClient client = hosts.client();
        client.subscribed("c", ALPHA);

        HttpResponse<String> response = hosts.post("/api/events", GOOD_ALPHA);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = HostExtension.json(response);
        assertThat(keys(body)).containsExactlyInAnyOrder("accepted", "ids");
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
        assertThat(strings(body.get("ids"))).hasSize(1);
        JsonNode event = client.nextEvent();
        assertThat(event.get("id").asText()).isEqualTo(body.get("ids").get(0).asText());
        assertThat(event.get("data")).isEqualTo(Wire.json("{\"name\":\"good\",\"count\":1}"));
    }

    @Test
    @DisplayName("a batch is accepted with 202 and the ids in input order, and delivered in that order")
    void batch() {
        hosts.start();
        TestClient client = hosts.client();
        client.subscribed("c", ALPHA, BETA);

        HttpResponse<String> response = hosts.post("/api/events", "[" + GOOD_ALPHA + "," + GOOD_BETA + "," + GOOD_ALPHA + "]");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = HostExtension.json(response);
        assertThat(body.get("accepted").asInt()).isEqualTo(3);
        List<String> ids = strings(body.get("ids"));
        assertThat(ids).hasSize(3);
        List<JsonNode> events = client.nextEvents(3);
        assertThat(events).extracting(e -> e.get("id").asText()).containsExactlyElementsOf(ids);
        assertThat(events).extracting(e -> e.get("category").asText()).containsExactly(ALPHA, BETA, ALPHA);
        assertThat(id(events.get(2))).isGreaterThan(id(events.get(0)));
    }

    static Stream<Arguments> badRequests() {
        String missingCount = "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\"}}";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"category\":\"test-alpha\",", "invalid-json", null),
                Arguments.of("an empty body", "", "empty-body", null),
                Arguments.of("a JSON number", "42", "invalid-event", null),
                Arguments.of("a JSON string", "\"event\"", "invalid-event", null),
                Arguments.of("an unknown category",
                        "{\"category\":\"no-such-category\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\",\"count\":1}}",
                        "unknown-category", "no-such-category"),
                Arguments.of("the category of a failed source",
                        "{\"category\":\"test-failing\",\"event\":\"never-emitted\",\"data\":{\"reason\":\"r\"}}",
                        "unknown-category", "test-failing"),
                Arguments.of("an unknown event type",
                        "{\"category\":\"test-alpha\",\"event\":\"no-such-event\",\"data\":{\"name\":\"n\",\"count\":1}}",
                        "unknown-event-type", "no-such-event"),
                Arguments.of("a missing required field", missingCount, "missing-field", "count"),
                Arguments.of("a field of the wrong type",
                        "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\",\"count\":\"three\"}}",
                        "wrong-field-type", "count"),
                Arguments.of("no data", "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\"}", "invalid-payload", null),
                Arguments.of("data that is not an object",
                        "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":[1,2]}", "invalid-payload", null),
                Arguments.of("an empty batch", "[]", "empty-batch", null),
                Arguments.of("a batch with one event missing a field",
                        "[" + GOOD_ALPHA + "," + missingCount + "," + GOOD_BETA + "]", "missing-field", "events[1]: "),
                Arguments.of("a batch with an unknown category last",
                        "[" + GOOD_ALPHA + "," + GOOD_BETA + ",{\"category\":\"nope\",\"event\":\"x\",\"data\":{}}]",
                        "unknown-category", "events[2]: "),
                Arguments.of("a batch with an element that is not an object",
                        "[" + GOOD_ALPHA + ",7]", "invalid-event", "events[1]: "),
                Arguments.of("a batch whose third of four events has data that is not an object",
                        "[" + GOOD_ALPHA + "," + GOOD_BETA + ",{\"category\":\"test-alpha\",\"event\":\"alpha-happened\","
                                + "\"data\":\"name\"}," + GOOD_ALPHA + "]", "invalid-payload", "events[2]: "),
                Arguments.of("a category that is not a string",
                        "{\"category\":[\"test-alpha\"],\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\",\"count\":1}}",
                        "unknown-category", "\"category\" must be a string"),
                Arguments.of("an event type that is not a string",
                        "{\"category\":\"test-alpha\",\"event\":{\"name\":\"alpha-happened\"},\"data\":{\"name\":\"n\",\"count\":1}}",
                        "unknown-event-type", "\"event\" must be a string"),
                Arguments.of("a null event type",
                        "{\"category\":\"test-alpha\",\"event\":null,\"data\":{\"name\":\"n\",\"count\":1}}",
                        "missing-event-type", null),
                Arguments.of("a key twice inside data",
                        "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\",\"count\":1,"
                                + "\"count\":2}}", "invalid-json", null),
                Arguments.of("a key twice in an event",
                        "{\"category\":\"test-alpha\",\"category\":\"test-beta\",\"event\":\"alpha-happened\","
                                + "\"data\":{\"name\":\"n\",\"count\":1}}", "invalid-json", null),
                Arguments.of("text after the array", "[" + GOOD_ALPHA + "] and more", "invalid-json", null),
                Arguments.of("a second array after the array", "[" + GOOD_ALPHA + "] [" + GOOD_ALPHA + "]", "invalid-json", null),
                Arguments.of("a second event after the event", GOOD_ALPHA + " " + GOOD_ALPHA, "invalid-json", null),
                Arguments.of("malformed JSON after an element that is not an object",
                        "[7," + GOOD_ALPHA + ",{\"category\":]", "invalid-json", null),
                Arguments.of("a number whose exponent no decimal can hold, in data",
                        "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\","
                                + "\"count\":1,\"big\":1e99999999999}}", "invalid-json", null),
                Arguments.of("a number whose exponent no decimal can hold, in an ignored field",
                        "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"extra\":1e99999999999,"
                                + "\"data\":{\"name\":\"n\",\"count\":1}}", "invalid-json", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    @DisplayName("a bad request gets 400 with a JSON error code, and nothing of it is published")
    void badRequest(String description, String body, String code, String mentioned) {
        EventStreamer host = hosts.start();
        TestClient client = hosts.client();
        client.subscribed("c", ALPHA, BETA);

        HttpResponse<String> response = hosts.post("/api/events", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertJsonError(response, code, mentioned);
        assertNothingPublished(host, client);
    }

    static Stream<Arguments> illFormedUtf8() {
        return Stream.of(
                Arguments.of("an encoded surrogate in data", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, true),
                Arguments.of("an overlong encoding in data", new byte[] {(byte) 0xE0, (byte) 0x81, (byte) 0x81}, true),
                Arguments.of("a code point above U+10FFFF in data",
                        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, true),
                Arguments.of("a cut sequence in a field the host ignores", new byte[] {(byte) 0xE2, (byte) 0x82}, false),
                Arguments.of("an overlong encoding in a field the host ignores", new byte[] {(byte) 0xC1, (byte) 0x81}, false));
    }

    /** Events go out with their data's bytes as published, so the parser must refuse what a text frame can't carry. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("illFormedUtf8")
    @DisplayName("a body that is not well-formed UTF-8 gets 400 invalid-json, and nothing is published")
    void illFormedUtf8(String description, byte[] sequence, boolean inData) {
        EventStreamer host = hosts.start();
        TestClient client = hosts.client();
        client.subscribed("c", ALPHA, BETA);
        String before = inData ? "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"count\":1,\"name\":\"x"
                : "{\"ignored\":[\"x";
        String after = inData ? "y\"}}" : "y\"],\"category\":\"test-alpha\",\"event\":\"alpha-happened\","
                + "\"data\":{\"name\":\"n\",\"count\":1}}";

        HttpResponse<String> response = hosts.post("/api/events", concat(before.getBytes(UTF_8), sequence,
                after.getBytes(UTF_8)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertJsonError(response, "invalid-json", null);
        assertNothingPublished(host, client);
    }

    @Test
    @DisplayName("fields of an event other than category, event and data are ignored, whatever their value")
    void unknownFieldsIgnored() {
        hosts.start();
        TestClient client = hosts.client();
        client.subscribed("c", ALPHA);
        String body = "[{\"id\":\"mine\",\"category\":\"test-alpha\",\"extra\":{\"nested\":[1,2.5,{\"data\":{}}],\"x\":null},"
                + "\"event\":\"alpha-happened\",\"timestamp\":\"yesterday\",\"data\":{\"name\":\"n\",\"count\":1},"
                + "\"type\":\"not-an-event\",\"clientId\":[\"someone\"],\"more\":-1e-7}]";

        HttpResponse<String> response = hosts.post("/api/events", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode event = client.nextEvent();
        assertThat(keys(event)).containsExactlyInAnyOrder("type", "id", "event", "category", "data", "timestamp", "clientId");
        assertThat(event.get("id").asText()).isEqualTo(HostExtension.json(response).at("/ids/0").asText());
        assertThat(event.get("type").asText()).isEqualTo("event");
        assertThat(event.get("clientId").asText()).isEqualTo("c");
        assertThat(event.get("timestamp").asText()).matches(Wire.TIMESTAMP);
        assertThat(event.get("data")).isEqualTo(Wire.json("{\"name\":\"n\",\"count\":1}"));
    }

    @Test
    @DisplayName("a body in UTF-16, which the JSON parser detects, is accepted and delivered as UTF-8")
    void utf16Body() {
        hosts.start();
        TestClient client = hosts.client();
        client.subscribed("c", ALPHA);
        String body = "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"caf\u00e9\",\"count\":1}}";

        HttpResponse<String> response = hosts.post("/api/events", body.getBytes(UTF_16LE));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(client.nextEvent().get("data")).isEqualTo(Wire.json("{\"name\":\"caf\u00e9\",\"count\":1}"));
    }

    @Test
    @DisplayName("a body over publish.max-body-size gets 413 and nothing is published")
    void bodyTooLarge() {
        EventStreamer host = hosts.start("publish.max-body-size = 1KiB");
        TestClient client = hosts.client();
        client.subscribed("c", ALPHA, BETA);
        String big = "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\",\"count\":1,\"padding\":\""
                + "p".repeat(2048) + "\"}}";

        HttpResponse<String> response = hosts.post("/api/events", big);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertJsonError(response, "body-too-large", null);
        assertNothingPublished(host, client);
        assertThat(hosts.post("/api/events", GOOD_ALPHA).statusCode()).as("a small body still works").isEqualTo(202);
    }

    @Test
    @DisplayName("a wrong method gets 405 and an unknown path gets 404 with a JSON body")
    void wrongMethodAndUnknownPath() {
        hosts.start();

        assertThat(hosts.get("/api/events").statusCode()).isEqualTo(405);
        HttpResponse<String> notFound = hosts.get("/api/no-such-thing");
        assertThat(notFound.statusCode()).isEqualTo(404);
        HostExtension.json(notFound);
    }

    private static void assertJsonError(HttpResponse<String> response, String code, String mentioned) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = HostExtension.json(response);
        assertThat(keys(error)).containsExactlyInAnyOrder("error", "code");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("error").asText()).isNotBlank();
        if (mentioned != null) {
            assertThat(error.get("error").asText()).contains(mentioned);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The first event the subscriber receives after the refused request is a fresh marker. */
    private static void assertNothingPublished(EventStreamer host, TestClient client) {
        String marker = host.emitter(ALPHA).emit("alpha-finished", Map.of("name", "marker"));
        JsonNode first = client.nextEvent();
        assertThat(first.get("id").asText()).as("first event after the refused request: %s", first).isEqualTo(marker);
    }
}

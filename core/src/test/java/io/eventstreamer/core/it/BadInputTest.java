package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertError;
import static io.eventstreamer.core.it.Wire.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.TestClient.CloseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input gets an error with a stable code; the connection stays open, the sender's
 * subscriptions and clientId don't change, and no other client notices anything.
 */
class BadInputTest {
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";
    /** Stands for "send a binary frame" in {@link #badInputs()}. */
    private static final String BINARY = null;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private EventStreamer host;
    private TestClient sender;
    private TestClient bystander;

    @BeforeEach
    void startHostAndSubscribe() {
        host = hosts.start("max-message-size = 1KiB");
        sender = hosts.client();
        bystander = hosts.client();
        sender.subscribed("sender", ALPHA);
        bystander.subscribed("bystander", ALPHA);
    }

    static Stream<Arguments> badInputs() {
        String longId = "x".repeat(129);
        return Stream.of(
                Arguments.of("malformed JSON", "{\"type\":\"subscribe\",\"categories\":[\"test-beta\"]", "invalid-json", null),
                Arguments.of("text that is not JSON", "subscribe me to test-beta", "invalid-json", null),
                Arguments.of("a number out of range", "{\"type\":\"subscribe\",\"categories\":[\"test-beta\"],\"n\":1e99999999999}", "invalid-json", null),
                Arguments.of("a JSON array", "[\"subscribe\",\"test-beta\"]", "not-an-object", null),
                Arguments.of("a JSON string", "\"subscribe\"", "not-an-object", null),
                Arguments.of("a JSON number", "42", "not-an-object", null),
                Arguments.of("JSON null", "null", "not-an-object", null),
                Arguments.of("no type", "{\"categories\":[\"test-beta\"]}", "missing-type", null),
                Arguments.of("a type that is not a string", "{\"type\":7,\"categories\":[\"test-beta\"]}", "missing-type", null),
                Arguments.of("an unknown type", "{\"type\":\"subscribe-all\",\"categories\":[\"test-beta\"]}", "unknown-type", null),
                Arguments.of("an unknown category among known ones",
                        "{\"type\":\"subscribe\",\"categories\":[\"test-beta\",\"no-such-category\"]}",
                        "unknown-category", "no-such-category"),
                Arguments.of("an unknown category in unsubscribe",
                        "{\"type\":\"unsubscribe\",\"categories\":[\"test-alpha\",\"no-such-category\"]}",
                        "unknown-category", "no-such-category"),
                Arguments.of("no categories", "{\"type\":\"subscribe\"}", "invalid-categories", null),
                Arguments.of("categories as a string", "{\"type\":\"subscribe\",\"categories\":\"test-beta\"}", "invalid-categories", null),
                Arguments.of("categories with a number", "{\"type\":\"subscribe\",\"categories\":[\"test-beta\",7]}", "invalid-categories", null),
                Arguments.of("categories with null", "{\"type\":\"subscribe\",\"categories\":[\"test-beta\",null]}", "invalid-categories", null),
                Arguments.of("empty categories", "{\"type\":\"subscribe\",\"categories\":[]}", "invalid-categories", null),
                Arguments.of("empty categories in unsubscribe", "{\"type\":\"unsubscribe\",\"categories\":[]}", "invalid-categories", null),
                Arguments.of("unsubscribe categories as an object",
                        "{\"type\":\"unsubscribe\",\"categories\":{\"test-alpha\":true}}", "invalid-categories", null),
                Arguments.of("an empty clientId", "{\"type\":\"subscribe\",\"categories\":[\"test-beta\"],\"clientId\":\"\"}",
                        "invalid-client-id", null),
                Arguments.of("a clientId of 129 characters",
                        "{\"type\":\"subscribe\",\"categories\":[\"test-beta\"],\"clientId\":\"" + longId + "\"}",
                        "invalid-client-id", null),
                Arguments.of("a clientId that is not a string",
                        "{\"type\":\"subscribe\",\"categories\":[\"test-beta\"],\"clientId\":42}", "invalid-client-id", null),
                Arguments.of("a binary frame", BINARY, "binary-not-supported", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    @DisplayName("bad input gets an error with its code and changes nothing")
    void badInput(String description, String frame, String code, String mentioned) {
        if (frame == null) {
            sender.sendBinary("{\"type\":\"subscribe\",\"categories\":[\"test-beta\"]}".getBytes(StandardCharsets.UTF_8));
        } else {
            sender.send(frame);
        }

        JsonNode error = sender.next();
        assertError(error, code);
        if (mentioned != null) {
            assertThat(error.at("/data/error").asText()).contains(mentioned);
        }

        // Unchanged: still subscribed to alpha only, under the same clientId, and still open.
        host.emitter(BETA).emit("beta-measured", Map.of("value", 1, "measuredAt", "2026-01-01T00:00:00Z"));
        String alphaId = host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "after", "count", 1));
        JsonNode event = sender.nextEvent();
        assertThat(event.get("id").asText()).as("first event after the error: %s", event).isEqualTo(alphaId);
        assertThat(event.get("category").asText()).isEqualTo(ALPHA);
        assertThat(event.get("clientId").asText()).isEqualTo("sender");
        assertThat(sender.isOpen()).isTrue();
        assertThat(hosts.status().at("/clientDetails/sender")).isEqualTo(Wire.json("[\"test-alpha\"]"));

        // The bystander saw nothing but the event.
        assertThat(bystander.nextEvent().get("id").asText()).isEqualTo(alphaId);

        // And the sender's connection still works.
        assertThat(strings(sender.subscribed(null, BETA).at("/data/categories"))).containsExactly(ALPHA, BETA);
    }

    @Test
    @DisplayName("a message over max-message-size closes that connection with 1009 and no other")
    void messageTooBig() {
        String tooBig = "{\"type\":\"subscribe\",\"categories\":[\"test-beta\"],\"padding\":\"" + "p".repeat(2000) + "\"}";

        sender.send(tooBig);
        CloseStatus status = sender.awaitClose();

        assertThat(status.code()).as("close %s", status).isEqualTo(1009);
        await().atMost(Duration.ofSeconds(10)).until(() -> host.clientCount() == 1);
        String id = host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "after", "count", 1));
        assertThat(bystander.nextEvent().get("id").asText()).isEqualTo(id);
        assertThat(bystander.isOpen()).isTrue();
    }

    @Test
    @DisplayName("a message just under max-message-size is accepted")
    void messageUnderLimit() {
        String padded = "{\"type\":\"subscribe\",\"categories\":[\"test-beta\"],\"padding\":\"" + "p".repeat(900) + "\"}";

        sender.send(padded);
        JsonNode ack = sender.next();

        assertThat(ack.get("type").asText()).as("answer: %s", ack).isEqualTo("subscription-ack");
        assertThat(strings(ack.at("/data/categories"))).containsExactly(ALPHA, BETA);
    }
}

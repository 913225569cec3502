package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertTimestamp;
import static io.eventstreamer.core.it.Wire.keys;
import static io.eventstreamer.core.it.Wire.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SubscriptionTest {
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private EventStreamer host;

    @BeforeEach
    void startHost() {
        host = hosts.start();
    }

    @Test
    @DisplayName("subscribe is acknowledged with the type, a millisecond UTC timestamp and the categories")
    void subscriptionAckShape() {
        TestClient client = hosts.client();

        JsonNode ack = client.subscribe("my-client", ALPHA, BETA);

        assertThat(keys(ack)).containsExactlyInAnyOrder("type", "timestamp", "data");
        assertThat(ack.get("type").asText()).isEqualTo("subscription-ack");
        assertTimestamp(ack.get("timestamp"));
        assertThat(keys(ack.get("data"))).containsExactly("categories", "lastIds");
        assertThat(strings(ack.get("data").get("categories"))).containsExactly(ALPHA, BETA);
        // Nothing published yet: each category starts before its first event, <epoch>-0.
        String start = ack.at("/data/lastIds/" + ALPHA).asText();
        assertThat(start).matches("[0-9]+-0");
        assertThat(ack.at("/data/lastIds/" + BETA).asText()).isEqualTo(start);
        String id = host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "a", "count", 1));
        assertThat(id).isEqualTo(start.substring(0, start.length() - 1) + "1");
        client.nextEvent();
        // The start is a resume point: a client that lost its connection before the first event
        // resumes from it and misses nothing.
        TestClient resumed = hosts.client();
        resumed.send("{\"type\":\"subscribe\",\"categories\":[\"" + ALPHA + "\"],\"resume\":{\"" + ALPHA
                + "\":\"" + start + "\"}}");
        assertThat(resumed.next().at("/data/resume/" + ALPHA + "/resumed").asBoolean()).isTrue();
        assertThat(resumed.nextEvent().get("id").asText()).isEqualTo(id);
        JsonNode again = hosts.client().subscribe("second", ALPHA);
        assertThat(again.at("/data/lastIds/" + ALPHA).asText()).as("resume point of a new subscriber").isEqualTo(id);
    }

    @Test
    @DisplayName("subscribing again adds categories, in subscription order and without duplicates")
    void subscribingAgainAdds() {
        TestClient client = hosts.client();

        assertThat(strings(client.subscribed("c", BETA).at("/data/categories"))).containsExactly(BETA);
        assertThat(strings(client.subscribed(null, ALPHA).at("/data/categories"))).containsExactly(BETA, ALPHA);
        assertThat(strings(client.subscribed(null, ALPHA, BETA).at("/data/categories"))).containsExactly(BETA, ALPHA);

        host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "a", "count", 1));
        host.emitter(BETA).emit("beta-measured", Map.of("value", 1.5, "measuredAt", "2026-01-01T00:00:00Z"));
        assertThat(client.nextEvent().get("category").asText()).isEqualTo(ALPHA);
        assertThat(client.nextEvent().get("category").asText()).isEqualTo(BETA);
    }

    @Test
    @DisplayName("unsubscribe is acknowledged with the remaining categories and stops delivery")
    void unsubscribe() {
        TestClient client = hosts.client();
        client.subscribed("c", ALPHA, BETA);

        JsonNode ack = client.unsubscribe(ALPHA);

        assertThat(keys(ack)).containsExactlyInAnyOrder("type", "timestamp", "data");
        assertThat(ack.get("type").asText()).isEqualTo("unsubscription-ack");
        assertTimestamp(ack.get("timestamp"));
        assertThat(keys(ack.get("data"))).containsExactly("categories");
        assertThat(strings(ack.get("data").get("categories"))).containsExactly(BETA);

        host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "not for me", "count", 1));
        host.emitter(BETA).emit("beta-measured", Map.of("value", 2, "measuredAt", "2026-01-01T00:00:00Z"));
        assertThat(client.nextEvent().get("category").asText()).isEqualTo(BETA);
    }

    @Test
    @DisplayName("unsubscribing from a category the client is not subscribed to is not an error")
    void unsubscribeNotSubscribed() {
        TestClient client = hosts.client();
        client.subscribed("c", BETA);

        JsonNode ack = client.unsubscribe(ALPHA);

        assertThat(ack.get("type").asText()).isEqualTo("unsubscription-ack");
        assertThat(strings(ack.at("/data/categories"))).containsExactly(BETA);
        assertThat(strings(client.unsubscribe(BETA).at("/data/categories"))).isEmpty();
    }

    @Test
    @DisplayName("a clientId given on subscribe is the one events carry")
    void clientIdGiven() {
        TestClient client = hosts.client();
        client.subscribed("my-dashboard", ALPHA);

        host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "a", "count", 1));

        assertThat(client.nextEvent().get("clientId").asText()).isEqualTo("my-dashboard");
    }

    @Test
    @DisplayName("without a clientId the server assigns one of the form client-<n>")
    void clientIdAssigned() {
        TestClient first = hosts.client();
        TestClient second = hosts.client();
        first.subscribed(null, ALPHA);
        second.subscribed(null, ALPHA);

        host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "a", "count", 1));

        String firstId = first.nextEvent().get("clientId").asText();
        String secondId = second.nextEvent().get("clientId").asText();
        assertThat(firstId).matches("client-\\d+");
        assertThat(secondId).matches("client-\\d+").isNotEqualTo(firstId);
    }

    @Test
    @DisplayName("a later subscribe with another clientId renames the client")
    void clientIdRenamed() {
        TestClient client = hosts.client();
        client.subscribed("old-name", ALPHA);
        client.subscribed("new-name", BETA);

        host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "a", "count", 1));

        assertThat(client.nextEvent().get("clientId").asText()).isEqualTo("new-name");
    }

    @Test
    @DisplayName("a client ping is answered with a pong carrying a timestamp")
    void clientPing() {
        TestClient client = hosts.client();

        client.send("{\"type\":\"ping\"}");

        JsonNode pong = client.next();
        assertThat(keys(pong)).containsExactlyInAnyOrder("type", "timestamp");
        assertThat(pong.get("type").asText()).isEqualTo("pong");
        assertTimestamp(pong.get("timestamp"));
    }

    @Test
    @DisplayName("a client pong is accepted silently")
    void clientPongIsNotAnswered() {
        TestClient client = hosts.client();

        client.send("{\"type\":\"pong\"}");
        client.send("{\"type\":\"ping\"}");

        assertThat(client.next().get("type").asText()).as("the pong gets no answer, the ping does").isEqualTo("pong");
        assertThat(client.isOpen()).isTrue();
    }
}

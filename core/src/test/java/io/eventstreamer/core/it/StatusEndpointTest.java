package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertTimestamp;
import static io.eventstreamer.core.it.Wire.counts;
import static io.eventstreamer.core.it.Wire.json;
import static io.eventstreamer.core.it.Wire.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.fixtures.FailingSource;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /api/websocket/status, and the embedded API that reports the same numbers. */
class StatusEndpointTest {
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("with no clients: operational, zero counts for every running category, no details")
    void empty() {
        EventStreamer host = hosts.start();

        HttpResponse<String> response = hosts.get("/api/websocket/status");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode status = HostExtension.json(response);
        assertThat(keys(status)).containsExactlyInAnyOrder(
                "status", "connectedClients", "connectedByTransport", "subscriptions", "clientDetails", "timestamp");
        assertThat(status.get("status").asText()).isEqualTo("operational");
        assertThat(status.get("connectedClients").isInt()).isTrue();
        assertThat(status.get("connectedClients").asInt()).isZero();
        assertThat(counts(status.get("subscriptions")))
                .containsEntry(ALPHA, 0)
                .containsEntry(BETA, 0)
                .doesNotContainKey(FailingSource.CATEGORY)
                .isEqualTo(zeros(host));
        assertThat(status.get("clientDetails")).isEqualTo(json("{}"));
        assertTimestamp(status.get("timestamp"));
        assertEmbeddedMatches(host, status);
    }

    @Test
    @DisplayName("counts and details follow clients as they connect, subscribe, unsubscribe and leave")
    void followsClients() {
        EventStreamer host = hosts.start();

        TestClient first = hosts.client();
        await().atMost(Duration.ofSeconds(10)).until(() -> host.clientCount() == 1);
        JsonNode status = hosts.status();
        assertThat(status.get("connectedClients").asInt()).isEqualTo(1);
        assertThat(keys(status.get("clientDetails"))).singleElement().asString().matches("client-\\d+");
        assertThat(status.get("clientDetails").elements().next()).isEqualTo(json("[]"));
        assertThat(counts(status.get("subscriptions"))).isEqualTo(zeros(host));
        assertEmbeddedMatches(host, status);

        first.subscribed("dash-1", ALPHA, BETA);
        TestClient second = hosts.client();
        second.subscribed("dash-2", BETA);
        TestClient third = hosts.client();
        third.subscribed("dash-1", ALPHA);

        status = hosts.status();
        assertThat(status.get("connectedClients").asInt()).isEqualTo(3);
        assertThat(counts(status.get("subscriptions"))).isEqualTo(with(zeros(host), Map.of(ALPHA, 2, BETA, 2)));
        assertThat(status.get("clientDetails")).isEqualTo(json(
                "{\"dash-1\":[\"test-alpha\",\"test-beta\"],\"dash-2\":[\"test-beta\"],\"dash-1#2\":[\"test-alpha\"]}"));
        assertEmbeddedMatches(host, status);

        first.unsubscribe(ALPHA);
        status = hosts.status();
        assertThat(counts(status.get("subscriptions"))).isEqualTo(with(zeros(host), Map.of(ALPHA, 1, BETA, 2)));
        assertThat(status.at("/clientDetails/dash-1")).isEqualTo(json("[\"test-beta\"]"));
        assertEmbeddedMatches(host, status);

        second.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> hosts.status().get("connectedClients").asInt() == 2);
        status = hosts.status();
        assertThat(counts(status.get("subscriptions"))).isEqualTo(with(zeros(host), Map.of(ALPHA, 1, BETA, 1)));
        assertThat(keys(status.get("clientDetails"))).containsExactlyInAnyOrder("dash-1", "dash-1#2");
        assertEmbeddedMatches(host, status);

        first.close();
        third.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> hosts.status().get("connectedClients").asInt() == 0);
        status = hosts.status();
        assertThat(counts(status.get("subscriptions"))).isEqualTo(zeros(host));
        assertThat(status.get("clientDetails")).isEqualTo(json("{}"));
        assertEmbeddedMatches(host, status);
    }

    @Test
    @DisplayName("a literal clientId is listed as itself; connections sharing an id get the first #n no other key"
            + " has, whatever the connection order")
    void literalSuffixesAreNotRenamed() {
        hosts.start();
        List<TestClient> clients = new ArrayList<>();
        for (String id : List.of("dash", "dash", "dash#2")) {
            TestClient client = hosts.client();
            client.subscribed(id, id.equals("dash#2") ? BETA : ALPHA);
            clients.add(client);
        }
        assertThat(hosts.status().get("clientDetails")).isEqualTo(json(
                "{\"dash\":[\"test-alpha\"],\"dash#3\":[\"test-alpha\"],\"dash#2\":[\"test-beta\"]}"));

        clients.forEach(TestClient::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> hosts.status().get("connectedClients").asInt() == 0);
        for (String id : List.of("dash#2", "dash", "dash", "dash#3")) {
            hosts.client().subscribed(id, id.startsWith("dash#") ? BETA : ALPHA);
        }
        assertThat(hosts.status().get("clientDetails")).isEqualTo(json("{\"dash#2\":[\"test-beta\"],"
                + "\"dash\":[\"test-alpha\"],\"dash#4\":[\"test-alpha\"],\"dash#3\":[\"test-beta\"]}"));
    }

    @Test
    @DisplayName("with client-tracking = false, clientDetails is empty but the counts are kept")
    void withoutClientTracking() {
        EventStreamer host = hosts.start("server.client-tracking = false");
        hosts.client().subscribed("dash-1", ALPHA, BETA);
        hosts.client().subscribed("dash-2", BETA);

        JsonNode status = hosts.status();

        assertThat(keys(status)).containsExactlyInAnyOrder(
                "status", "connectedClients", "connectedByTransport", "subscriptions", "clientDetails", "timestamp");
        assertThat(status.get("connectedClients").asInt()).isEqualTo(2);
        assertThat(counts(status.get("subscriptions"))).isEqualTo(with(zeros(host), Map.of(ALPHA, 1, BETA, 2)));
        assertThat(status.get("clientDetails")).isEqualTo(json("{}"));
        assertEmbeddedMatches(host, status);
    }

    @Test
    @DisplayName("the failing test source does not stop the host; its category is not running")
    void failedSourceDoesNotStopTheHost() {
        EventStreamer host = hosts.start();

        assertThat(host.isRunning()).isTrue();
        assertThat(host.categories()).contains(ALPHA, BETA).doesNotContain(FailingSource.CATEGORY);
    }

    private static void assertEmbeddedMatches(EventStreamer host, JsonNode status) {
        assertThat(host.clientCount()).isEqualTo(status.get("connectedClients").asInt());
        assertThat(host.subscriptionCounts()).isEqualTo(counts(status.get("subscriptions")));
    }

    private static Map<String, Integer> zeros(EventStreamer host) {
        Map<String, Integer> zeros = new LinkedHashMap<>();
        host.categories().forEach(category -> zeros.put(category, 0));
        return zeros;
    }

    private static Map<String, Integer> with(Map<String, Integer> base, Map<String, Integer> changes) {
        Map<String, Integer> result = new LinkedHashMap<>(base);
        result.putAll(changes);
        return result;
    }
}

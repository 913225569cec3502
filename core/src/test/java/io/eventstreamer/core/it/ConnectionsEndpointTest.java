package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertTimestamp;
import static io.eventstreamer.core.it.Wire.json;
import static io.eventstreamer.core.it.Wire.keys;
import static io.eventstreamer.core.it.Wire.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.spi.EventEmitter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /api/admin/connections: what the console's connections view shows. */
class ConnectionsEndpointTest {
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";
    private static final String PATH = "/api/admin/connections";
    private static final List<String> CONNECTION_KEYS = List.of("clientId", "remoteAddress", "transport",
            "categories", "connectedSince", "queued", "dropped", "lastPongRoundTripMillis");

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("with no clients: an empty list and a timestamp")
    void empty() {
        hosts.start();

        HttpResponse<String> response = hosts.get(PATH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = HostExtension.json(response);
        assertThat(keys(body)).containsExactly("connections", "timestamp");
        assertThat(body.get("connections")).isEqualTo(json("[]"));
        assertTimestamp(body.get("timestamp"));
    }

    @Test
    @DisplayName("each client with exactly its id, address, categories, connection time, queue, drops and pong,"
            + " sorted by client id")
    void listsEveryClient() {
        EventStreamer host = hosts.start();
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TestClient zeta = hosts.client();
        zeta.subscribed("zeta", ALPHA);
        TestClient dashboard = hosts.client();
        dashboard.subscribed("alpha-dashboard", BETA, ALPHA);
        TestClient anonymous = hosts.client();
        SseStream sse = hosts.sse("/sse?categories=" + ALPHA + "&clientId=sse-dashboard");
        sse.nextEvent();
        await().atMost(Duration.ofSeconds(10)).until(() -> host.clientCount() == 4);
        Instant after = Instant.now();

        JsonNode connections = connections();

        assertThat(connections).hasSize(4);
        List<String> ids = new ArrayList<>();
        for (JsonNode connection : connections) {
            assertThat(keys(connection)).containsExactlyElementsOf(CONNECTION_KEYS);
            ids.add(connection.get("clientId").asText());
            assertThat(connection.get("remoteAddress").asText()).matches("127\\.0\\.0\\.1:\\d+");
            assertTimestamp(connection.get("connectedSince"));
            assertThat(Instant.parse(connection.get("connectedSince").asText())).isBetween(before, after);
            assertThat(connection.get("queued").isInt()).isTrue();
            assertThat(connection.get("queued").asInt()).isZero();
            assertThat(connection.get("dropped").isIntegralNumber()).isTrue();
            assertThat(connection.get("dropped").asLong()).isZero();
            assertThat(connection.get("lastPongRoundTripMillis").isIntegralNumber()).isTrue();
            assertThat(connection.get("lastPongRoundTripMillis").asLong()).as("no ping answered yet").isEqualTo(-1);
        }
        assertThat(ids.get(0)).isEqualTo("alpha-dashboard");
        assertThat(ids.get(1)).matches("client-\\d+");
        assertThat(ids.get(2)).isEqualTo("sse-dashboard");
        assertThat(ids.get(3)).isEqualTo("zeta");
        assertThat(connections.findValuesAsText("transport")).containsExactly("websocket", "websocket", "sse", "websocket");
        assertThat(strings(connections.get(0).get("categories"))).containsExactly(BETA, ALPHA);
        assertThat(strings(connections.get(1).get("categories"))).isEmpty();
        assertThat(strings(connections.get(2).get("categories"))).containsExactly(ALPHA);
        assertThat(strings(connections.get(3).get("categories"))).containsExactly(ALPHA);

        anonymous.close();
        sse.close();
        // A closed stream is noticed when a write to it fails: the next event (or heartbeat).
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            host.emitter(ALPHA).emit("alpha-happened", java.util.Map.of("name", "probe", "count", 0));
            return connections().size() == 2;
        });
        assertThat(connections().findValuesAsText("clientId")).containsExactly("alpha-dashboard", "zeta");
    }

    @Test
    @DisplayName("connections that share a client id are each listed under that id, in connection order")
    void sharedClientId() {
        hosts.start();
        TestClient first = hosts.client();
        first.subscribed("dash", ALPHA);
        TestClient second = hosts.client();
        second.subscribed("dash", BETA);

        JsonNode connections = connections();

        assertThat(connections.findValuesAsText("clientId")).containsExactly("dash", "dash");
        assertThat(strings(connections.get(0).get("categories"))).containsExactly(ALPHA);
        assertThat(strings(connections.get(1).get("categories"))).containsExactly(BETA);
    }

    @Test
    @DisplayName("lastPongRoundTripMillis is the round trip of the last answered ping")
    void pongRoundTrip() {
        EventStreamer host = hosts.start("heartbeat-interval = 200ms");
        hosts.client().answerPings(TestClient.PingAnswer.JSON_PONG).subscribed("answers", ALPHA);
        hosts.client().subscribed("silent", ALPHA);
        await().atMost(Duration.ofSeconds(10)).until(() -> host.clientCount() == 2);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode connections = connections();
            assertThat(connections.findValuesAsText("clientId")).containsExactly("answers", "silent");
            assertThat(connections.get(0).get("lastPongRoundTripMillis").asLong()).isBetween(0L, 10_000L);
            assertThat(connections.get(1).get("lastPongRoundTripMillis").asLong()).isEqualTo(-1);
        });
    }

    @Test
    @DisplayName("a client that stopped reading shows its queue depth and its drops")
    void stalledClient() throws Exception {
        EventStreamer host = hosts.start("message-queue-size = 16", "overflow-policy = drop-oldest");
        RawWebSocket slow = hosts.rawClient();
        slow.sendText("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"clientId\":\"stalled\"}");
        assertThat(slow.readJson(TestClient.WAIT).path("type").asText()).isEqualTo("subscription-ack");
        TestClient reader = hosts.client();
        reader.subscribed("reader", BETA);

        // ~10 MB to a client with a 4 KiB receive buffer that doesn't read: far more than the socket
        // buffers and a 16-event queue hold, so its writes stall and its queue overflows.
        EventEmitter alpha = host.emitter(ALPHA);
        String padding = "x".repeat(2000);
        for (int i = 0; i < 5000; i++) {
            alpha.emit("alpha-happened", Map.of("name", padding, "count", i));
        }
        // Kernel buffers on loopback can grow to megabytes, so keep adding until the socket is
        // really stalled and the client slow (its socket took nothing for a second): then what
        // arrives stays in the (bounded) queue.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (int i = 0; i < 40; i++) {
                alpha.emit("alpha-happened", Map.of("name", padding, "count", i));
            }
            JsonNode connections = connections();
            assertThat(connections.findValuesAsText("clientId")).containsExactly("reader", "stalled");
            JsonNode stalled = connections.get(1);
            assertThat(stalled.get("queued").asInt()).as("queued of %s", stalled).isBetween(1, 16);
            assertThat(stalled.get("dropped").asLong()).as("dropped of %s", stalled).isPositive();
            assertThat(connections.get(0).get("queued").asInt()).isZero();
            assertThat(connections.get(0).get("dropped").asLong()).isZero();
        });
        slow.close();
    }

    @Test
    @DisplayName("with client-tracking = false, client ids and addresses are left out")
    void withoutClientTracking() {
        EventStreamer host = hosts.start("server.client-tracking = false");
        hosts.client().subscribed("dash-1", ALPHA);
        hosts.client().subscribed("dash-2", ALPHA, BETA);
        await().atMost(Duration.ofSeconds(10)).until(() -> host.clientCount() == 2);

        JsonNode connections = connections();

        assertThat(connections).hasSize(2);
        for (JsonNode connection : connections) {
            assertThat(keys(connection)).containsExactly(
                    "transport", "categories", "connectedSince", "queued", "dropped", "lastPongRoundTripMillis");
        }
        assertThat(strings(connections.get(0).get("categories"))).containsExactly(ALPHA);
        assertThat(strings(connections.get(1).get("categories"))).containsExactly(ALPHA, BETA);
    }

    @Test
    @DisplayName("only GET: another method gets 405 with an Allow header")
    void onlyGet() {
        hosts.start();

        HttpResponse<String> response = hosts.post(PATH, "{}");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
        assertThat(HostExtension.json(response).get("code").asText()).isEqualTo("method-not-allowed");
    }

    private JsonNode connections() {
        HttpResponse<String> response = hosts.get(PATH);
        assertThat(response.statusCode()).as("GET %s: %s", PATH, response.body()).isEqualTo(200);
        JsonNode connections = HostExtension.json(response).get("connections");
        assertThat(connections.isArray()).as("connections in %s", response.body()).isTrue();
        return connections;
    }
}

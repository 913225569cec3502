package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publish and admin tokens, the origin allow-list, and every limit tripped once. */
class AccessAndLimitsTest {
    private static final String ALPHA = "test-alpha";
    private static final String EVENT = "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\","
            + "\"data\":{\"name\":\"p\",\"count\":1}}";
    private static final String PUBLISH_TOKEN = "publish-token-0123456789";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abc";

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("with publish tokens: 401 without a token, 403 with a wrong one, 202 with a right one")
    void publishTokens() {
        hosts.start("publish.tokens = [\"other-token-0123456789\", \"" + PUBLISH_TOKEN + "\"]");
        HttpResponse<String> none = hosts.post("/api/events", EVENT);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(HostExtension.json(none).get("code").asText()).isEqualTo("unauthorized");
        HttpResponse<String> wrong = hosts.post("/api/events", EVENT, "Authorization", "Bearer not-the-token");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).doesNotContain("not-the-token");
        assertThat(hosts.post("/api/events", EVENT, "Authorization", "Bearer " + PUBLISH_TOKEN).statusCode())
                .isEqualTo(202);
    }

    @Test
    @DisplayName("with no publish token, loopback clients may publish (the quick start keeps working)")
    void loopbackPublishes() {
        hosts.start();
        assertThat(hosts.post("/api/events", EVENT).statusCode()).isEqualTo(202);
    }

    @Test
    @DisplayName("with an admin token, clientDetails and connections need it; the status shape stays the same")
    void adminToken() {
        hosts.start("admin.token = \"" + ADMIN_TOKEN + "\"");
        hosts.client().subscribed("secret-client", ALPHA);
        JsonNode anonymous = hosts.status();
        assertThat(anonymous.get("connectedClients").asInt()).isEqualTo(1);
        assertThat(anonymous.get("clientDetails").size()).isZero();
        JsonNode admin = HostExtension.json(hosts.get("/api/websocket/status", "Authorization", "Bearer " + ADMIN_TOKEN));
        assertThat(admin.at("/clientDetails/secret-client").toString()).isEqualTo("[\"test-alpha\"]");
        assertThat(hosts.get("/api/admin/connections").statusCode()).isEqualTo(401);
        assertThat(hosts.get("/api/admin/connections", "Authorization", "Bearer wrong").statusCode()).isEqualTo(403);
        assertThat(hosts.get("/api/admin/connections", "Authorization", "Bearer " + ADMIN_TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(hosts.get("/api/diagnostics").body()).doesNotContain("secret-client");
    }

    @Test
    @DisplayName("a WebSocket upgrade from an origin not on the allow-list gets 403; listed and absent origins pass")
    void originAllowList() {
        EventStreamer host = hosts.start("server.allowed-origins = [\"https://ops.example.com\"]");
        assertThatThrownBy(() -> hosts.client(host.webSocketUri(), Map.of("Origin", "https://evil.example")))
                .hasStackTraceContaining("403");
        hosts.client(host.webSocketUri(), Map.of("Origin", "https://ops.example.com")).subscribed("ok", ALPHA);
        hosts.client().subscribed("no-origin", ALPHA);
        // The server's own pages (the console) need no entry in the list.
        String own = "http://127.0.0.1:" + host.port();
        hosts.client(host.webSocketUri(), Map.of("Origin", own)).subscribed("console", ALPHA);
    }

    @Test
    @DisplayName("too many categories in one subscribe: error too-many-categories, nothing changes")
    void maxCategories() {
        hosts.start("limits.max-categories-per-subscribe = 1");
        TestClient client = hosts.client();
        assertError(client.subscribe("c", ALPHA, "test-beta"), "too-many-categories");
        assertThat(hosts.status().at("/subscriptions/test-alpha").asInt()).isZero();
    }

    @Test
    @DisplayName("a flood of messages: rate-limited once, then closed 1008; other clients are unaffected")
    void messageRate() {
        EventStreamer host = hosts.start("limits.max-messages-per-second = 5", "limits.message-burst = 10");
        TestClient bystander = hosts.client();
        bystander.subscribed("bystander", ALPHA);
        TestClient flooder = hosts.client();
        // Burst 10 accepted, the 11th refused with an error, then another burst's worth refused:
        // the 11th refusal in a row (message 21) closes. 30 is enough even if a token refills; stop
        // sending once the server has started closing, so the client's writes don't race the close.
        for (int i = 0; i < 30 && flooder.isOpen(); i++) {
            try {
                flooder.send("{\"type\":\"ping\"}");
            } catch (AssertionError closedMeanwhile) {
                break; // the server closed the flooder while it was still sending: what we expect
            }
        }
        TestClient.CloseStatus close = flooder.awaitClose(Duration.ofSeconds(10));
        assertThat(close.code()).isEqualTo(1008);
        List<String> codes = flooder.drain().stream().filter(m -> "error".equals(m.path("type").asText()))
                .map(m -> m.at("/data/code").asText()).collect(Collectors.toList());
        assertThat(codes).contains("rate-limited");
        host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "after", "count", 1));
        assertThat(bystander.nextEvent().at("/data/count").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("a flooder still reads its 1008 close while its messages are in flight and events stream to it")
    void messageRateCloseReachesAFlooder() throws InterruptedException {
        // The server closes while the flooder's messages are still arriving. Closing the socket with
        // them unread would reset the connection, and the client would lose the close (1006). The
        // events streaming to it keep a write in flight at the moment of the close.
        EventStreamer host = hosts.start("limits.max-messages-per-second = 5", "limits.message-burst = 10");
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> {
            for (int i = 0; publishing.get(); i++) {
                host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "stream", "count", i));
            }
        });
        publisher.start();
        List<String> outcomes = new ArrayList<>();
        try {
            for (int round = 0; round < 100; round++) {
                TestClient flooder = hosts.client();
                flooder.subscribed("flooder-" + round, ALPHA);
                for (int i = 0; i < 30 && flooder.isOpen(); i++) {
                    try {
                        flooder.send("{\"type\":\"ping\"}");
                    } catch (AssertionError closedMeanwhile) {
                        break;
                    }
                }
                TestClient.CloseStatus close = flooder.awaitClose(Duration.ofSeconds(10));
                boolean toldWhy = flooder.drain().stream().anyMatch(m -> "error".equals(m.path("type").asText())
                        && "rate-limited".equals(m.at("/data/code").asText()));
                outcomes.add(close.code() + " " + close.reason() + (toldWhy ? "" : " (no rate-limited error)"));
            }
        } finally {
            publishing.set(false);
            publisher.join();
        }
        assertThat(outcomes).containsOnly("1008 message rate limit exceeded");
        await().atMost(Duration.ofSeconds(10)).until(() -> host.clientCount() == 0);
    }

    @Test
    @DisplayName("more connections from one address than allowed get 429 at the upgrade")
    void connectionsPerAddress() {
        EventStreamer host = hosts.start("limits.max-connections-per-address = 2");
        hosts.client();
        hosts.client();
        assertThatThrownBy(() -> hosts.client()).hasStackTraceContaining("429");
    }

    @Test
    @DisplayName("with the defaults, 150 clients from one address (behind one NAT) all connect and receive")
    void manyClientsBehindOneAddress() {
        hosts.start();
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            TestClient client = hosts.client();
            client.subscribed("nat-" + i, "test-alpha");
            clients.add(client);
        }
        assertThat(hosts.post("/api/events", EVENT).statusCode()).isEqualTo(202);
        for (TestClient client : clients) {
            assertThat(client.nextEvent().path("category").asText()).isEqualTo("test-alpha");
        }
        assertThat(hosts.status().get("connectedClients").asInt()).isEqualTo(150);
    }

    @Test
    @DisplayName("more events in one publish than allowed: 413 too-many-events, nothing published")
    void eventsPerPublish() {
        hosts.start("limits.max-events-per-publish = 3");
        String batch = IntStream.range(0, 4).mapToObj(i -> EVENT).collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> response = hosts.post("/api/events", batch);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(HostExtension.json(response).get("code").asText()).isEqualTo("too-many-events");
        // Nothing published: the category is still before its first id, <epoch>-0.
        assertThat(hosts.get("/api/diagnostics").body()).containsPattern("\"lastId\":\"[0-9]+-0\"");
    }

    @Test
    @DisplayName("a message over max-message-size closes with 1009; a body over max-body-size gets 413")
    void sizeLimits() throws IOException {
        hosts.start("max-message-size = 1KiB", "publish.max-body-size = 2KiB");
        TestClient client = hosts.client();
        client.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(2000) + "\"}");
        assertThat(client.awaitClose().code()).isEqualTo(1009);
        HttpResponse<String> big = hosts.post("/api/events", "[" + "x".repeat(5000) + "]");
        assertThat(big.statusCode()).isEqualTo(413);
    }

    @Test
    @DisplayName("error messages never echo raw input: control characters and markup come back escaped or removed")
    void noRawEcho() {
        hosts.start();
        TestClient client = hosts.client();
        client.send("{\"type\":\"<script>alert(1)</script>\\u0000\\u001b[31m\"}");
        JsonNode error = client.next();
        assertError(error, "unknown-type");
        String text = error.at("/data/error").asText();
        assertThat(text).doesNotContain("\u0000").doesNotContain("\u001b");
        HttpResponse<String> response = hosts.post("/api/events", "{\"category\":\"x\\u0000<b>\",\"event\":\"e\",\"data\":{}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("\\u0000").doesNotContain("Exception").doesNotContain("io.eventstreamer");
    }
}

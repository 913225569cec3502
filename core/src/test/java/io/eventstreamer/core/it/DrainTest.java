package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shutdown that loses nothing: readiness off, upgrades refused, clients closed in batches after a flush. */
class DrainTest {
    private static final String ALPHA = "test-alpha";
    private static final int CLIENTS = 6;
    private static final int EVENTS = 200;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("while stopping: /health/ready is 503, upgrades get 503 with Retry-After, clients are closed in"
            + " batches with the reconnect reason, and every event published before the stop was delivered")
    void drain() throws Exception {
        EventStreamer host = hosts.start("drain.batch-size = 2", "drain.batch-interval = 400ms", "message-queue-size = 1000", "sources.test-failing.enabled = false");
        assertThat(hosts.get("/health/ready").statusCode()).isEqualTo(200);
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            TestClient client = hosts.client();
            client.subscribed("c" + i, ALPHA);
            clients.add(client);
        }
        for (int i = 0; i < EVENTS; i++) {
            host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "before-stop", "count", i));
        }

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(host::stop);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> hosts.get("/health/ready").statusCode() == 503);
        assertThat(HostExtension.json(hosts.get("/health/ready")).get("status").asText()).isEqualTo("draining");
        assertThatThrownBy(() -> RawWebSocket.connect(host.webSocketUri(), 65536))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("503")
                .hasMessageContaining("Retry-After");

        for (TestClient client : clients) {
            for (int i = 0; i < EVENTS; i++) {
                JsonNode event = client.nextEvent();
                assertThat(event.at("/data/count").asInt()).isEqualTo(i);
            }
            TestClient.CloseStatus close = client.awaitClose();
            assertThat(close.code()).isEqualTo(1001);
            assertThat(close.reason()).isEqualTo("server restarting: reconnect and resume");
        }
        stopped.get();
        // Three batches 400 ms apart: the first and last client can't have been closed together.
        // (A lower bound only; how late the last close comes depends on the machine.)
        assertThat(clients.stream().map(TestClient::closedAtNanos).max(Long::compare).orElseThrow()
                - clients.stream().map(TestClient::closedAtNanos).min(Long::compare).orElseThrow())
                .as("spread of close times in ns").isGreaterThanOrEqualTo(Duration.ofMillis(600).toNanos());
    }
}

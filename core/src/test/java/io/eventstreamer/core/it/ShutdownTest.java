package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.TestClient.CloseStatus;
import io.eventstreamer.spi.EventEmitter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ShutdownTest {
    private static final String ALPHA = "test-alpha";
    private static final int EVENTS = 200;
    /** Hang detector for stop(); the drain timeout in these tests is far shorter. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("stop() delivers queued events, then closes every client with 1001, and returns")
    void gracefulStop() {
        EventStreamer host = hosts.start("message-queue-size = 1000");
        TestClient first = hosts.client();
        TestClient second = hosts.client();
        first.subscribed("first", ALPHA);
        second.subscribed("second", ALPHA);
        EventEmitter alpha = host.emitter(ALPHA);

        for (int i = 0; i < EVENTS; i++) {
            alpha.emit("alpha-happened", Map.of("name", "before stop", "count", i));
        }
        assertTimeoutPreemptively(STOP_BOUND, host::stop);

        for (TestClient client : List.of(first, second)) {
            CloseStatus status = client.awaitClose();
            assertThat(status.code()).as("close %s", status).isEqualTo(1001);
            List<JsonNode> events = client.drain().stream()
                    .filter(message -> !"ping".equals(message.path("type").asText()))
                    .collect(Collectors.toList());
            assertThat(events).as("everything emitted before stop, then the close").hasSize(EVENTS);
            for (int i = 0; i < EVENTS; i++) {
                assertThat(events.get(i).at("/data/count").asInt()).isEqualTo(i);
            }
        }
        assertThat(host.isRunning()).isFalse();
    }

    @Test
    @DisplayName("after stop(): a second stop() does nothing, emit throws IllegalStateException, no new connections")
    void afterStop() {
        EventStreamer host = hosts.start();
        EventEmitter alpha = host.emitter(ALPHA);
        URI webSocketUri = host.webSocketUri();
        assertThat(host.isRunning()).isTrue();

        assertTimeoutPreemptively(STOP_BOUND, host::stop);
        assertTimeoutPreemptively(STOP_BOUND, host::stop);
        assertTimeoutPreemptively(STOP_BOUND, host::close);

        assertThat(host.isRunning()).isFalse();
        assertThatThrownBy(() -> alpha.emit("alpha-happened", Map.of("name", "late", "count", 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TestClient.connect(hosts.webSocketClient(), webSocketUri))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("stop() returns even when a client has stopped reading, and the others still get 1001")
    void stopWithStalledClient() throws Exception {
        EventStreamer host = hosts.start("drain-timeout = 1s", "message-queue-size = 100");
        TestClient normal = hosts.client();
        normal.subscribed("normal", ALPHA);
        RawWebSocket stalled = hosts.rawClient();
        stalled.sendText("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"]}");
        assertThat(stalled.readJson(TestClient.WAIT).path("type").asText()).isEqualTo("subscription-ack");

        EventEmitter alpha = host.emitter(ALPHA);
        String padding = "x".repeat(1000);
        for (int i = 0; i < 5_000; i++) {
            alpha.emit("alpha-happened", Map.of("name", padding, "count", i));
        }
        assertTimeoutPreemptively(STOP_BOUND, host::stop);

        assertThat(normal.awaitClose().code()).isEqualTo(1001);
        assertThat(host.isRunning()).isFalse();
    }
}

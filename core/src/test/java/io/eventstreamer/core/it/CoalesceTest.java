package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.spi.EventEmitter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Slow consumers on a coalescing category, and the bound on what a stalled client costs. */
class CoalesceTest {
    private static final String ALPHA = "test-alpha";
    private static final List<String> THINGS = List.of("breaker-a", "breaker-b", "breaker-c", "breaker-d");
    private static final int ROUNDS = 3_000;
    private static final int QUEUE_SIZE = 20;
    private static final String PADDING = "x".repeat(1000);

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("a paused client on a coalescing category ends, once it reads, with the newest event per key"
            + " and gap notices that account for every other one")
    void coalesce() throws Exception {
        EventStreamer host = hosts.start("message-queue-size = " + QUEUE_SIZE,
                "sources.test-alpha.overflow-policy = coalesce");
        RawWebSocket slow = RawWebSocket.connect(host.webSocketUri(), 4096);
        slow.sendText("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"clientId\":\"dashboard\"}");
        assertThat(slow.readJson(TestClient.WAIT).path("type").asText()).isEqualTo("subscription-ack");

        EventEmitter alpha = host.emitter(ALPHA);
        for (int round = 1; round <= ROUNDS; round++) {
            for (String thing : THINGS) {
                alpha.emit("alpha-state-changed", Map.of("name", thing, "state", "s" + round, "padding", PADDING));
            }
        }
        // Once its socket has taken nothing for a second the client is slow, and the next event
        // cuts its queue back to its bound: keep publishing rounds until then.
        AtomicInteger rounds = new AtomicInteger(ROUNDS);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            int round = rounds.incrementAndGet();
            for (String thing : THINGS) {
                alpha.emit("alpha-state-changed", Map.of("name", thing, "state", "s" + round, "padding", PADDING));
            }
            JsonNode deepest = HostExtension.json(hosts.get("/api/diagnostics"));
            assertThat(deepest.at("/deepestQueues/0/queued").asInt()).as("queue bounded: %s", deepest)
                    .isLessThanOrEqualTo(QUEUE_SIZE);
        });
        int published = rounds.get();
        JsonNode diagnostics = HostExtension.json(hosts.get("/api/diagnostics"));
        assertThat(diagnostics.at("/categories/test-alpha/drops").asLong()).isPositive();

        Map<String, String> newest = new HashMap<>();
        long received = 0;
        long missed = 0;
        long reportedDropped = 0;
        while (received + missed < (long) published * THINGS.size()) {
            RawWebSocket.Frame frame = slow.read(Duration.ofSeconds(10));
            assertThat(frame).as("received %d, missed %d", received, missed).isNotNull();
            JsonNode message = frame.json();
            switch (message.path("type").asText()) {
                case "event":
                    newest.put(message.at("/data/name").asText(), message.at("/data/state").asText());
                    received++;
                    break;
                case "gap":
                    assertThat(message.at("/data/reason").asText()).isEqualTo("overflow");
                    assertThat(message.at("/data/category").asText()).isEqualTo(ALPHA);
                    missed += message.at("/data/missed").asLong();
                    break;
                case "error":
                    assertThat(message.at("/data/code").asText()).isEqualTo("events-dropped");
                    reportedDropped += message.at("/data/dropped").asLong();
                    break;
                default:
                    // pings: not part of the count
            }
        }
        assertThat(missed).as("gap notices account for every event not received").isPositive()
                .isEqualTo(reportedDropped);
        for (String thing : THINGS) {
            assertThat(newest.get(thing)).as("final state of %s", thing).isEqualTo("s" + published);
        }
        slow.close();
    }
}

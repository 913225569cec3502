package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.spi.EventEmitter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Events of a category reach every subscriber in publish order, none missing. The queues are made
 * large enough that no event may be dropped: this is about order, not overflow.
 */
class OrderingTest {
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";
    private static final int EVENTS = 2_000;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private final ExecutorService publishers = Executors.newFixedThreadPool(2);
    private EventStreamer host;

    @BeforeEach
    void startHost() {
        host = hosts.start("message-queue-size = 10000");
    }

    @AfterEach
    void stopPublishers() {
        publishers.shutdownNow();
    }

    @Test
    @DisplayName("2,000 events published from one thread arrive at each subscriber in publish order")
    void oneThread() {
        TestClient first = hosts.client();
        TestClient second = hosts.client();
        first.subscribed("first", ALPHA);
        second.subscribed("second", ALPHA);

        EventEmitter alpha = host.emitter(ALPHA);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ids.add(alpha.emit("alpha-happened", Map.of("name", "seq", "count", i)));
        }

        for (TestClient client : List.of(first, second)) {
            List<JsonNode> events = client.nextEvents(EVENTS);
            for (int i = 0; i < EVENTS; i++) {
                assertThat(events.get(i).at("/data/count").asInt()).as("position %d", i).isEqualTo(i);
                assertThat(events.get(i).get("id").asText()).isEqualTo(ids.get(i));
            }
            assertIncreasingIds(events);
        }
    }

    @Test
    @DisplayName("two categories published concurrently from two threads each arrive in their publish order")
    void twoThreadsTwoCategories() throws Exception {
        TestClient both = hosts.client();
        TestClient bothAgain = hosts.client();
        TestClient betaOnly = hosts.client();
        both.subscribed("both", ALPHA, BETA);
        bothAgain.subscribed("both-again", BETA, ALPHA);
        betaOnly.subscribed("beta-only", BETA);

        CyclicBarrier start = new CyclicBarrier(2);
        EventEmitter alpha = host.emitter(ALPHA);
        EventEmitter beta = host.emitter(BETA);
        Future<?> alphaDone = publishers.submit(() -> {
            start.await();
            for (int i = 0; i < EVENTS; i++) {
                alpha.emit("alpha-happened", Map.of("name", "seq", "count", i));
            }
            return null;
        });
        Future<?> betaDone = publishers.submit(() -> {
            start.await();
            for (int i = 0; i < EVENTS; i++) {
                beta.emit("beta-measured", Map.of("value", i, "measuredAt", "2026-01-01T00:00:00Z"));
            }
            return null;
        });
        alphaDone.get(30, TimeUnit.SECONDS);
        betaDone.get(30, TimeUnit.SECONDS);

        for (TestClient client : List.of(both, bothAgain)) {
            Map<String, List<JsonNode>> byCategory = byCategory(client.nextEvents(2 * EVENTS));
            assertSequence(byCategory.get(ALPHA), "/data/count");
            assertSequence(byCategory.get(BETA), "/data/value");
        }
        Map<String, List<JsonNode>> betaEvents = byCategory(betaOnly.nextEvents(EVENTS));
        assertThat(betaEvents).containsOnlyKeys(BETA);
        assertSequence(betaEvents.get(BETA), "/data/value");
    }

    private static Map<String, List<JsonNode>> byCategory(List<JsonNode> events) {
        Map<String, List<JsonNode>> byCategory = new HashMap<>();
        for (JsonNode event : events) {
            byCategory.computeIfAbsent(event.get("category").asText(), c -> new ArrayList<>()).add(event);
        }
        return byCategory;
    }

    private static void assertSequence(List<JsonNode> events, String sequencePointer) {
        assertThat(events).hasSize(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            assertThat(events.get(i).at(sequencePointer).asInt()).as("position %d", i).isEqualTo(i);
        }
        assertIncreasingIds(events);
    }

    private static void assertIncreasingIds(List<JsonNode> events) {
        for (int i = 1; i < events.size(); i++) {
            assertThat(id(events.get(i))).as("id at position %d", i).isGreaterThan(id(events.get(i - 1)));
        }
    }
}

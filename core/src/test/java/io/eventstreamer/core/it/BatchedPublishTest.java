package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14, situation 1: "slow" means that the socket does not take bytes. A client that reads as
 * fast as it can never loses an event, whatever the size of a POST batch, with the default queue
 * of 100 events; a client that does not read still costs at most its queue.
 */
class BatchedPublishTest {
    private static final String[] CATEGORIES = {"test-alpha", "test-beta"};
    /** About 1 KB per event with its envelope, and 1,000 of them still fit in publish.max-body-size (1 MiB). */
    private static final String PADDING = "x".repeat(800);

    /** The default now; named so that the tests keep their meaning if the default changes. */
    private static final String SEED_QUEUE = "message-queue-size = 100";
    /** How far the first test lets its publisher run ahead of the client, in events. */
    private static final int MAX_LAG = 1000;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("the tests below run on the default queue: the seed's 100 events")
    void defaultQueueIs100() {
        assertThat(HostExtension.config().getInt("event-streamer.message-queue-size")).isEqualTo(100);
    }

    @Test
    @DisplayName("POSTs of 200 events: a fast client receives all 20,000, in order, without a drop")
    void batchesLargerThanTheQueue() throws Exception {
        hosts.start(SEED_QUEUE);
        TestClient fast = hosts.client();
        fast.subscribed("fast", CATEGORIES);
        Map<String, Integer> next = new HashMap<>();
        int published = 0;
        List<JsonNode> received = new ArrayList<>();
        for (int post = 0; post < 100; post++) {
            published += publish(200, post * 200);
            // The publisher never waits for clients, so on a busy machine it can outrun a client
            // that reads as fast as it can. A client that is not slow may lag by its queue and
            // four publish batches (4,100 events here); the test keeps its lag within 1,000 events
            // (five POSTs, each twice the queue), which the guarantee covers on any machine.
            received.addAll(receive(fast, published - MAX_LAG - received.size()));
        }
        received.addAll(receive(fast, published - received.size()));
        System.out.printf("batches of 200: %d published, %d received%n", published, received.size());
        assertInOrderWithoutDrops(received, published, next);
    }

    @Test
    @DisplayName("bursts of four concurrent POSTs of 1,000 events: a client that reads each burst receives all 20,000")
    void concurrentMaximalBatches() throws Exception {
        hosts.start(SEED_QUEUE);
        TestClient fast = hosts.client();
        fast.subscribed("fast", CATEGORIES);
        ExecutorService publishers = Executors.newFixedThreadPool(4);
        hosts.closeAfter(publishers::shutdownNow);
        int published = 0;
        List<JsonNode> received = new ArrayList<>();
        // Each round is a burst of 4,000 events (4 MB) at once; the client reads it before the next.
        for (int round = 0; round < 5; round++) {
            List<Future<Integer>> posts = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int first = (round * 4 + p) * 1000;
                posts.add(publishers.submit(() -> publish(1000, first)));
            }
            int inRound = 0;
            for (Future<Integer> post : posts) {
                inRound += post.get();
            }
            published += inRound;
            received.addAll(receive(fast, inRound));
        }
        System.out.printf("4 concurrent batches of 1000: %d published, %d received%n", published, received.size());
        assertThat(notEvents(received)).as("drop notices and gaps").isEmpty();
        assertThat(received.size()).as("messages received").isEqualTo(published);
        // Concurrent POSTs interleave; within a category each POST's events keep their order.
        Map<String, Long> lastId = new HashMap<>();
        for (JsonNode event : received) {
            String category = event.path("category").asText();
            long id = sequence(event.path("id").asText());
            assertThat(id).as("ids of %s increase", category).isGreaterThan(lastId.getOrDefault(category, -1L));
            lastId.put(category, id);
        }
    }

    @Test
    @DisplayName("a client that does not read holds at most its queue (100 events) once its socket has taken nothing for a second")
    void neverReadingClientIsBounded() throws Exception {
        hosts.start(SEED_QUEUE);
        RawWebSocket stalled = hosts.rawClient();
        stalled.sendText("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"clientId\":\"stalled\"}");
        assertThat(stalled.readJson(TestClient.WAIT).path("type").asText()).isEqualTo("subscription-ack");
        TestClient fast = hosts.client();
        fast.subscribed("fast", CATEGORIES[0]);
        int published = 0;
        int deepest = 0;
        for (int post = 0; post < 40; post++) {
            published += publish(500, post * 500, 1);
            List<JsonNode> received = receive(fast, 500);
            assertThat(notEvents(received)).as("drop notices and gaps to the fast client").isEmpty();
            assertThat(received.size()).as("events received by the fast client").isEqualTo(500);
            deepest = Math.max(deepest, deepestQueue());
        }
        // Until it is slow, the stalled client may hold its queue and four publish batches.
        assertThat(deepest).as("deepest queue while publishing").isBetween(1, 100 + 4 * 1000);
        // Slow now (its socket took nothing for over a second): the next event cuts it back to its queue.
        int[] extra = {0};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            publish(1, 20_000 + extra[0]++, 1);
            assertThat(deepestQueue()).isBetween(1, 100);
        });
        JsonNode diagnostics = HostExtension.json(hosts.get("/api/diagnostics"));
        System.out.printf("never-reading client: deepest while publishing %d, then %s%n", deepest,
                diagnostics.at("/deepestQueues/0"));
        assertThat(diagnostics.at("/categories/" + CATEGORIES[0] + "/drops").asLong()).isPositive();
        stalled.close();
    }

    private int deepestQueue() {
        return HostExtension.json(hosts.get("/api/diagnostics")).at("/deepestQueues/0/queued").asInt();
    }

    private int publish(int events, int first) {
        return publish(events, first, CATEGORIES.length);
    }

    /** POSTs {@code events} events of about 1 KB, spread over the first {@code categories} categories. */
    private int publish(int events, int first, int categories) {
        StringBuilder body = new StringBuilder(events * 1100).append('[');
        for (int i = 0; i < events; i++) {
            int c = (first + i) % categories;
            if (i > 0) {
                body.append(',');
            }
            if (c == 0) {
                body.append("{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"")
                        .append(PADDING).append("\",\"count\":").append(first + i).append("}}");
            } else {
                body.append("{\"category\":\"test-beta\",\"event\":\"beta-measured\",\"data\":{\"value\":")
                        .append(first + i).append(",\"measuredAt\":\"2026-12-07T00:00:00Z\",\"tags\":[\"")
                        .append(PADDING).append("\"]}}");
            }
        }
        HttpResponse<String> response = hosts.post("/api/events", body.append(']').toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return events;
    }

    /** The next {@code count} messages, or fewer when none comes for 10 s (the assertions then say what is missing). */
    private static List<JsonNode> receive(TestClient client, int count) {
        List<JsonNode> received = new ArrayList<>();
        try {
            while (received.size() < count) {
                received.add(client.next(Duration.ofSeconds(10)));
            }
        } catch (AssertionError timedOut) {
            // fewer than expected: reported by the caller's assertions
        }
        return received;
    }

    private static void assertInOrderWithoutDrops(List<JsonNode> received, int published, Map<String, Integer> next) {
        assertThat(notEvents(received)).as("drop notices and gaps").isEmpty();
        assertThat(received.size()).as("messages received").isEqualTo(published);
        for (JsonNode event : received) {
            String category = event.path("category").asText();
            JsonNode data = event.path("data");
            int count = data.has("count") ? data.path("count").asInt() : data.path("value").asInt();
            int expected = next.getOrDefault(category, -1);
            assertThat(count).as("order in %s", category).isGreaterThan(expected);
            next.put(category, count);
        }
    }

    /** The first few messages that are not events (drop notices, gaps). */
    private static List<JsonNode> notEvents(List<JsonNode> received) {
        return received.stream().filter(m -> !"event".equals(m.path("type").asText())).limit(3).toList();
    }

    private static long sequence(String id) {
        int dash = id.lastIndexOf('-');
        return Long.parseLong(dash < 0 ? id : id.substring(dash + 1));
    }
}

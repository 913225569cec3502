package io.eventstreamer.core.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.HostExtension;
import io.eventstreamer.core.it.SseStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server-Sent Events with the redis broker, several hosts in one JVM sharing one real
 * redis-server: a stream follows events published on another node, resumes on another node after
 * its own stops (Last-Event-ID, from Redis's history), and lives through a Redis restart
 * ({@code stream-interrupted} / {@code stream-restored} as SSE events) without losing or
 * doubling an event.
 */
class SseRedisTest {
    private static final String ALPHA = "test-alpha";
    private static final String STREAM = "/sse?categories=" + ALPHA;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private final String prefix = "es-test-" + UUID.randomUUID() + ":";

    private RedisServer redis(boolean durable) throws IOException {
        RedisServer redis = RedisServer.start(durable);
        hosts.closeAfter(redis);
        return redis;
    }

    private EventStreamer node(RedisServer redis) {
        EventStreamer node = EventStreamer.start(HostExtension.config("broker.type = redis",
                "broker.redis.uri = \"" + redis.uri() + "\"",
                "broker.redis.stream-prefix = \"" + prefix + "\"",
                "broker.redis.retry-interval = 100ms",
                "broker.redis.node-refresh-interval = 500ms",
                "message-queue-size = 100000"));
        hosts.closeAfter(node::stop);
        return node;
    }

    /** Waits until every node is connected to Redis and they all see each other. */
    private static void awaitCluster(EventStreamer... nodes) {
        for (EventStreamer node : nodes) {
            await().atMost(WAIT).until(() -> {
                HttpResponse<String> response = send(HttpRequest.newBuilder(node.httpUri().resolve("/api/cluster")));
                return response.statusCode() == 200
                        && HostExtension.json(response).path("nodes").size() >= nodes.length;
            });
        }
    }

    private SseStream sse(EventStreamer node, String... headers) {
        SseStream stream = SseStream.open(HTTP, node.httpUri().resolve(STREAM), headers);
        hosts.closeAfter(stream);
        assertThat(stream.status()).isEqualTo(200);
        return stream;
    }

    private static SseStream.Message ack(SseStream stream) {
        SseStream.Message ack = stream.nextEvent();
        assertThat(ack.event()).as(ack.data()).isEqualTo("subscription-ack");
        return ack;
    }

    private static String emit(EventStreamer node, int count) {
        return node.emitter(ALPHA).emit("alpha-happened", Map.of("name", "n", "count", count));
    }

    private static HttpResponse<String> publish(EventStreamer node, int count) {
        String body = "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\",\"count\":"
                + count + "}}";
        return send(HttpRequest.newBuilder(node.httpUri().resolve("/api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("HTTP request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** What a stream delivered: the events' counts and ids, and the names of every other SSE event. */
    private static final class Received {
        final List<Integer> counts = new ArrayList<>();
        final List<String> ids = new ArrayList<>();
        final List<String> others = new ArrayList<>();

        /** Adds one dispatched message; checks that an event's SSE id holds its position. */
        void add(SseStream.Message message) {
            if (!"alpha-happened".equals(message.event())) {
                others.add(message.event());
                return;
            }
            JsonNode event = message.json();
            String id = event.path("id").asText();
            assertThat(SseStream.positions(message.id())).as("SSE id of %s", id).containsExactly(Map.entry(ALPHA, id));
            counts.add(event.at("/data/count").asInt());
            ids.add(id);
        }

        int size() {
            return counts.size();
        }

        /** Reads events from {@code stream} until {@code id} has arrived. */
        void readUntil(SseStream stream, String id) {
            while (ids.isEmpty() || !ids.get(ids.size() - 1).equals(id)) {
                add(stream.nextEvent());
            }
        }
    }

    /** Emits on a node, one event after another, until stopped; keeps the ids in order. */
    private static final class Publisher implements AutoCloseable {
        final List<String> ids = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Publisher(EventStreamer node) {
            thread = new Thread(() -> {
                while (running.get()) {
                    ids.add(emit(node, ids.size()));
                    try {
                        Thread.sleep(2); // a steady publisher, not a synchronization
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "sse-redis-publisher");
            thread.start();
        }

        /** Stops publishing and waits for the thread: {@link #ids} then holds everything published. */
        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
            assertThat(thread.isAlive()).as("publisher still running").isFalse();
        }
    }

    @Test
    @DisplayName("a stream on node A receives what node B publishes; A stops (its stream ends after the drain),"
            + " the stream reconnects to B with Last-Event-ID and gets every event published meanwhile exactly"
            + " once, no gap")
    void resumeOnAnotherNode() throws Exception {
        RedisServer redis = redis(false);
        EventStreamer a = node(redis);
        EventStreamer b = node(redis);
        awaitCluster(a, b);
        SseStream onA = sse(a);
        ack(onA);
        Received received = new Received();
        Publisher publisher = new Publisher(b);
        hosts.closeAfter(publisher);
        while (received.size() < 100) {
            received.add(onA.nextEvent());
        }

        // Node A goes away while B keeps publishing: A's stream ends with what A had read from Redis.
        a.stop();
        List<SseStream.Message> rest = onA.untilEnd();
        rest.stream().filter(m -> m.data() != null).forEach(received::add);
        assertThat(rest.get(rest.size() - 1).comment()).startsWith("close 1001");
        String lastEventId = onA.lastEventId();
        assertThat(lastEventId).isEqualTo(ALPHA + "=" + received.ids.get(received.size() - 1));
        int atStop = received.size();
        await().atMost(WAIT).until(() -> publisher.ids.size() >= atStop + 100);

        SseStream onB = sse(b, "Last-Event-ID", lastEventId);
        JsonNode resume = ack(onB).json().at("/data/resume/" + ALPHA);
        assertThat(resume.path("resumed").asBoolean()).as(resume.toString()).isTrue();
        int atResume = publisher.ids.size();
        await().atMost(WAIT).until(() -> publisher.ids.size() >= atResume + 100);
        publisher.close();
        received.readUntil(onB, publisher.ids.get(publisher.ids.size() - 1));

        System.out.printf("SSE resume on another node: %d events on A (100 read, then %d in its drain), %d published"
                + " in all%n", atStop, atStop - 100, publisher.ids.size());
        assertThat(received.others).as("messages other than events").isEmpty();
        assertThat(received.counts).as("every event once, in order")
                .containsExactlyElementsOf(IntStream.range(0, publisher.ids.size()).boxed().toList());
        assertThat(received.ids).containsExactlyElementsOf(publisher.ids);
    }

    @Test
    @DisplayName("Redis stopped and restarted under a stream: stream-interrupted and stream-restored arrive as SSE"
            + " events, every event acknowledged with 202 arrives once and in order; then a resume on the other"
            + " node with Last-Event-ID continues exactly")
    void redisRestartWhileStreaming() throws Exception {
        RedisServer redis = redis(true);
        EventStreamer a = node(redis);
        EventStreamer b = node(redis);
        awaitCluster(a, b);
        SseStream onB = sse(b);
        ack(onB);

        List<Integer> acknowledged = new CopyOnWriteArrayList<>();
        List<Integer> refused = new CopyOnWriteArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> {
            int next = 0;
            while (publishing.get()) {
                HttpResponse<String> response = publish(a, next);
                if (response.statusCode() == 202) {
                    acknowledged.add(next);
                } else {
                    refused.add(next);
                }
                next++;
                try {
                    Thread.sleep(5); // a steady publisher, not a synchronization
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sse-redis-http-publisher");
        publisher.start();
        try {
            await().atMost(WAIT).until(() -> acknowledged.size() >= 100);
            redis.stop();
            await().atMost(WAIT).until(() -> !refused.isEmpty());
            redis.start();
            int before = acknowledged.size();
            await().atMost(WAIT).until(() -> acknowledged.size() >= before + 100);
        } finally {
            publishing.set(false);
            publisher.join(10_000);
        }

        List<Integer> counts = new ArrayList<>();
        List<String> others = new ArrayList<>();
        int last = acknowledged.get(acknowledged.size() - 1);
        while (counts.isEmpty() || counts.get(counts.size() - 1) < last) {
            SseStream.Message message = onB.nextEvent();
            if ("alpha-happened".equals(message.event())) {
                counts.add(message.json().at("/data/count").asInt());
            } else {
                others.add(message.event());
            }
        }
        assertThat(others).as("SSE events other than alpha-happened").containsExactly("stream-interrupted",
                "stream-restored");
        assertThat(counts).isSorted().doesNotHaveDuplicates().containsAll(acknowledged);
        System.out.printf("SSE through a redis restart: %d acknowledged, %d refused with 503, %d received%n",
                acknowledged.size(), refused.size(), counts.size());

        // The stream's last id still resumes exactly, on the other node.
        String lastEventId = onB.lastEventId();
        onB.close();
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            missed.add(emit(b, 100_000 + i));
        }
        SseStream onA = sse(a, "Last-Event-ID", lastEventId);
        JsonNode resume = ack(onA).json().at("/data/resume/" + ALPHA);
        assertThat(resume.path("resumed").asBoolean()).as(resume.toString()).isTrue();
        Received replayed = new Received();
        replayed.readUntil(onA, missed.get(missed.size() - 1));
        assertThat(replayed.others).isEmpty();
        assertThat(replayed.ids).containsExactlyElementsOf(missed);
        String live = emit(b, 200_000);
        replayed.add(onA.nextEvent());
        assertThat(replayed.ids).hasSize(21).endsWith(live);
    }
}

package io.eventstreamer.core.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.HostExtension;
import io.eventstreamer.core.it.TestClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several hosts in one JVM sharing one real redis-server (started by the test on a free loopback
 * port): cross-node delivery, resume on another node, Redis faults, history trimming.
 */
class RedisClusterTest {
    private static final String ALPHA = "test-alpha";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private final String prefix = "es-test-" + UUID.randomUUID() + ":";

    private RedisServer redis(boolean durable) throws IOException {
        RedisServer redis = RedisServer.start(durable);
        hosts.closeAfter(redis);
        return redis;
    }

    private EventStreamer node(RedisServer redis, String... overrides) {
        List<String> all = new ArrayList<>(List.of("broker.type = redis",
                "broker.redis.uri = \"" + redis.uri() + "\"",
                "broker.redis.stream-prefix = \"" + prefix + "\"",
                "broker.redis.retry-interval = 100ms",
                "broker.redis.node-refresh-interval = 500ms",
                "message-queue-size = 100000"));
        all.addAll(List.of(overrides));
        EventStreamer node = EventStreamer.start(HostExtension.config(all.toArray(new String[0])));
        hosts.closeAfter(node::stop);
        return node;
    }

    private TestClient client(EventStreamer node) {
        TestClient client = TestClient.connect(hosts.webSocketClient(), node.webSocketUri());
        hosts.closeAfter(client);
        return client;
    }

    private static HttpResponse<String> request(EventStreamer node, HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("HTTP request to " + node.httpUri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> publish(EventStreamer node, int count) {
        String body = "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\",\"count\":"
                + count + "}}";
        return request(node, HttpRequest.newBuilder(node.httpUri().resolve("/api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode cluster(EventStreamer node) {
        HttpResponse<String> response = request(node, HttpRequest.newBuilder(node.httpUri().resolve("/api/cluster")));
        if (response.statusCode() != 200) {
            return null;
        }
        return HostExtension.json(response);
    }

    /** Waits until every node is connected to Redis and they all see each other. */
    private static void awaitCluster(EventStreamer... nodes) {
        for (EventStreamer node : nodes) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                JsonNode view = cluster(node);
                return view != null && view.path("nodes").size() >= nodes.length;
            });
        }
    }

    private static String emit(EventStreamer node, int count) {
        return node.emitter(ALPHA).emit("alpha-happened", Map.of("name", "n", "count", count));
    }

    private static String resumeMessage(String clientId, String lastId) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "subscribe");
        message.putArray("categories").add(ALPHA);
        message.put("clientId", clientId);
        message.putObject("resume").put(ALPHA, lastId);
        return message.toString();
    }

    private static int count(JsonNode event) {
        return event.at("/data/count").asInt();
    }

    @Test
    @DisplayName("events published on node A (in process and over HTTP) reach clients on nodes B and C once each, in"
            + " order, with the ids A returned; the cluster view lists the three nodes with their client counts")
    void crossNodeDelivery() throws IOException {
        RedisServer redis = redis(false);
        EventStreamer a = node(redis);
        EventStreamer b = node(redis);
        EventStreamer c = node(redis);
        awaitCluster(a, b, c);
        TestClient onB = client(b);
        TestClient onC = client(c);
        onB.subscribed("on-b", ALPHA);
        onC.subscribed("on-c", ALPHA);

        List<String> ids = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            ids.add(emit(a, i));
        }
        for (int i = 300; i < 310; i++) {
            HttpResponse<String> response = publish(a, i);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            ids.add(HostExtension.json(response).path("ids").get(0).asText());
        }
        for (TestClient client : List.of(onB, onC)) {
            List<JsonNode> events = client.nextEvents(310);
            for (int i = 0; i < 310; i++) {
                assertThat(count(events.get(i))).isEqualTo(i);
                assertThat(events.get(i).path("id").asText()).isEqualTo(ids.get(i));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("cross-node delivery: 310 events to 2 remote nodes in %d ms%n", millis);
        assertThat(onB.drain()).noneMatch(m -> "event".equals(m.path("type").asText()));

        // Latency of one event from publish on A to a client of B, one at a time.
        long[] micros = new long[50];
        for (int i = 0; i < micros.length; i++) {
            long sent = System.nanoTime();
            emit(a, 310 + i);
            assertThat(count(onB.nextEvent())).isEqualTo(310 + i);
            micros[i] = (System.nanoTime() - sent) / 1000;
        }
        java.util.Arrays.sort(micros);
        System.out.printf("cross-node latency (publish on A -> client of B, 50 events): median %d us, max %d us%n",
                micros[micros.length / 2], micros[micros.length - 1]);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode view = cluster(a);
            int clients = 0;
            for (JsonNode node : view.path("nodes")) {
                clients += node.path("clients").asInt();
            }
            return view.path("nodes").size() == 3 && clients == 2;
        });
        assertThat(cluster(b).path("broker").asText()).isEqualTo("redis");
    }

    @Test
    @DisplayName("a client whose node is stopped resumes on another node with its last id: what it missed, in"
            + " order, then live events, nothing doubled")
    void resumeOnAnotherNode() throws IOException {
        RedisServer redis = redis(false);
        EventStreamer a = node(redis);
        EventStreamer b = node(redis);
        awaitCluster(a, b);
        TestClient onA = client(a);
        onA.subscribed("mover", ALPHA);
        for (int i = 0; i < 50; i++) {
            emit(a, i);
        }
        List<JsonNode> seen = onA.nextEvents(30); // the client has processed 30 when its node goes away
        String lastId = seen.get(29).path("id").asText();
        a.stop();
        for (int i = 50; i < 70; i++) {
            emit(b, i);
        }

        TestClient onB = client(b);
        onB.send(resumeMessage("mover", lastId));
        JsonNode ack = onB.next();
        assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("subscription-ack");
        assertThat(ack.at("/data/resume/" + ALPHA + "/resumed").asBoolean()).as(ack.toString()).isTrue();
        List<JsonNode> replayed = onB.nextEvents(40);
        for (int i = 0; i < 40; i++) {
            assertThat(count(replayed.get(i))).isEqualTo(30 + i);
        }
        emit(b, 70);
        assertThat(count(onB.nextEvent())).isEqualTo(70);
    }

    @Test
    @DisplayName("history.max-age trims the streams too: once the events are older, a resume from them is a gap")
    void historyMaxAge() throws IOException {
        RedisServer redis = redis(false);
        EventStreamer a = node(redis, "history.max-age = 1s");
        awaitCluster(a);
        String first = emit(a, 0);
        emit(a, 1);
        RedisClient lettuce = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                    .until(() -> connection.sync().xlen(prefix + ALPHA) == 0);
        } finally {
            lettuce.shutdown();
        }
        TestClient late = client(a);
        late.send(resumeMessage("late", first));
        JsonNode ack = late.next();
        assertThat(ack.at("/data/resume/" + ALPHA + "/reason").asText()).as(ack.toString()).isEqualTo("history-expired");
    }

    @Test
    @DisplayName("a stream keeps about history.size events: a resume from a trimmed id gets a history-expired gap,"
            + " a recent one is served; a malformed id gets unknown-id")
    void historyTrimming() throws IOException {
        RedisServer redis = redis(false);
        EventStreamer a = node(redis, "history.size = 20");
        awaitCluster(a);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(emit(a, i));
        }
        RedisClient lettuce = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
            long length = connection.sync().xlen(prefix + ALPHA);
            assertThat(length).as("stream length after 1000 events with history.size = 20").isBetween(20L, 200L);
        } finally {
            lettuce.shutdown();
        }
        TestClient old = client(a);
        old.send(resumeMessage("old", ids.get(0)));
        JsonNode ack = old.next();
        assertThat(ack.at("/data/resume/" + ALPHA + "/resumed").asBoolean()).as(ack.toString()).isFalse();
        assertThat(ack.at("/data/resume/" + ALPHA + "/reason").asText()).isEqualTo("history-expired");
        JsonNode gap = old.next();
        assertThat(gap.path("type").asText()).isEqualTo("gap");
        assertThat(gap.at("/data/lastId").asText()).isEqualTo(ids.get(0));

        TestClient recent = client(a);
        recent.send(resumeMessage("recent", ids.get(994)));
        JsonNode recentAck = recent.next();
        assertThat(recentAck.at("/data/resume/" + ALPHA + "/resumed").asBoolean()).as(recentAck.toString()).isTrue();
        List<JsonNode> replayed = recent.nextEvents(5);
        for (int i = 0; i < 5; i++) {
            assertThat(count(replayed.get(i))).isEqualTo(995 + i);
        }

        TestClient malformed = client(a);
        malformed.send(resumeMessage("bad", "not-an-id"));
        JsonNode badAck = malformed.next();
        assertThat(badAck.at("/data/resume/" + ALPHA + "/reason").asText()).isEqualTo("unknown-id");
    }

    @Test
    @DisplayName("Redis stopped and restarted while a publisher runs: publishing answers 503 meanwhile, clients stay"
            + " connected and are told the stream was interrupted and restored, and receive every event that was"
            + " acknowledged with 202, in order (Redis with appendfsync always)")
    void redisRestartDuringPublishing() throws Exception {
        RedisServer redis = redis(true);
        EventStreamer a = node(redis);
        EventStreamer b = node(redis);
        awaitCluster(a, b);
        TestClient onB = client(b);
        onB.subscribed("steady", ALPHA);

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
                    assertThat(response.statusCode()).isEqualTo(503);
                    refused.add(next);
                }
                next++;
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "publisher");
        publisher.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= 100);
            redis.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !refused.isEmpty());
            redis.start();
            int before = acknowledged.size();
            await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= before + 100);
        } finally {
            publishing.set(false);
            publisher.join(10_000);
        }

        List<Integer> received = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        int last = acknowledged.get(acknowledged.size() - 1);
        while (received.isEmpty() || received.get(received.size() - 1) < last) {
            JsonNode message = onB.next(Duration.ofSeconds(20));
            String type = message.path("type").asText();
            if ("event".equals(type)) {
                received.add(count(message));
            } else {
                notices.add(type);
            }
        }
        assertThat(onB.isOpen()).isTrue();
        assertThat(notices).containsSubsequence("stream-interrupted", "stream-restored");
        assertThat(received).isSorted().doesNotHaveDuplicates().containsAll(acknowledged);
        System.out.printf("redis restart: %d acknowledged, %d refused with 503, %d received, 0 lost%n",
                acknowledged.size(), refused.size(), received.size());
    }

}

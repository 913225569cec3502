package io.eventstreamer.core.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.internal.broker.StreamIds;
import io.eventstreamer.core.it.HostExtension;
import io.eventstreamer.core.it.RawWebSocket;
import io.eventstreamer.core.it.TestClient;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node of a redis cluster that has just started: it accepts neither subscriptions nor publishes
 * until its reader has a position in every stream, so that nothing published after a client's
 * ack, on any node, is lost; with Redis down it starts, says it is starting, and becomes ready
 * when Redis comes up.
 */
class RedisNodeStartTest {
    private static final String ALPHA = "test-alpha";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private final String prefix = "es-test-" + UUID.randomUUID() + ":";

    private RedisServer redis() throws IOException {
        RedisServer redis = RedisServer.start(false);
        hosts.closeAfter(redis);
        return redis;
    }

    /** A node on {@code port} (0: any free one), stopped after the test. */
    private EventStreamer node(RedisServer redis, int port, String... overrides) {
        EventStreamer node = start(redis.uri(), port, overrides);
        hosts.closeAfter(node::stop);
        return node;
    }

    /**
     * Starts a node on {@code port} in the background, as a new process would come up: its
     * connections to Redis take 300 ms to open, as a new process's first one does.
     */
    private CompletableFuture<EventStreamer> nodeStarting(RedisServer redis, int port) throws IOException {
        SlowConnectProxy slow = new SlowConnectProxy(redis.port(), Duration.ofMillis(300));
        hosts.closeAfter(slow);
        CompletableFuture<EventStreamer> node = CompletableFuture.supplyAsync(() -> start(slow.uri(), port));
        hosts.closeAfter(() -> node.get(30, TimeUnit.SECONDS).stop());
        return node;
    }

    private EventStreamer start(String redisUri, int port, String... overrides) {
        List<String> all = new ArrayList<>(List.of("broker.type = redis",
                "broker.redis.uri = \"" + redisUri + "\"",
                "broker.redis.stream-prefix = \"" + prefix + "\"",
                "broker.redis.retry-interval = 100ms",
                "broker.redis.node-refresh-interval = 500ms",
                "sources.test-failing.enabled = false",
                "message-queue-size = 100000",
                "server.port = " + port));
        all.addAll(List.of(overrides));
        return EventStreamer.start(HostExtension.config(all.toArray(new String[0])));
    }

    private static HttpResponse<String> publish(int port, int count) {
        String body = "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\",\"count\":"
                + count + "}}";
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The answer, or null when the port does not accept connections (yet). */
    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> ready(int port) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")));
    }

    private TestClient tryConnect(int port) {
        try {
            TestClient client = TestClient.connect(hosts.webSocketClient(), URI.create("ws://127.0.0.1:" + port + "/ws"));
            hosts.closeAfter(client);
            return client;
        } catch (AssertionError e) {
            return null;
        }
    }

    private static String newestId(RedisServer redis, String key) {
        RedisClient lettuce = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
            List<StreamMessage<String, String>> newest = connection.sync().xrevrange(key, Range.create("-", "+"),
                    Limit.from(1));
            return newest.isEmpty() ? null : newest.get(0).getId();
        } finally {
            lettuce.shutdown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** POSTs to a node every 10 ms and keeps the ids of the events it acknowledged, in order. */
    private static final class Publisher implements AutoCloseable {
        final List<String> acknowledged = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Publisher(int port) {
            thread = new Thread(() -> {
                for (int count = 0; running.get(); count++) {
                    HttpResponse<String> response = publish(port, count);
                    if (response != null && response.statusCode() == 202) {
                        acknowledged.add(HostExtension.json(response).path("ids").get(0).asText());
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // the pace, not a synchronization
                }
            }, "publisher");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    @Test
    @DisplayName("node B starts while node A publishes every 10 ms; a client connects to B as soon as B lets it:"
            + " the ack's lastIds is an id of the stream, no newer than its newest, and the client then receives every"
            + " event after it, in order, none missing, no gap")
    void aClientOfANewNodeMissesNothingAfterItsAck() throws Exception {
        RedisServer redis = redis();
        EventStreamer a = node(redis, 0);
        JsonNode ack;
        String newestAtAck;
        TestClient client;
        List<String> acknowledged;
        try (Publisher publisher = new Publisher(a.port())) {
            acknowledged = publisher.acknowledged;
            await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 20);

            int port = freePort();
            nodeStarting(redis, port);
            client = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> tryConnect(port), Objects::nonNull);
            ack = client.subscribed("fresh", ALPHA);
            newestAtAck = newestId(redis, prefix + ALPHA);
            int atAck = acknowledged.size();
            await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= atAck + 50);
        }

        JsonNode lastId = ack.at("/data/lastIds/" + ALPHA);
        assertThat(lastId.isTextual()).as("lastIds of %s while the stream holds %s", ack, newestAtAck).isTrue();
        assertThat(StreamIds.compare(lastId.asText(), newestAtAck)).as("lastId %s, newest at the ack %s", lastId,
                newestAtAck).isLessThanOrEqualTo(0);
        assertThat(acknowledged).as("lastId is an acknowledged event").contains(lastId.asText());

        List<String> expected = new ArrayList<>();
        for (String id : acknowledged) {
            if (StreamIds.compare(id, lastId.asText()) > 0) {
                expected.add(id);
            }
        }
        List<String> received = new ArrayList<>();
        List<JsonNode> others = new ArrayList<>();
        String last = expected.get(expected.size() - 1);
        while (received.isEmpty() || StreamIds.compare(received.get(received.size() - 1), last) < 0) {
            JsonNode message = client.next();
            if ("event".equals(message.path("type").asText())) {
                received.add(message.path("id").asText());
            } else {
                others.add(message);
            }
        }
        assertThat(others).as("messages other than events").isEmpty();
        assertThat(received).isEqualTo(expected);
        System.out.printf("new node: ack lastId %s (stream newest %s), %d events after it, %d received%n", lastId.asText(),
                newestAtAck, expected.size(), received.size());
    }

    @Test
    @DisplayName("publishes to a node that is starting: before it is ready 503 with Retry-After and code starting, from"
            + " the moment /health/ready says ready always 202, and every 202 reaches a client of another node")
    void publishesToAStartingNode() throws Exception {
        RedisServer redis = redis();
        EventStreamer a = node(redis, 0);
        TestClient onA = tryConnect(a.port());
        assertThat(onA).isNotNull();
        onA.subscribed("on-a", ALPHA);

        int port = freePort();
        CompletableFuture<EventStreamer> b = nodeStarting(redis, port);
        boolean readySeen = false;
        int refusedBeforeReady = 0;
        List<String> acceptedIds = new ArrayList<>();
        List<String> wrongAnswers = new ArrayList<>();
        for (int count = 0; acceptedIds.size() < 50; count++) {
            assertThat(count).as("publishes tried").isLessThan(100_000);
            HttpResponse<String> ready = ready(port);
            readySeen |= ready != null && ready.statusCode() == 200;
            HttpResponse<String> response = publish(port, count);
            if (response == null) {
                assertThat(readySeen).as("connection refused after /health/ready said ready").isFalse();
                b.getNow(null); // throws if the node failed to start
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // not listening yet: don't spin
                continue;
            }
            if (response.statusCode() == 202) {
                acceptedIds.add(HostExtension.json(response).path("ids").get(0).asText());
            } else if (readySeen || response.statusCode() != 503
                    || response.headers().firstValue("Retry-After").isEmpty()
                    || !"starting".equals(HostExtension.json(response).path("code").asText())) {
                wrongAnswers.add((readySeen ? "after ready: " : "before ready: ") + response.statusCode() + " "
                        + response.headers().firstValue("Retry-After").orElse("(no Retry-After)") + " "
                        + response.body());
            } else {
                refusedBeforeReady++;
            }
        }
        assertThat(wrongAnswers).isEmpty();
        List<String> received = new ArrayList<>();
        for (JsonNode event : onA.nextEvents(acceptedIds.size())) {
            received.add(event.path("id").asText());
        }
        assertThat(received).isEqualTo(acceptedIds);
        System.out.printf("starting node: %d publishes refused with 503 starting, %d accepted and delivered%n",
                refusedBeforeReady, acceptedIds.size());
    }

    @Test
    @DisplayName("a node started while Redis is down starts, answers 503 starting to /health/ready, publishes and"
            + " upgrades (with Retry-After), and once Redis is up becomes ready and delivers")
    void redisDownAtStart() throws Exception {
        RedisServer redis = RedisServer.notStarted();
        hosts.closeAfter(redis);
        EventStreamer b = node(redis, 0);
        assertThat(b.isRunning()).isTrue();

        HttpResponse<String> ready = ready(b.port());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(HostExtension.json(ready).path("status").asText()).isEqualTo("starting");
        assertThat(HostExtension.json(ready).path("reason").asText())
                .isEqualTo("the host is starting: Redis is unreachable, retrying");
        HttpResponse<String> refused = publish(b.port(), 0);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(HostExtension.json(refused).path("code").asText()).isEqualTo("starting");
        assertThatThrownBy(() -> RawWebSocket.connect(b.webSocketUri(), 65536))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("503")
                .hasMessageContaining("Retry-After: 1");

        redis.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> ready(b.port()).statusCode() == 200);
        TestClient client = tryConnect(b.port());
        assertThat(client).isNotNull();
        client.subscribed("after-redis", ALPHA);
        HttpResponse<String> accepted = publish(b.port(), 1);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(client.nextEvent().path("id").asText())
                .isEqualTo(HostExtension.json(accepted).path("ids").get(0).asText());
    }

    @Test
    @DisplayName("a client that subscribes while the stream is empty gets lastIds 0-0; resuming from it on another node"
            + " replays every event published since, and once the stream was trimmed the same resume is a gap")
    void emptyStreamPosition() throws Exception {
        RedisServer redis = redis();
        EventStreamer a = node(redis, 0, "history.size = 5");
        EventStreamer b = node(redis, 0, "history.size = 5");
        TestClient early = tryConnect(a.port());
        assertThat(early).isNotNull();
        JsonNode ack = early.subscribed("early", ALPHA);
        assertThat(ack.at("/data/lastIds/" + ALPHA).asText()).as(ack.toString()).isEqualTo("0-0");
        early.close();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(b.emitter(ALPHA).emit("alpha-happened", Map.of("name", "n", "count", i)));
        }
        TestClient resumed = tryConnect(b.port());
        resumed.send(resumeMessage("early", "0-0"));
        JsonNode resumeAck = resumed.next();
        assertThat(resumeAck.at("/data/resume/" + ALPHA + "/resumed").asBoolean()).as(resumeAck.toString()).isTrue();
        assertThat(resumeAck.at("/data/resume/" + ALPHA + "/replayed").asInt()).isEqualTo(3);
        List<String> replayed = new ArrayList<>();
        for (JsonNode event : resumed.nextEvents(3)) {
            replayed.add(event.path("id").asText());
        }
        assertThat(replayed).isEqualTo(ids);

        for (int i = 3; i < 300; i++) {
            b.emitter(ALPHA).emit("alpha-happened", Map.of("name", "n", "count", i));
        }
        TestClient late = tryConnect(b.port());
        late.send(resumeMessage("late", "0-0"));
        JsonNode lateAck = late.next();
        assertThat(lateAck.at("/data/resume/" + ALPHA + "/reason").asText()).as(lateAck.toString())
                .isEqualTo("history-expired");
        assertThat(late.next().path("type").asText()).isEqualTo("gap");
    }

    private static String resumeMessage(String clientId, String lastId) {
        return "{\"type\":\"subscribe\",\"categories\":[\"" + ALPHA + "\"],\"clientId\":\"" + clientId
                + "\",\"resume\":{\"" + ALPHA + "\":\"" + lastId + "\"}}";
    }
}

package io.eventstreamer.core.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.DeliveryLog;
import io.eventstreamer.core.it.HostExtension;
import io.eventstreamer.core.it.RawWebSocket;
import io.eventstreamer.core.it.TestClient;
import io.lettuce.core.KillArgs;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The loss audit of docs/protocol.md, redis broker rows: hosts in one JVM sharing a real
 * redis-server started by the test. Each test provokes one way of losing events, checks the
 * client's signal, and checks the counts against what was published and received.
 */
class RedisLossAuditTest {
    private static final String ALPHA = "test-alpha";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private final String prefix = "es-audit-" + UUID.randomUUID() + ":";

    @Test
    @DisplayName("stream trimmed past a resume point: a history-expired gap without a count (trimmed entries can't"
            + " be counted), continuing from the host's newest id, then every later event in order")
    void streamTrimmedPastResumePoint() throws IOException {
        RedisServer redis = redis(false);
        EventStreamer node = node(redis, "history.size = 20");
        DeliveryLog log = new DeliveryLog(ALPHA);
        TestClient first = client(node);
        first.subscribed("trimmed", ALPHA);
        emit(node, log, 5);
        for (int i = 0; i < 5; i++) {
            log.take(first.nextEvent());
        }
        first.close();
        emit(node, log, 1000);

        TestClient back = client(node);
        back.send(resume(log.lastReceivedId()));
        JsonNode ack = back.next();
        assertThat(ack.at("/data/resume/test-alpha/reason").asText()).as("%s", ack).isEqualTo("history-expired");
        JsonNode gap = back.next();
        log.take(gap);
        assertThat(gap.at("/data/reason").asText()).as("%s", gap).isEqualTo("history-expired");
        assertThat(gap.at("/data/lastId").asText()).isEqualTo(log.id(4));
        assertThat(gap.at("/data").has("missed")).as("%s", gap).isFalse();
        int continuesFrom = log.position(gap.at("/data/continuesFrom").asText());

        emit(node, log, 3);
        while (log.lastReceived() < log.publishedCount() - 1) {
            log.take(back.nextEvent());
        }
        assertThat(log.missed()).as("missed: everything from after the resume point to continuesFrom")
                .hasSize(continuesFrom - 4).first().isEqualTo(5);
    }

    @Test
    @DisplayName("Redis down: a resume that needs the stream is a broker-unavailable gap without a count, publishes"
            + " get 503 and reach nobody; once Redis is back every event acknowledged with 202 arrives, in order")
    void resumeWhileRedisIsDown() throws IOException {
        RedisServer redis = redis(true);
        EventStreamer node = node(redis);
        DeliveryLog log = new DeliveryLog(ALPHA);
        TestClient first = client(node);
        first.subscribed("resumer", ALPHA);
        emit(node, log, 3);
        for (int i = 0; i < 2; i++) {
            log.take(first.nextEvent());
        }
        first.close(); // before taking the third event: the host has delivered an id after the client's

        redis.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !publishable(node));
        TestClient back = client(node);
        back.send(resume(log.lastReceivedId()));
        JsonNode ack = back.next();
        assertThat(ack.at("/data/resume/test-alpha/reason").asText()).as("%s", ack).isEqualTo("broker-unavailable");
        JsonNode gap = back.next();
        log.take(gap);
        assertThat(gap.at("/data/reason").asText()).as("%s", gap).isEqualTo("broker-unavailable");
        assertThat(gap.at("/data/lastId").asText()).isEqualTo(log.id(1));
        assertThat(gap.at("/data/continuesFrom").asText()).isEqualTo(log.id(2));
        assertThat(gap.at("/data").has("missed")).as("%s", gap).isFalse();
        HttpResponse<String> refused = publish(node, -1);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(HostExtension.json(refused).path("code").asText()).isEqualTo("broker-unavailable");

        redis.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            HttpResponse<String> response = publish(node, log.publishedCount());
            if (response.statusCode() == 202) {
                log.published(HostExtension.json(response).path("ids").get(0).asText());
            }
            return log.publishedCount() == 5;
        });
        while (log.lastReceived() < log.publishedCount() - 1) {
            JsonNode message = back.next();
            if ("event".equals(log.take(message))) {
                assertThat(message.at("/data/count").asInt()).as("not a refused publish").isNotNegative();
            }
        }
        assertThat(log.missed()).as("missed: the event the gap stands for").containsExactly(2);
    }

    @Test
    @DisplayName("drain timeout: a client that does not read in time is closed after a prefix of the events;"
            + " resuming on another node with its last id replays exactly the rest")
    void drainTimeoutThenResumeOnAnotherNode() throws IOException {
        RedisServer redis = redis(false);
        String[] settings = {"drain-timeout = 1s", "history.size = 10000", "message-queue-bytes = 1GiB",
            "broker.redis.command-timeout = 10s"};
        EventStreamer a = node(redis, settings);
        EventStreamer b = node(redis, settings);
        RawWebSocket slow = RawWebSocket.connect(a.webSocketUri(), 4096);
        hosts.closeAfter(slow);
        slow.sendText("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"clientId\":\"stalled\"}");
        assertThat(slow.readJson(TestClient.WAIT).path("type").asText()).isEqualTo("subscription-ack");
        DeliveryLog log = new DeliveryLog(ALPHA);
        // 8 MB: more than the socket buffers between the client and the server hold.
        String padding = "x".repeat(8_000);
        for (int i = 0; i < 1000; i++) {
            log.published(a.emitter(ALPHA).emit("alpha-happened", Map.of("name", padding, "count", i)));
        }

        a.stop();
        while (true) {
            RawWebSocket.Frame frame = slow.read(TestClient.WAIT);
            if (frame == null) {
                break; // dropped: the close frame waited behind unread data past the close grace
            }
            if (frame.isClose()) {
                assertThat(frame.closeCode()).isEqualTo(1001);
                break;
            }
            if (frame.isText()) {
                assertThat(log.take(frame.json())).isIn("event", "ping");
            }
        }
        log.assertPrefix();
        assertThat(log.gaps()).isEmpty();
        assertThat(log.receivedCount()).isPositive();
        assertThat(log.lastReceived()).as("cut off before the end").isLessThan(log.publishedCount() - 1);

        TestClient onB = client(b);
        onB.send(resume(log.lastReceivedId()));
        JsonNode ack = onB.next();
        while (!"subscription-ack".equals(ack.path("type").asText())) {
            assertThat(log.take(ack)).isIn("stream-interrupted", "stream-restored");
            ack = onB.next();
        }
        assertThat(ack.at("/data/resume/test-alpha/replayed").asInt()).as("%s", ack)
                .isEqualTo(log.publishedCount() - 1 - log.lastReceived());
        emit(b, log, 1);
        while (log.lastReceived() < log.publishedCount() - 1) {
            // A busy machine may delay Redis past a command timeout: stream-interrupted and -restored then.
            assertThat(log.take(onB.next())).isIn("event", "stream-interrupted", "stream-restored");
        }
        log.assertReceivedAll();
    }

    /**
     * Failed before the fix: 466 of 506 events missed without a gap. The reader continued with XREAD
     * after the last id it delivered, which skips whatever was trimmed meanwhile (MAXLEN ~
     * history.size on every XADD, XTRIM MINID for history.max-age). Now it checks its position
     * against the stream's head after reconnecting and tells its clients how many were trimmed.
     */
    @Test
    @DisplayName("a node that loses Redis while another keeps publishing past history.size: its clients are told"
            + " of the outage, and afterwards of every event trimmed before it could read them")
    void outageLongerThanTheStream() throws IOException {
        RedisServer redis = redis(false);
        EventStreamer a = node(redis, "history.size = 20");
        EventStreamer b = node(redis, "history.size = 20", "broker.redis.retry-interval = 3s",
                "broker.redis.uri = \"" + redis.uri() + "?clientName=node-b\"");
        DeliveryLog log = new DeliveryLog(ALPHA);
        TestClient onB = client(b);
        onB.subscribed("on-b", ALPHA);
        emit(a, log, 5);
        for (int i = 0; i < 5; i++) {
            log.take(onB.nextEvent());
        }

        killConnectionsNamed(redis, "node-b");
        assertThat(onB.next().path("type").asText()).isEqualTo("stream-interrupted");
        emit(a, log, 500);
        assertThat(onB.next(Duration.ofSeconds(20)).path("type").asText()).isEqualTo("stream-restored");
        emit(a, log, 1);
        while (log.lastReceived() < log.publishedCount() - 1) {
            log.take(onB.next());
        }
        long announced = log.gaps().stream().mapToLong(DeliveryLog.Gap::missed).sum();
        assertThat(announced).as("missed %d of %d events; gaps %s", log.missed().size(), log.publishedCount(),
                log.gaps()).isEqualTo(log.missed().size());
    }

    // --- Helpers ------------------------------------------------------------------------------

    private RedisServer redis(boolean durable) throws IOException {
        RedisServer redis = RedisServer.start(durable);
        hosts.closeAfter(redis);
        return redis;
    }

    /** Closes, from Redis's side, every connection of the clients named {@code name}. */
    private static void killConnectionsNamed(RedisServer redis, String name) {
        RedisClient lettuce = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
            int killed = 0;
            for (String line : connection.sync().clientList().split("\n")) {
                if (line.contains(" name=" + name + " ")) {
                    String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' '));
                    connection.sync().clientKill(KillArgs.Builder.id(Long.parseLong(id)));
                    killed++;
                }
            }
            assertThat(killed).as("connections named %s", name).isPositive();
        } finally {
            lettuce.shutdown();
        }
    }

    private EventStreamer node(RedisServer redis, String... overrides) {
        List<String> all = new ArrayList<>(List.of("broker.type = redis",
                "broker.redis.uri = \"" + redis.uri() + "\"",
                "broker.redis.stream-prefix = \"" + prefix + "\"",
                "broker.redis.retry-interval = 100ms",
                "broker.redis.node-refresh-interval = 500ms"));
        all.addAll(List.of(overrides));
        EventStreamer node = EventStreamer.start(HostExtension.config(all.toArray(new String[0])));
        hosts.closeAfter(node::stop);
        await().atMost(Duration.ofSeconds(20)).until(() -> publishable(node));
        return node;
    }

    /** Whether the node is connected to Redis: a request for its cluster view succeeds. */
    private static boolean publishable(EventStreamer node) {
        return send(HttpRequest.newBuilder(node.httpUri().resolve("/api/cluster"))).statusCode() == 200;
    }

    private TestClient client(EventStreamer node) {
        TestClient client = TestClient.connect(hosts.webSocketClient(), node.webSocketUri());
        hosts.closeAfter(client);
        return client;
    }

    private static void emit(EventStreamer node, DeliveryLog log, int count) {
        for (int i = 0; i < count; i++) {
            log.published(node.emitter(ALPHA).emit("alpha-happened", Map.of("name", "n", "count", log.publishedCount())));
        }
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

    private static String resume(String lastId) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "subscribe");
        message.putArray("categories").add(ALPHA);
        message.putObject("resume").put(ALPHA, lastId);
        return message.toString();
    }
}

package io.eventstreamer.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventstreamer.client.EventStreamClient;
import io.eventstreamer.core.it.cluster.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three servers of the distribution sharing a real Redis, behind a round-robin TCP balancer; one is
 * killed with SIGKILL while a publisher runs, and the Java clients that were on it reconnect
 * through the balancer to the others, resume, and lose nothing.
 */
class NodeKillIT {
    private static final int CLIENTS = 12;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private ServerProcess node(Path home, RedisServer redis) {
        ServerProcess node = ServerProcess.start(home.resolve("bin").resolve("event-streamer"), Map.of("JAVA_OPTS",
                "-Devent-streamer.server.port=0 -Devent-streamer.server.host=127.0.0.1"
                        + " -Devent-streamer.broker.type=redis -Devent-streamer.broker.redis.uri=" + redis.uri()
                        + " -Devent-streamer.broker.redis.retry-interval=200ms"));
        resources.add(node);
        return node;
    }

    private static int publish(int port, int sequence) {
        String body = "{\"category\":\"webhook\",\"event\":\"webhook-delivered\",\"data\":{\"webhookId\":\"kill-test\","
                + "\"deliveryId\":\"d" + sequence + "\",\"statusCode\":200,\"attempt\":" + sequence + ",\"durationMs\":1}}";
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    @DisplayName("a node killed with SIGKILL while a publisher runs: its clients move to the other nodes and every"
            + " client receives every acknowledged event once, in order")
    void nodeKilledHard() throws Exception {
        RedisServer redis = RedisServer.start(false);
        resources.add(redis);
        Path home = Distribution.directory();
        List<ServerProcess> nodes = List.of(node(home, redis), node(home, redis), node(home, redis));
        List<Integer> ports = new ArrayList<>();
        for (ServerProcess node : nodes) {
            ports.add(node.awaitListening(Duration.ofSeconds(60)));
        }
        for (int port : ports) {
            await().atMost(Duration.ofSeconds(30)).until(() -> publish(port, -1) == 202);
        }
        TcpBalancer balancer = new TcpBalancer(ports);
        resources.add(balancer);

        List<List<Integer>> received = new ArrayList<>();
        List<EventStreamClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            List<Integer> events = new CopyOnWriteArrayList<>();
            received.add(events);
            EventStreamClient client = EventStreamClient.builder(URI.create("ws://127.0.0.1:" + balancer.port() + "/ws"))
                    .clientId("kill-test-" + i)
                    .categories("webhook")
                    .onEvent(event -> {
                        if ("kill-test".equals(event.data().path("webhookId").asText())) {
                            int attempt = event.data().path("attempt").asInt();
                            if (attempt >= 0) {
                                events.add(attempt);
                            }
                        }
                    })
                    .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500))
                    .random(new Random(i))
                    .build();
            resources.add(client);
            clients.add(client);
            client.start();
            assertThat(client.awaitSubscribed(Duration.ofSeconds(20))).isTrue();
        }

        // Publish to the two nodes that survive, so every acknowledged event is known to be in Redis.
        List<Integer> acknowledged = new CopyOnWriteArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> {
            for (int sequence = 0; publishing.get(); sequence++) {
                if (publish(ports.get(1 + sequence % 2), sequence) == 202) {
                    acknowledged.add(sequence);
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "publisher");
        publisher.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 300);
            long victim = nodes.get(0).pid();
            new ProcessBuilder("kill", "-9", String.valueOf(victim)).start().waitFor(10, TimeUnit.SECONDS);
            int before = acknowledged.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= before + 700);
        } finally {
            publishing.set(false);
            publisher.join(10_000);
        }

        int total = acknowledged.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> received.stream().allMatch(r -> r.containsAll(acknowledged)));
        int lost = 0;
        for (List<Integer> events : received) {
            assertThat(events).isSorted().doesNotHaveDuplicates();
            List<Integer> missing = new ArrayList<>(acknowledged);
            missing.removeAll(events);
            lost += missing.size();
        }
        System.out.printf("node kill -9: %d clients, %d events acknowledged, %d lost%n", CLIENTS, total, lost);
        assertThat(lost).isZero();
    }
}

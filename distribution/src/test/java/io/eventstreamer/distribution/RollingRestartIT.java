package io.eventstreamer.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventstreamer.client.ConnectionState;
import io.eventstreamer.client.EventStreamClient;
import io.eventstreamer.core.internal.broker.StreamIds;
import io.eventstreamer.core.it.cluster.RedisServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart of three {@code bin/event-streamer} servers sharing a real Redis, behind the
 * round-robin {@link TcpBalancer}, while a publisher posts 500 events/s through the balancer: 200
 * Java clients ({@link EventStreamClient}, which reconnect and resume), plus fresh subscribers that
 * connect without a resume point to each server as soon as it is started again. Each server is
 * stopped (SIGTERM, which drains, or SIGKILL) and started again at once, one after the other.
 *
 * <p>Every client must receive every acknowledged (202) event after the {@code lastIds} of its
 * first ack, once, in order, with no gap notice; and that start must not be late: every event
 * sent after the ack is after it. The 200 clients subscribe before the publisher starts (the
 * stream already has an entry), so they must receive every acknowledged event.
 */
class RollingRestartIT {
    private static final int CLIENTS = 200;
    private static final int FRESH_PER_RESTART = 10;
    private static final int EVENTS_PER_SECOND = 500;
    /**
     * 500 events/s in posts of 25, every 50 ms. With one or five events per post the test's JVM
     * (the balancer's threads, the clients' wake-ups) took more than a core at 200 clients, and on
     * a 2-core machine a restarted server took 20 to 40 s to start.
     */
    private static final int EVENTS_PER_POST = 25;
    private static final String WEBHOOK_ID = "rolling-restart";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * The server's classes as a class-data archive, written by one start and stop before the
     * tests: with it, and with C1 only ({@code -XX:TieredStopAtLevel=1}), a start cost 2.3 CPU
     * seconds instead of 5.3 to 6.0, which decides how long a restart takes while 200 clients keep
     * most of a 2-core machine busy (about 14 s instead of 20 to 40).
     */
    private static Path classArchive;
    private static Path archiveDirectory;

    private final List<EventStreamClient> clients = new ArrayList<>();
    private final List<SubscriberRecord> records = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ServerProcess[] nodes = new ServerProcess[3];
    private RedisServer redis;
    private int[] ports;
    private TcpBalancer balancer;
    private WebSocketClient webSockets;

    @BeforeAll
    static void archiveServerClasses() throws IOException {
        archiveDirectory = Files.createTempDirectory("event-streamer-cds");
        Path archive = archiveDirectory.resolve("event-streamer.jsa");
        try (RedisServer redis = RedisServer.start(false)) {
            ServerProcess node = ServerProcess.start(Distribution.directory().resolve("bin").resolve("event-streamer"),
                    Map.of("JAVA_OPTS", "-XX:ArchiveClassesAtExit=" + archive + " " + serverOptions(redis, 0)));
            try {
                node.awaitListening(Duration.ofSeconds(60));
                node.terminate(Duration.ofSeconds(60));
            } finally {
                node.close();
            }
        }
        // Without an archive (a JVM that can't write one) the servers just start more slowly.
        classArchive = Files.exists(archive) ? archive : null;
    }

    @AfterAll
    static void deleteArchive() throws IOException {
        if (archiveDirectory != null) {
            try (Stream<Path> files = Files.walk(archiveDirectory)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        // Clients first, so that they don't reconnect to servers that are going away.
        clients.forEach(EventStreamClient::close);
        for (ServerProcess node : nodes) {
            if (node != null) {
                node.close();
            }
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    @DisplayName("rolling restart with SIGTERM (drain): every client, and every fresh subscriber of a restarted server,"
            + " receives every acknowledged event once, in order, with no gap")
    void rollingRestartWithSigterm() throws Exception {
        rollingRestart(false);
    }

    @Test
    @DisplayName("rolling restart with kill -9: every client, and every fresh subscriber of a restarted server,"
            + " receives every acknowledged event once, in order, with no gap")
    void rollingRestartWithKill() throws Exception {
        rollingRestart(true);
    }

    private void rollingRestart(boolean kill) throws Exception {
        long began = System.nanoTime();
        startCluster();
        PacedPublisher publisher = new PacedPublisher(URI.create("http://127.0.0.1:" + balancer.port() + "/api/events"),
                WEBHOOK_ID, EVENTS_PER_SECOND, EVENTS_PER_POST);
        resources.add(publisher);
        publisher.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> publisher.acknowledgedCount() >= EVENTS_PER_SECOND);
        for (int i = 0; i < nodes.length; i++) {
            restart(i, kill);
        }
        int afterRestarts = publisher.acknowledgedCount();
        await().atMost(Duration.ofSeconds(20)).until(() -> publisher.acknowledgedCount() >= afterRestarts + 1000);
        publisher.close();

        BitSet acknowledged = publisher.acknowledged();
        List<BitSet> expected = new ArrayList<>();
        int startedLate = 0;
        for (SubscriberRecord record : records) {
            assertThat(record.startId()).as("%s: lastIds of its first ack", record.name()).isNotNull();
            expected.add(expected(record, acknowledged, publisher));
            startedLate += startedLate(record, acknowledged, publisher);
        }
        awaitDelivered(expected);

        Tally tally = new Tally();
        for (int i = 0; i < records.size(); i++) {
            tally.add(records.get(i), expected.get(i), acknowledged);
        }
        Map<String, Integer> refusedButDelivered = byOutcome(tally.unacknowledgedDelivered, publisher);
        System.out.printf("rolling restart (%s): %d clients (%d + %d fresh), %d events acknowledged, %d delivered,"
                + " %d duplicated, %d out of order, %d gaps, %d missing; %d published, requests refused %s, %d unanswered,"
                + " not acknowledged but delivered %s; %d s%n", kill ? "kill -9" : "SIGTERM", records.size(),
                CLIENTS, records.size() - CLIENTS, acknowledged.cardinality(), tally.delivered, tally.duplicated,
                tally.outOfOrder, tally.gaps, tally.missing, publisher.published(), publisher.refusals(),
                publisher.failedRequests(), refusedButDelivered, millis(System.nanoTime() - began) / 1000);
        assertThat(tally.problems).as("clients that did not get every acknowledged event once, in order").isEmpty();
        assertThat(startedLate).as("acknowledged events sent after a client's first ack but not after its lastIds")
                .isZero();
        assertThat(tally.missing + tally.duplicated + tally.outOfOrder + tally.gaps).isZero();
        // An event whose request got an answer other than 202 (503 while a server stops) must not have
        // been published; only a request that got no answer at all (its server killed) may have been.
        assertThat(refusedButDelivered.keySet()).as("events delivered although their request was refused")
                .isSubsetOf("no answer");
    }

    /** Three servers, the balancer in front, one event in the stream, and 200 clients subscribed. */
    private void startCluster() throws Exception {
        redis = RedisServer.start(false);
        resources.add(redis);
        ports = freePorts(nodes.length);
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = node(ports[i]);
        }
        for (int i = 0; i < nodes.length; i++) {
            awaitReady(nodes[i], ports[i]);
        }
        balancer = new TcpBalancer(List.of(ports[0], ports[1], ports[2]));
        resources.add(balancer);
        webSockets = webSocketClient();
        resources.add(webSockets::stop);
        // A running system's streams have entries: the first acks carry an id.
        assertThat(post(ports[0], "{\"category\":\"webhook\",\"event\":\"webhook-delivered\",\"data\":"
                + "{\"webhookId\":\"warm-up\",\"deliveryId\":\"w\",\"statusCode\":200,\"attempt\":1,"
                + "\"durationMs\":1}}")).isEqualTo(202);
        URI throughBalancer = URI.create("ws://127.0.0.1:" + balancer.port() + "/ws");
        for (int i = 0; i < CLIENTS; i++) {
            records.add(subscriber(throughBalancer, "client-" + i));
        }
        awaitSubscribed();
    }

    /**
     * Stops node {@code i} and starts it again at once; fresh clients connect to it directly as it
     * comes up. Returns when it is ready and every client is subscribed again.
     */
    private void restart(int i, boolean kill) throws Exception {
        long began = System.nanoTime();
        if (kill) {
            new ProcessBuilder("kill", "-9", String.valueOf(nodes[i].pid())).start().waitFor(10, TimeUnit.SECONDS);
            nodes[i].awaitExit(Duration.ofSeconds(10));
        } else {
            assertThat(nodes[i].terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
        }
        long stopped = System.nanoTime();
        nodes[i] = node(ports[i]);
        URI direct = URI.create("ws://127.0.0.1:" + ports[i] + "/ws");
        for (int f = 0; f < FRESH_PER_RESTART; f++) {
            records.add(subscriber(direct, "fresh-" + i + "-" + f));
        }
        awaitReady(nodes[i], ports[i]);
        long ready = System.nanoTime();
        awaitSubscribed();
        await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream()
                .allMatch(c -> c.state() == ConnectionState.CONNECTED));
        System.out.printf("restart of node %d: stopped in %d ms, started and ready in %d ms, every client"
                + " subscribed %d ms later%n", i, millis(stopped - began), millis(ready - stopped),
                millis(System.nanoTime() - ready));
    }

    /** Waits a bounded time for every client to have what it must receive; what is still missing is counted. */
    private void awaitDelivered(List<BitSet> expected) {
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (int i = 0; i < records.size(); i++) {
                    if (records.get(i).missing(expected.get(i)) > 0) {
                        return false;
                    }
                }
                return true;
            });
        } catch (ConditionTimeoutException e) {
            // Counted and reported by the caller.
        }
    }

    /** The counts over every client, and a line for each client with a problem. */
    private static final class Tally {
        long delivered;
        long duplicated;
        long outOfOrder;
        long gaps;
        long missing;
        final BitSet unacknowledgedDelivered = new BitSet();
        final List<String> problems = new ArrayList<>();

        void add(SubscriberRecord record, BitSet expected, BitSet acknowledged) {
            int missed = record.missing(expected);
            delivered += record.delivered();
            duplicated += record.duplicated();
            outOfOrder += record.outOfOrder();
            gaps += record.gaps();
            missing += missed;
            unacknowledgedDelivered.or(record.outside(acknowledged));
            if (missed > 0 || record.duplicated() > 0 || record.outOfOrder() > 0 || record.gaps() > 0) {
                problems.add(String.format("%s: %d missing, %d duplicated, %d out of order, %d gaps (started after %s)",
                        record.name(), missed, record.duplicated(), record.outOfOrder(), record.gaps(),
                        record.startId()));
            }
        }
    }

    /** How many of {@code events} were in requests answered each way. */
    private static Map<String, Integer> byOutcome(BitSet events, PacedPublisher publisher) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int s = events.nextSetBit(0); s >= 0; s = events.nextSetBit(s + 1)) {
            counts.merge(publisher.outcome(s), 1, Integer::sum);
        }
        return counts;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** What a client must receive: every acknowledged event after the lastIds of its first ack. */
    private static BitSet expected(SubscriberRecord record, BitSet acknowledged, PacedPublisher publisher) {
        BitSet expected = new BitSet();
        for (int s = acknowledged.nextSetBit(0); s >= 0; s = acknowledged.nextSetBit(s + 1)) {
            if (StreamIds.compare(publisher.id(s), record.startId()) > 0) {
                expected.set(s);
            }
        }
        return expected;
    }

    /** Acknowledged events sent after a client's first ack whose ids are not after its lastIds. */
    private static int startedLate(SubscriberRecord record, BitSet acknowledged, PacedPublisher publisher) {
        int late = 0;
        for (int s = acknowledged.nextSetBit(0); s >= 0; s = acknowledged.nextSetBit(s + 1)) {
            if (publisher.sentAtNanos(s) > record.subscribedAtNanos()
                    && StreamIds.compare(publisher.id(s), record.startId()) <= 0) {
                late++;
            }
        }
        return late;
    }

    private SubscriberRecord subscriber(URI uri, String name) {
        SubscriberRecord record = new SubscriberRecord(name);
        AtomicReference<EventStreamClient> self = new AtomicReference<>();
        EventStreamClient client = EventStreamClient.builder(uri)
                .clientId(name)
                .categories("webhook")
                .webSocketClient(webSockets)
                .onEvent(event -> {
                    if (WEBHOOK_ID.equals(event.data().path("webhookId").asText())) {
                        record.event(event.data().path("attempt").asInt());
                    }
                })
                .onGap(gap -> record.gap())
                .onStateChange(state -> {
                    // Runs on the client's thread after the ack's lastIds were taken, before any event.
                    if (state == ConnectionState.CONNECTED) {
                        record.firstSubscribed(self.get().lastEventIds().get("webhook"));
                    }
                })
                .reconnectDelay(Duration.ofMillis(50), Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(5))
                .random(new Random(name.hashCode()))
                .build();
        self.set(client);
        clients.add(client);
        client.start();
        return record;
    }

    private void awaitSubscribed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> records.stream().allMatch(SubscriberRecord::subscribed));
    }

    private ServerProcess node(int port) {
        String archive = classArchive == null ? "" : "-XX:SharedArchiveFile=" + classArchive + " ";
        return ServerProcess.start(Distribution.directory().resolve("bin").resolve("event-streamer"),
                Map.of("JAVA_OPTS", archive + serverOptions(redis, port)));
    }

    private static String serverOptions(RedisServer redis, int port) {
        return "-Xmx384m -XX:TieredStopAtLevel=1 -Devent-streamer.server.port=" + port
                + " -Devent-streamer.server.host=127.0.0.1"
                + " -Devent-streamer.broker.type=redis -Devent-streamer.broker.redis.uri=" + redis.uri()
                + " -Devent-streamer.broker.redis.retry-interval=200ms";
    }

    private static void awaitReady(ServerProcess node, int port) {
        assertThat(node.awaitListening(Duration.ofSeconds(60))).isEqualTo(port);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> readyStatus(port) == 200);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not ready; its output:\n" + node.output(), e);
        }
    }

    private static int post(int port, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int readyStatus(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static WebSocketClient webSocketClient() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 4);
        threads.setName("rolling-restart-clients");
        threads.setDaemon(true);
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient();
        http.setExecutor(threads);
        http.setConnectTimeout(5_000);
        WebSocketClient client = new WebSocketClient(http);
        client.start();
        return client;
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}

package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.EventStreamer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile clients on real sockets, each attack bounded and stopping by itself. While it runs, a
 * bystander must receive every event published and {@code /health/live} must answer within a
 * second; afterwards the server's heap (the host runs in this JVM) must have grown by no more
 * than {@link #HEAP_BUDGET}, and the attacker must have been closed with the stated code when
 * the attack breaks a limit. Each test fails against the code before the bounds (460b627): not
 * closed, or the heap grown past the budget, or a queue past its bound.
 */
class HostileClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHA = "test-alpha";
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    /**
     * Heap growth allowed across an attack: far above what the bounds allow one connection (a
     * control queue of 64 KiB, a live queue of shared events), far below what the unbounded
     * queues reached (hundreds of MB in seconds).
     */
    private static final long HEAP_BUDGET = 32L << 20;
    private static final Duration ATTACK_TIME = Duration.ofSeconds(8);
    private static final Duration HEALTH_LIMIT = Duration.ofSeconds(1);
    private static final String[] NO_FRAME_LIMIT = {
        "limits.max-frames-per-second = 100000000", "limits.frame-burst = 100000000"};

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("a ping flood from a client that never reads is closed 1008 by the frame rate limit")
    void pingFloodIsClosedByTheFrameRate() throws IOException {
        EventStreamer host = hosts.start();
        Watch watch = new Watch(host, 1);
        RawWebSocket attacker = hosts.rawClient();
        long sent = flood(attacker, RawWebSocket.repeatedFrame(OP_PING, true, new byte[0], 1000), 3_000_000);
        assertClosed(attacker, 1008, "frame rate limit exceeded");
        watch.finish("ping flood, frame limit", sent);
    }

    @Test
    @DisplayName("with no frame limit, a ping flood from a client that never reads keeps one pong, not one per ping")
    void pongsToAPingFloodAreCoalesced() throws IOException {
        EventStreamer host = hosts.start(NO_FRAME_LIMIT);
        Watch watch = new Watch(host, 1);
        RawWebSocket attacker = hosts.rawClient();
        byte[] payload = new byte[125];
        Arrays.fill(payload, (byte) 'p');
        long sent = flood(attacker, RawWebSocket.repeatedFrame(OP_PING, true, payload, 1000), 1_000_000);
        byte[] last = new byte[125];
        Arrays.fill(last, (byte) 'L');
        attacker.sendFrame(OP_PING, last);
        watch.finish("ping flood, pongs", sent);
        // The server is still answering: once the client reads, the newest ping gets its pong.
        long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
        RawWebSocket.Frame frame;
        do {
            frame = attacker.read(TestClient.WAIT);
            assertThat(frame).as("connection still open").isNotNull();
        } while (!(frame.opcode() == OP_PONG && Arrays.equals(frame.payload(), last)) && System.nanoTime() < deadline);
        assertThat(frame.payload()).as("the pong of the newest ping").isEqualTo(last);
    }

    @Test
    @DisplayName("with permessage-deflate and no frame limit, a ping flood stalls reading instead of queuing pongs")
    void pingFloodWithDeflateStallsReading() throws Exception {
        // Such connections answer a ping through Jetty, which reads the next frame only once the
        // pong is written: a client that doesn't read stops being read. Its writes then block, so
        // the attack is ended by closing its socket when the time is up.
        EventStreamer host = hosts.start("server.per-message-deflate = true", NO_FRAME_LIMIT[0], NO_FRAME_LIMIT[1]);
        Watch watch = new Watch(host, 1);
        RawWebSocket attacker = RawWebSocket.connect(host.webSocketUri(), 4096,
                Map.of("Sec-WebSocket-Extensions", "permessage-deflate"));
        hosts.closeAfter(attacker);
        assertThat(attacker.handshakeResponse()).contains("permessage-deflate");
        byte[] payload = new byte[125];
        Arrays.fill(payload, (byte) 'p');
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule(() -> {
                attacker.close();
                return null;
            }, ATTACK_TIME.toMillis(), TimeUnit.MILLISECONDS);
            long sent = flood(attacker, RawWebSocket.repeatedFrame(OP_PING, true, payload, 1000), 1_000_000);
            watch.finish("ping flood, permessage-deflate", sent);
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    @DisplayName("a text frame followed by endless empty continuation frames is closed 1008")
    void emptyContinuationFloodIsClosed() throws IOException {
        EventStreamer host = hosts.start();
        Watch watch = new Watch(host, 1);
        RawWebSocket attacker = hosts.rawClient();
        attacker.sendFrame(OP_TEXT, false, "{".getBytes(StandardCharsets.UTF_8));
        long sent = flood(attacker, RawWebSocket.repeatedFrame(OP_CONTINUATION, false, new byte[0], 1000), 20_000_000);
        assertClosed(attacker, 1008, null);
        watch.finish("empty continuation flood", sent);
    }

    @Test
    @DisplayName("with no frame limit, a message in more fragments than max-fragments-per-message is closed 1008")
    void tooManyFragmentsAreClosed() throws IOException {
        EventStreamer host = hosts.start(NO_FRAME_LIMIT);
        Watch watch = new Watch(host, 1);
        RawWebSocket attacker = hosts.rawClient();
        attacker.sendFrame(OP_TEXT, false, "{".getBytes(StandardCharsets.UTF_8));
        long sent = flood(attacker, RawWebSocket.repeatedFrame(OP_CONTINUATION, false, new byte[0], 1000), 20_000_000);
        assertClosed(attacker, 1008, "too many fragments in one message");
        watch.finish("continuation flood, fragments", sent);
    }

    @Test
    @DisplayName("a client that sends JSON pings and never reads the pongs is closed 1008 once they pile up")
    void unreadRepliesAreClosed() throws IOException {
        // Fast enough that the flood fills the socket buffers in a moment; the message burst stays
        // 50, so the bound on unread replies stays 128 messages / 64 KiB.
        EventStreamer host = hosts.start("limits.max-messages-per-second = 1000000", NO_FRAME_LIMIT[0],
                NO_FRAME_LIMIT[1]);
        Watch watch = new Watch(host, 1);
        RawWebSocket attacker = hosts.rawClient();
        long sent = flood(attacker, RawWebSocket.repeatedFrame(OP_TEXT, true,
                "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), 1000), 300_000);
        // Read at once: the close waits behind the unread replies, and the server drops the
        // connection when it is not read within the close grace (2 s).
        assertClosed(attacker, 1008, "replies not read");
        watch.finish("JSON pings, replies unread", sent);
    }

    @Test
    @DisplayName("never-reading clients repeating resume and unsubscribe keep their queues within the bounds")
    void resumeFloodStaysBounded() throws Exception {
        // Messages fast enough for hundreds of resumes a second, and a burst so large that the
        // bound on unread replies (acks) stays out of the way: this test is about the event queues.
        EventStreamer host = hosts.start("limits.max-messages-per-second = 100000", "limits.message-burst = 100000");
        Watch watch = new Watch(host, 0);
        String first = watch.publish(1000); // history (1000) is full: each resume replays 999
        byte[] cycle = concat(
                RawWebSocket.repeatedFrame(OP_TEXT, true, subscribeWithResume(first), 1),
                RawWebSocket.repeatedFrame(OP_TEXT, true,
                        "{\"type\":\"unsubscribe\",\"categories\":[\"test-alpha\"]}".getBytes(StandardCharsets.UTF_8), 1));
        byte[] cycles = new byte[cycle.length * 50];
        for (int i = 0; i < 50; i++) {
            System.arraycopy(cycle, 0, cycles, i * cycle.length, cycle.length);
        }
        List<RawWebSocket> attackers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RawWebSocket attacker = hosts.rawClient();
            attackers.add(attacker);
            for (int round = 0; round < 6; round++) {
                attacker.sendRaw(cycles); // 300 resumes and unsubscribes, 600 frames: under the frame burst
            }
            attacker.sendFrame(OP_TEXT, true, subscribeWithResume(first)); // and stays subscribed
        }
        int live = 20_000;
        watch.publish(live);
        int bound = 4096 + 999; // message-queue-size, plus as much as the replay queued (up to message-queue-size)
        JsonNode connections = HostExtension.json(hosts.get("/api/admin/connections"));
        List<Integer> queued = new ArrayList<>();
        for (JsonNode connection : connections.get("connections")) {
            if (!connection.path("clientId").asText().equals("bystander")) {
                queued.add(connection.get("queued").asInt());
            }
        }
        watch.finish("resume flood (10 clients, 3,000 resumes; queued " + queued + ")", 10 * 601);
        assertThat(queued).hasSize(10).allSatisfy(q -> assertThat(q).isLessThanOrEqualTo(bound));
    }

    private static byte[] subscribeWithResume(String after) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "subscribe");
        message.putArray("categories").add(ALPHA);
        message.putObject("resume").put(ALPHA, after);
        return message.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Writes {@code chunk} (1000 frames) again and again, never reading, until {@code maxFrames} are
     * sent, {@link #ATTACK_TIME} has passed, or the server has dropped the connection. Returns the
     * frames sent.
     */
    private static long flood(RawWebSocket attacker, byte[] chunk, long maxFrames) {
        long deadline = System.nanoTime() + ATTACK_TIME.toNanos();
        long sent = 0;
        try {
            while (sent < maxFrames && System.nanoTime() < deadline) {
                attacker.sendRaw(chunk);
                sent += 1000;
            }
        } catch (IOException dropped) {
            // The server ended the connection: the attack is over.
        }
        return sent;
    }

    /** Reads what the attacker was sent until a close frame, and checks its code (and reason, unless null). */
    private static void assertClosed(RawWebSocket attacker, int code, String reason) throws IOException {
        long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
        RawWebSocket.Frame frame;
        try {
            do {
                frame = attacker.read(TestClient.WAIT);
            } while (frame != null && !frame.isClose() && System.nanoTime() < deadline);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the attacker", e);
        }
        assertThat(frame).as("a close frame (not a reset connection)").isNotNull();
        assertThat(frame.isClose()).as("a close frame within %s", TestClient.WAIT).isTrue();
        assertThat(frame.closeCode()).isEqualTo(code);
        if (reason != null) {
            assertThat(new String(frame.payload(), 2, frame.payload().length - 2, StandardCharsets.UTF_8))
                    .isEqualTo(reason);
        }
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * What a test watches while an attack runs: a bystander subscribed to the category, a publisher
     * (when asked for), {@code /health/live}'s slowest answer, and the heap before and after.
     */
    private final class Watch {
        private final EventStreamer host;
        private final TestClient bystander;
        private final long heapBefore;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger published = new AtomicInteger();
        private final AtomicLong slowestHealthNanos = new AtomicLong();
        private final AtomicReference<String> healthFailure = new AtomicReference<>();
        private final List<Thread> threads = new ArrayList<>();
        private final long startedAt;

        /** @param eventsPerMilli events published each millisecond while the attack runs; 0 for none */
        Watch(EventStreamer host, int eventsPerMilli) {
            this.host = host;
            this.bystander = hosts.client();
            bystander.subscribed("bystander", ALPHA);
            // The first request in a JVM loads the HTTP client's classes: not the server's latency.
            assertThat(hosts.get("/health/live").statusCode()).isEqualTo(200);
            heapBefore = usedHeapAfterGc();
            if (eventsPerMilli > 0) {
                start("publisher", () -> {
                    while (running.get()) {
                        for (int i = 0; i < eventsPerMilli; i++) {
                            emit();
                        }
                        LockSupport.parkNanos(1_000_000); // pacing, not synchronization
                    }
                });
            }
            start("health", () -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        int status = hosts.get("/health/live").statusCode();
                        if (status != 200) {
                            healthFailure.compareAndSet(null, "status " + status);
                        }
                    } catch (RuntimeException e) {
                        healthFailure.compareAndSet(null, e.toString());
                    }
                    slowestHealthNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    LockSupport.parkNanos(50_000_000);
                }
            });
            startedAt = System.nanoTime();
        }

        private void start(String name, Runnable task) {
            Thread thread = new Thread(task, "hostile-test-" + name);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }

        private String emit() {
            int n = published.getAndIncrement();
            return host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "bystander", "count", n));
        }

        /** Publishes {@code count} events now, about ten a millisecond; returns the first one's id. */
        String publish(int count) {
            String first = null;
            for (int i = 0; i < count; i++) {
                String id = emit();
                if (first == null) {
                    first = id;
                }
                if (i % 10 == 9) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
            return first;
        }

        /** Stops watching; checks the bystander's events, the health answers and the heap growth. */
        void finish(String attack, long framesSent) {
            long millis = (System.nanoTime() - startedAt) / 1_000_000;
            running.set(false);
            for (Thread thread : threads) {
                try {
                    thread.join(TestClient.WAIT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            int count = published.get();
            int received = 0;
            for (int i = 0; i < count; i++) {
                assertThat(bystander.nextEvent().at("/data/count").asInt()).as("bystander's event %d", i).isEqualTo(i);
                received++;
            }
            long heapAfter = usedHeapAfterGc();
            long growth = heapAfter - heapBefore;
            System.out.printf("%s: %,d frames in %,d ms; heap %,d -> %,d KiB (%+,d KiB); bystander %,d/%,d events;"
                    + " slowest /health/live %,d ms%n", attack, framesSent, millis, heapBefore >> 10, heapAfter >> 10,
                    growth >> 10, received, count, slowestHealthNanos.get() / 1_000_000);
            assertThat(healthFailure.get()).as("/health/live failure").isNull();
            assertThat(Duration.ofNanos(slowestHealthNanos.get())).as("slowest /health/live").isLessThan(HEALTH_LIMIT);
            assertThat(growth).as("heap growth in bytes during " + attack).isLessThan(HEAP_BUDGET);
        }
    }
}

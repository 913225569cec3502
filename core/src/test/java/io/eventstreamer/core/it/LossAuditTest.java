package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.EventStreamer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The loss audit of docs/protocol.md ("Where an event can fail to reach a client"), memory broker:
 * each test provokes one way of losing events, checks the signal the client gets, and checks the
 * counts against what was really published and received ({@link DeliveryLog}). The redis rows are
 * in {@code cluster.RedisLossAuditTest}.
 *
 * <p>A stalled client is a {@link RawWebSocket} with a 4 KiB receive buffer that stops reading:
 * 2,000 events of 10 KB (20 MB) are more than the socket buffers between it and the server hold.
 */
class LossAuditTest {
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Queues that never overflow, so that a test sees only the loss it provokes. */
    private static final String[] UNBOUNDED_QUEUE = {"message-queue-size = 1000000", "message-queue-bytes = 1GiB"};
    /** History that keeps everything these tests publish. */
    private static final String[] FULL_HISTORY = {"history.size = 1000000", "history.max-bytes = 2GiB"};
    private static final int STALLING_EVENTS = 2_000;
    private static final int LARGE = 10_000;
    /** What {@link #readToEnd} returns when the connection ended without a close frame. */
    private static final int DROPPED = -1;
    private static final String HMAC = "auth.enabled = true\nauth.jwt.hmac-secret = \"" + Tokens.SECRET + "\"\n"
            + "auth.jwt.issuer = \"https://auth.example.com\"\nauth.jwt.audience = \"event-streamer\"";

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    // --- Queue overflow ----------------------------------------------------------------------

    @Test
    @DisplayName("overflow, drop-oldest: a client whose socket stalls loses its oldest queued events; each run it"
            + " missed is announced between its neighbours by gaps that count it exactly, events-dropped gives the"
            + " same total, and a resume from the first gap's resumeFrom replays the rest")
    void overflowDropOldest() throws Exception {
        EventStreamer host = hosts.start(with(FULL_HISTORY, "overflow-policy = drop-oldest"));
        RawWebSocket slow = stalledSubscriber(ALPHA);
        DeliveryLog log = new DeliveryLog(ALPHA);

        publishUntil(host, log, () -> drops() > 0);
        readUntil(slow, log, () -> log.lastReceived() == log.publishedCount() - 1);

        assertThat(log.gaps()).isNotEmpty();
        log.assertOverflowAccountedFor();
        log.assertContiguousGaps();

        String resumeFrom = log.gaps().get(0).data().path("resumeFrom").asText();
        int from = log.position(resumeFrom);
        TestClient resumer = hosts.client();
        resumer.send(subscribeWithResume(ALPHA, resumeFrom));
        JsonNode ack = resumer.next();
        assertThat(ack.at("/data/resume/test-alpha/replayed").asInt()).as("%s", ack)
                .isEqualTo(log.publishedCount() - from - 1);
        for (int position = from + 1; position < log.publishedCount(); position++) {
            assertThat(resumer.nextEvent().path("id").asText()).isEqualTo(log.id(position));
        }
    }

    @Test
    @DisplayName("overflow, coalesce: the events a stalled client loses are exactly those its gaps count, each"
            + " gap names missing ids, and it ends with the newest event about each thing")
    void overflowCoalesce() throws Exception {
        EventStreamer host = hosts.start("sources.test-alpha.overflow-policy = coalesce");
        RawWebSocket slow = stalledSubscriber(ALPHA);
        DeliveryLog log = new DeliveryLog(ALPHA);
        List<String> things = List.of("breaker-a", "breaker-b", "breaker-c", "breaker-d");
        Map<String, Integer> newestPublished = new HashMap<>();
        String padding = "x".repeat(1000);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (int i = 0; i < 100; i++) {
                String thing = things.get(log.publishedCount() % things.size());
                newestPublished.put(thing, log.publishedCount());
                log.published(host.emitter(ALPHA).emit("alpha-state-changed",
                        Map.of("name", thing, "state", "s" + log.publishedCount(), "padding", padding)));
            }
            return drops() > 0;
        });
        Map<String, Integer> newestReceived = new HashMap<>();
        readUntil(slow, log, () -> log.lastReceived() == log.publishedCount() - 1, event ->
                newestReceived.put(event.at("/data/name").asText(), log.position(event.path("id").asText())));

        assertThat(log.gaps()).isNotEmpty();
        log.assertOverflowAccountedFor();
        assertThat(newestReceived).isEqualTo(newestPublished);
    }

    @Test
    @DisplayName("overflow, disconnect: a stalled client is cut off after a prefix of the events, in order and"
            + " without a gap; resuming from its last id replays exactly the rest")
    void overflowDisconnect() throws Exception {
        EventStreamer host = hosts.start(with(FULL_HISTORY, "overflow-policy = disconnect"));
        RawWebSocket slow = stalledSubscriber(ALPHA);
        DeliveryLog log = new DeliveryLog(ALPHA);

        publishUntil(host, log, () -> host.clientCount() == 0);
        int close = readToEnd(slow, log);

        // 1008, or the connection dropped when the close frame, queued behind unread data, could not
        // be written within the close grace.
        assertThat(close).isIn(1008, DROPPED);
        assertCutOffWithoutGap(log);
        resumeAndReceiveTheRest(host, log, hosts.client());
    }

    // --- Failed resumes ------------------------------------------------------------------------

    @Test
    @DisplayName("history expired by count (history.size): the resume's gap counts exactly the events published"
            + " after the client's id, and the events that follow arrive in order")
    void historyExpiredBySize() {
        EventStreamer host = hosts.start("history.size = 5");
        resumeAcrossExpiredHistory(host, 100);
    }

    @Test
    @DisplayName("history expired by bytes (history.max-bytes): the gap counts exactly what was missed")
    void historyExpiredByBytes() {
        EventStreamer host = hosts.start("history.max-bytes = 32KiB");
        resumeAcrossExpiredHistory(host, LARGE);
    }

    @Test
    @DisplayName("history expired by age (history.max-age): the gap counts exactly what was missed")
    void historyExpiredByAge() {
        EventStreamer host = hosts.start("history.max-age = 200ms");
        resumeAcrossExpiredHistory(host, 100);
    }

    /**
     * The client receives 6 events and leaves; 14 more are published; it comes back with its last
     * id once history no longer holds the 14, and 3 more are published.
     */
    private void resumeAcrossExpiredHistory(EventStreamer host, int eventBytes) {
        DeliveryLog log = new DeliveryLog(ALPHA);
        TestClient first = hosts.client();
        first.subscribed("expiring", ALPHA);
        publish(host, log, 6, eventBytes);
        for (int i = 0; i < 6; i++) {
            log.take(first.nextEvent());
        }
        first.close();
        publish(host, log, 14, eventBytes);

        // By count and bytes at once; by age once 200 ms have passed (a resume before then succeeds).
        TestClient back = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> resumeUnlessReplayed(log.lastReceivedId()), Objects::nonNull);
        JsonNode gap = back.next();
        assertThat(gap.path("type").asText()).as("%s", gap).isEqualTo("gap");
        log.take(gap);
        assertThat(gap.at("/data/reason").asText()).isEqualTo("history-expired");
        assertThat(gap.at("/data/lastId").asText()).isEqualTo(log.id(5));
        assertThat(gap.at("/data/continuesFrom").asText()).isEqualTo(log.id(19));
        assertThat(gap.at("/data/missed").asLong()).as("%s", gap).isEqualTo(14);

        publish(host, log, 3, eventBytes);
        for (int i = 0; i < 3; i++) {
            log.take(back.nextEvent());
        }
        assertThat(log.missed()).as("missed: exactly positions 6..19").hasSize(14).first().isEqualTo(6);
        assertThat(log.receivedCount() + gap.at("/data/missed").asLong()).isEqualTo(log.publishedCount());
    }

    /** A client that resumed after {@code lastId} and was refused (its gap not yet read), or null after a replay. */
    private TestClient resumeUnlessReplayed(String lastId) {
        TestClient client = hosts.client();
        client.send(subscribeWithResume(ALPHA, lastId));
        JsonNode ack = client.next();
        if (ack.at("/data/resume/test-alpha/resumed").asBoolean()) {
            client.close();
            return null;
        }
        assertThat(ack.at("/data/resume/test-alpha/reason").asText()).as("%s", ack).isEqualTo("history-expired");
        return client;
    }

    @Test
    @DisplayName("drain timeout, then a restart (memory broker): a client that does not read in time is closed"
            + " after a prefix of the events; resuming on the restarted host is an epoch-changed gap without a"
            + " count (the old history is gone), and the events that follow arrive in order")
    void drainTimeoutThenEpochChange() throws Exception {
        EventStreamer before = hosts.start(with(UNBOUNDED_QUEUE, "drain-timeout = 1s"));
        RawWebSocket slow = stalledSubscriber(ALPHA);
        DeliveryLog log = new DeliveryLog(ALPHA);
        publish(before, log, STALLING_EVENTS, LARGE);

        before.stop(); // waits a second for the queue to drain, then closes the client
        int close = readToEnd(slow, log);
        assertThat(close).isIn(1001, DROPPED);
        assertCutOffWithoutGap(log);

        EventStreamer after = hosts.start();
        publish(after, log, 3, 100);
        TestClient back = hosts.client();
        back.send(subscribeWithResume(ALPHA, log.lastReceivedId()));
        JsonNode ack = back.next();
        assertThat(ack.at("/data/resume/test-alpha/reason").asText()).as("%s", ack).isEqualTo("epoch-changed");
        JsonNode gap = back.next();
        log.take(gap);
        assertThat(gap.at("/data/reason").asText()).as("%s", gap).isEqualTo("epoch-changed");
        assertThat(gap.at("/data/lastId").asText()).isEqualTo(log.lastReceivedId());
        assertThat(gap.at("/data/continuesFrom").asText()).isEqualTo(log.id(log.publishedCount() - 1));
        assertThat(gap.at("/data").has("missed")).as("the server can't know what the old epoch held: %s", gap)
                .isFalse();

        publish(after, log, 2, 100);
        log.take(back.nextEvent());
        log.take(back.nextEvent());
        // Missed: what the drain did not deliver, and what the new host published before the resume.
        assertThat(log.missed()).hasSize(STALLING_EVENTS - 1 - log.position(gap.at("/data/lastId").asText()) + 3);
        assertThat(log.lastReceived()).isEqualTo(log.publishedCount() - 1);
    }

    @Test
    @DisplayName("resume from an unknown id (ahead of the host, or malformed): an unknown-id gap without a count,"
            + " continuing from the newest id, then every later event in order")
    void unknownId() {
        EventStreamer host = hosts.start();
        DeliveryLog log = new DeliveryLog(ALPHA);
        publish(host, log, 5, 100);
        String epoch = log.id(4).substring(0, log.id(4).indexOf('-'));
        for (String unknown : List.of(epoch + "-999", "not-an-id")) {
            TestClient client = hosts.client();
            client.send(subscribeWithResume(ALPHA, unknown));
            assertThat(client.next().at("/data/resume/test-alpha/reason").asText()).isEqualTo("unknown-id");
            JsonNode gap = client.next();
            assertThat(gap.at("/data/reason").asText()).as("%s", gap).isEqualTo("unknown-id");
            assertThat(gap.at("/data/lastId").asText()).isEqualTo(unknown);
            assertThat(gap.at("/data/continuesFrom").asText()).isEqualTo(log.id(log.publishedCount() - 1));
            assertThat(gap.at("/data").has("missed")).as("%s", gap).isFalse();
            int next = log.publishedCount();
            publish(host, log, 2, 100);
            assertThat(client.nextEvent().path("id").asText()).isEqualTo(log.id(next));
            assertThat(client.nextEvent().path("id").asText()).isEqualTo(log.id(next + 1));
            client.close();
        }
    }

    // --- Closes that clear a queue ------------------------------------------------------------

    @Test
    @DisplayName("stale close during a replay: a resuming client that sends nothing is closed (1000) with its"
            + " replay half sent; resuming again from its last id replays exactly the rest")
    void staleCloseDuringReplay() throws Exception {
        EventStreamer host = hosts.start(with(with(FULL_HISTORY, UNBOUNDED_QUEUE), "heartbeat-interval = 250ms",
                "connection-timeout = 1s"));
        DeliveryLog log = new DeliveryLog(ALPHA);
        TestClient first = hosts.client();
        first.subscribed("replayed", ALPHA);
        publish(host, log, 1, 100);
        log.take(first.nextEvent());
        first.close();
        publish(host, log, STALLING_EVENTS, LARGE);

        RawWebSocket slow = hosts.rawClient();
        slow.sendText(subscribeWithResume(ALPHA, log.lastReceivedId()));
        JsonNode ack;
        do {
            // The heartbeat (every 250 ms) may come before the ack: this client connected first.
            ack = slow.readJson(TestClient.WAIT);
        } while ("ping".equals(ack.path("type").asText()));
        assertThat(ack.at("/data/resume/test-alpha/replayed").asInt()).as("%s", ack).isEqualTo(STALLING_EVENTS);
        await().atMost(Duration.ofSeconds(20)).until(() -> host.clientCount() == 0);

        int close = readToEnd(slow, log);
        assertThat(close).isIn(1000, DROPPED);
        log.assertPrefix();
        assertThat(log.gaps()).isEmpty();
        assertThat(log.lastReceived()).as("cut off during the replay").isLessThan(log.publishedCount() - 1);
        TestClient back = hosts.client();
        back.answerPings(TestClient.PingAnswer.JSON_PONG);
        resumeAndReceiveTheRest(host, log, back);
    }

    @Test
    @DisplayName("token expiry: the client is told (token-expired) and closed with 1008; reconnecting with a"
            + " fresh token and its last id replays exactly what it missed")
    void tokenExpiryClose() {
        EventStreamer host = hosts.start(HMAC, "auth.jwt.clock-skew = 0s", "auth.expiry-warning = 1s",
                "heartbeat-interval = 100ms", "connection-timeout = 60s");
        DeliveryLog log = new DeliveryLog(ALPHA);
        String shortLived = Tokens.hs256(Tokens.claims(List.of(ALPHA), Instant.now().plusSeconds(2)).build());
        TestClient lapsing = hosts.client(host.webSocketUri(), Map.of("Authorization", "Bearer " + shortLived));
        lapsing.answerPings(TestClient.PingAnswer.JSON_PONG);
        lapsing.subscribed("lapsing", ALPHA);
        publish(host, log, 3, 100);
        JsonNode message;
        do {
            message = lapsing.next(Duration.ofSeconds(10));
        } while (!"error".equals(log.take(message)));
        assertError(message, "token-expired");
        assertThat(lapsing.awaitClose().code()).isEqualTo(1008);
        assertThat(log.receivedCount()).isEqualTo(3);

        publish(host, log, 5, 100);
        String fresh = Tokens.hs256(Tokens.claims(List.of(ALPHA), Instant.now().plusSeconds(3600)).build());
        TestClient back = hosts.client(host.webSocketUri(), Map.of("Authorization", "Bearer " + fresh));
        back.answerPings(TestClient.PingAnswer.JSON_PONG);
        resumeAndReceiveTheRest(host, log, back);
    }

    // --- Not losses -----------------------------------------------------------------------------

    @Test
    @DisplayName("unsubscribe drops the category's queued events without a gap or events-dropped (the client asked"
            + " for it); the other category's queued events all arrive")
    void unsubscribeDropsQueuedEventsSilently() throws Exception {
        EventStreamer host = hosts.start(UNBOUNDED_QUEUE);
        RawWebSocket slow = stalledSubscriber(ALPHA, BETA);
        DeliveryLog alpha = new DeliveryLog(ALPHA);
        DeliveryLog beta = new DeliveryLog(BETA);
        publish(host, alpha, STALLING_EVENTS, LARGE);
        for (int i = 0; i < 5; i++) {
            beta.published(host.emitter(BETA).emit("beta-measured",
                    Map.of("value", i, "measuredAt", "2026-11-25T22:10:51.123Z")));
        }
        slow.sendText("{\"type\":\"unsubscribe\",\"categories\":[\"test-alpha\"]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> hosts.status().at("/subscriptions/test-alpha").asInt() == 0);

        boolean acknowledged = false;
        while (beta.receivedCount() < 5) {
            JsonNode message = slow.readJson(TestClient.WAIT);
            assertThat(message).as("connection open").isNotNull();
            String type = message.path("type").asText();
            if ("unsubscription-ack".equals(type)) {
                acknowledged = true;
            } else if ("ping".equals(type) || BETA.equals(message.path("category").asText())) {
                beta.take(message);
            } else {
                assertThat(alpha.take(message)).as("only events of %s: %s", ALPHA, message).isEqualTo("event");
            }
        }
        assertThat(acknowledged).isTrue();
        alpha.assertPrefix();
        assertThat(alpha.lastReceived()).as("queued alpha events were dropped").isLessThan(STALLING_EVENTS - 1);
        beta.assertReceivedAll();
    }

    @Test
    @DisplayName("publishes refused with 413, 400 or 429 are not acknowledged and reach nobody: a subscriber receives"
            + " exactly the events of the 202 answers")
    void refusedPublishesReachNobody() {
        EventStreamer host = hosts.start("limits.max-events-per-publish = 10", "limits.publish-rate-on-loopback = true",
                "limits.publish-events-per-second = 1", "limits.publish-burst = 20");
        TestClient client = hosts.client();
        client.subscribed("subscriber", ALPHA);
        DeliveryLog log = new DeliveryLog(ALPHA);

        assertThat(hosts.post("/api/events", batch(0, 11, -1)).statusCode()).isEqualTo(413);
        assertThat(hosts.post("/api/events", batch(100, 10, 9)).statusCode()).isEqualTo(400);
        for (int start : new int[] {200, 300}) {
            HttpResponse<String> accepted = hosts.post("/api/events", batch(start, 10, -1));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            HostExtension.json(accepted).path("ids").forEach(id -> log.published(id.asText()));
        }
        HttpResponse<String> limited = hosts.post("/api/events", batch(400, 10, -1));
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();

        log.published(host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "sentinel", "count", 999)));
        for (int i = 0; i < log.publishedCount(); i++) {
            log.take(client.nextEvent());
        }
        log.assertReceivedAll();
    }

    // --- Helpers ------------------------------------------------------------------------------

    private static String[] with(String[] settings, String... more) {
        String[] all = new String[settings.length + more.length];
        System.arraycopy(settings, 0, all, 0, settings.length);
        System.arraycopy(more, 0, all, settings.length, more.length);
        return all;
    }

    private long drops() {
        return HostExtension.json(hosts.get("/api/diagnostics")).at("/categories/test-alpha/drops").asLong();
    }

    /** A raw client subscribed to {@code categories} that reads nothing more after the ack. */
    private RawWebSocket stalledSubscriber(String... categories) throws IOException {
        RawWebSocket raw = hosts.rawClient();
        ObjectNode subscribe = JSON.createObjectNode().put("type", "subscribe");
        ArrayNode list = subscribe.putArray("categories");
        for (String category : categories) {
            list.add(category);
        }
        raw.sendText(subscribe.toString());
        JsonNode ack = raw.readJson(TestClient.WAIT);
        assertThat(ack.path("type").asText()).as("%s", ack).isEqualTo("subscription-ack");
        return raw;
    }

    private static void publish(EventStreamer host, DeliveryLog log, int count, int bytes) {
        String padding = "x".repeat(bytes);
        for (int i = 0; i < count; i++) {
            log.published(host.emitter(ALPHA).emit("alpha-happened",
                    Map.of("name", padding, "count", log.publishedCount())));
        }
    }

    /** Publishes batches of 100 events of 1 KB until {@code done}: a client's socket stalls within seconds. */
    private static void publishUntil(EventStreamer host, DeliveryLog log, BooleanSupplier done) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            publish(host, log, 100, 1000);
            return done.getAsBoolean();
        });
    }

    private static void readUntil(RawWebSocket client, DeliveryLog log, BooleanSupplier done) throws IOException {
        readUntil(client, log, done, event -> { });
    }

    private static void readUntil(RawWebSocket client, DeliveryLog log, BooleanSupplier done,
            java.util.function.Consumer<JsonNode> onEvent) throws IOException {
        while (!done.getAsBoolean()) {
            JsonNode message = client.readJson(TestClient.WAIT);
            assertThat(message).as("connection closed after %d events", log.receivedCount()).isNotNull();
            if ("event".equals(log.take(message))) {
                onEvent.accept(message);
            }
        }
    }

    /** Reads until the connection ends; returns the close code, or {@link #DROPPED}. */
    private static int readToEnd(RawWebSocket client, DeliveryLog log) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = client.read(TestClient.WAIT);
            if (frame == null) {
                return DROPPED;
            }
            if (frame.isClose()) {
                return frame.closeCode();
            }
            if (frame.isText()) {
                assertThat(log.take(frame.json())).as("%s", frame.text()).isIn("event", "ping");
            }
        }
    }

    /** The client received the first events in order, then nothing: cut off by a close, with no gap. */
    private static void assertCutOffWithoutGap(DeliveryLog log) {
        log.assertPrefix();
        assertThat(log.gaps()).isEmpty();
        assertThat(log.receivedCount()).as("some events arrived").isPositive();
        assertThat(log.lastReceived()).as("cut off before the end").isLessThan(log.publishedCount() - 1);
    }

    /**
     * Resumes on {@code client} after the last event received: the replay is exactly the events
     * missed, and one event published afterwards follows it. Then every event was received once.
     */
    private static void resumeAndReceiveTheRest(EventStreamer host, DeliveryLog log, TestClient client) {
        int missed = log.publishedCount() - 1 - log.lastReceived();
        client.send(subscribeWithResume(ALPHA, log.lastReceivedId()));
        JsonNode ack = client.next();
        assertThat(ack.at("/data/resume/test-alpha/resumed").asBoolean()).as("%s", ack).isTrue();
        assertThat(ack.at("/data/resume/test-alpha/replayed").asInt()).isEqualTo(missed);
        publish(host, log, 1, 100);
        while (log.lastReceived() < log.publishedCount() - 1) {
            log.take(client.nextEvent());
        }
        log.assertReceivedAll();
    }

    private static String subscribeWithResume(String category, String lastId) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "subscribe");
        message.putArray("categories").add(category);
        message.putObject("resume").put(category, lastId);
        return message.toString();
    }

    /** A POST body of {@code count} alpha events; the one at {@code invalid} (when >= 0) lacks its count. */
    private static String batch(int start, int count, int invalid) {
        ArrayNode events = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            ObjectNode data = JSON.createObjectNode().put("name", "posted");
            if (i != invalid) {
                data.put("count", start + i);
            }
            events.addObject().put("category", ALPHA).put("event", "alpha-happened").set("data", data);
        }
        return events.toString();
    }
}

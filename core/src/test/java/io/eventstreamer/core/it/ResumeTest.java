package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.spi.EventEmitter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** History, resume after a reconnect, and the gap signal when a resume can't be served. */
class ResumeTest {
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private static String subscribeWithResume(String clientId, Map<String, String> resume, String... categories) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "subscribe");
        message.set("categories", JSON.valueToTree(List.of(categories)));
        message.put("clientId", clientId);
        message.set("resume", JSON.valueToTree(resume));
        return message.toString();
    }

    private static int count(JsonNode event) {
        return event.at("/data/count").asInt();
    }

    @Test
    @DisplayName("a client that reconnects with its last id gets exactly what it missed, in order, then live events,"
            + " while a publisher keeps publishing (30 rounds, seeded timing)")
    void resumeUnderConcurrentPublishing() throws Exception {
        // A queue large enough that a test client slowed down by a busy machine never overflows:
        // this test is about resume, not about slow consumers.
        EventStreamer host = hosts.start("history.size = 100000", "message-queue-size = 100000");
        EventEmitter alpha = host.emitter(ALPHA);
        AtomicInteger published = new AtomicInteger();
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> {
            while (publishing.get()) {
                alpha.emit("alpha-happened", Map.of("name", "tick", "count", published.getAndIncrement()));
                LockSupport.parkNanos(250_000); // up to ~4,000 events/s: a steady stream, not a flood
            }
        }, "publisher");
        Random random = new Random(42);
        try {
            TestClient client = hosts.client();
            client.subscribed("resumer", ALPHA);
            publisher.start();
            JsonNode last = client.nextEvent();
            int rounds = 30;
            for (int round = 0; round < rounds; round++) {
                // Read a random number of events, then drop the connection.
                for (int i = random.nextInt(50); i > 0; i--) {
                    JsonNode event = client.nextEvent();
                    assertThat(count(event)).isEqualTo(count(last) + 1);
                    last = event;
                }
                client.close();
                // Stay away while a random number of events is published.
                int awayUntil = published.get() + 1 + random.nextInt(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> published.get() >= awayUntil);

                client = hosts.client();
                client.send(subscribeWithResume("resumer", Map.of(ALPHA, last.get("id").asText()), ALPHA));
                JsonNode ack = client.next();
                assertThat(ack.path("type").asText()).as("ack in round %d: %s", round, ack).isEqualTo("subscription-ack");
                assertThat(ack.at("/data/resume/" + ALPHA + "/resumed").asBoolean()).as("ack %s", ack).isTrue();
                int replayed = ack.at("/data/resume/" + ALPHA + "/replayed").asInt();
                assertThat(replayed).as("replayed in round %d", round).isPositive();
                // The replay and the first live events: contiguous, no duplicate, no gap.
                for (int i = 0; i < replayed + 20; i++) {
                    JsonNode event = client.nextEvent();
                    assertThat(count(event)).as("round %d, event %d after %s", round, i, last.get("id"))
                            .isEqualTo(count(last) + 1);
                    last = event;
                }
            }
        } finally {
            publishing.set(false);
            publisher.join(10_000);
        }
    }

    @Test
    @DisplayName("resuming from the newest id replays nothing and continues live")
    void resumeWhenUpToDate() {
        EventStreamer host = hosts.start();
        String id = host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "a", "count", 1));
        TestClient client = hosts.client();
        client.send(subscribeWithResume("c", Map.of(ALPHA, id), ALPHA, BETA));
        JsonNode ack = client.next();
        assertThat(ack.at("/data/categories").toString()).isEqualTo("[\"test-alpha\",\"test-beta\"]");
        assertThat(ack.at("/data/resume/" + ALPHA).toString()).isEqualTo("{\"resumed\":true,\"replayed\":0}");
        assertThat(ack.at("/data/resume").has(BETA)).as("no resume asked for beta").isFalse();
        host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "b", "count", 2));
        assertThat(count(client.nextEvent())).isEqualTo(2);
    }

    @Test
    @DisplayName("a resume point older than history gets resumed=false, a gap message, then live events")
    void olderThanHistory() {
        EventStreamer host = hosts.start("history.size = 5");
        EventEmitter alpha = host.emitter(ALPHA);
        String first = alpha.emit("alpha-happened", Map.of("name", "e", "count", 1));
        String newest = first;
        for (int i = 2; i <= 20; i++) {
            newest = alpha.emit("alpha-happened", Map.of("name", "e", "count", i));
        }
        TestClient client = hosts.client();
        client.send(subscribeWithResume("late", Map.of(ALPHA, first), ALPHA));
        JsonNode ack = client.next();
        assertThat(ack.at("/data/resume/" + ALPHA).toString())
                .isEqualTo("{\"resumed\":false,\"reason\":\"history-expired\"}");
        JsonNode gap = client.next();
        assertThat(gap.path("type").asText()).as("gap: %s", gap).isEqualTo("gap");
        assertThat(gap.at("/data/category").asText()).isEqualTo(ALPHA);
        assertThat(gap.at("/data/reason").asText()).isEqualTo("history-expired");
        assertThat(gap.at("/data/lastId").asText()).isEqualTo(first);
        assertThat(gap.at("/data/continuesFrom").asText()).isEqualTo(newest);
        assertThat(gap.at("/data/missed").asLong()).isEqualTo(19);
        alpha.emit("alpha-happened", Map.of("name", "e", "count", 21));
        assertThat(count(client.nextEvent())).isEqualTo(21);
    }

    @Test
    @DisplayName("a resume point older than history's maximum age is a gap too")
    void olderThanMaxAge() {
        EventStreamer host = hosts.start("history.max-age = 200ms");
        EventEmitter alpha = host.emitter(ALPHA);
        String first = alpha.emit("alpha-happened", Map.of("name", "e", "count", 1));
        alpha.emit("alpha-happened", Map.of("name", "e", "count", 2));
        TestClient client = hosts.client();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            client.send(subscribeWithResume("late", Map.of(ALPHA, first), ALPHA));
            JsonNode ack = client.next();
            if (ack.at("/data/resume/" + ALPHA + "/resumed").asBoolean()) {
                client.nextEvent(); // the replayed event; history has not aged yet
                client.send("{\"type\":\"unsubscribe\",\"categories\":[\"test-alpha\"]}");
                client.next();
            }
            assertThat(ack.at("/data/resume/" + ALPHA + "/reason").asText()).isEqualTo("history-expired");
        });
        assertThat(client.next().path("type").asText()).isEqualTo("gap");
    }

    @Test
    @DisplayName("an id from another epoch (a previous life of the host) or a malformed id is a gap, never a replay")
    void otherEpochAndUnknownIds() {
        EventStreamer host = hosts.start();
        String current = host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "e", "count", 1));
        String epoch = current.substring(0, current.indexOf('-'));
        Map<String, String> cases = Map.of(
                "1-1", "epoch-changed",
                (Long.parseLong(epoch) - 1) + "-1", "epoch-changed",
                epoch + "-999", "unknown-id",
                "not-an-id", "unknown-id");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            TestClient client = hosts.client();
            client.send(subscribeWithResume("x", Map.of(ALPHA, c.getKey()), ALPHA));
            JsonNode ack = client.next();
            assertThat(ack.at("/data/resume/" + ALPHA + "/reason").asText()).as("ack for %s", c.getKey())
                    .isEqualTo(c.getValue());
            JsonNode gap = client.next();
            assertThat(gap.path("type").asText()).isEqualTo("gap");
            assertThat(gap.at("/data/reason").asText()).isEqualTo(c.getValue());
            assertThat(gap.at("/data/lastId").asText()).isEqualTo(c.getKey());
            assertThat(gap.at("/data/continuesFrom").asText()).isEqualTo(current);
        }
    }

    @Test
    @DisplayName("a malformed resume is refused with invalid-resume and changes nothing")
    void invalidResume() {
        hosts.start();
        TestClient client = hosts.client();
        client.send("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"resume\":[1]}");
        assertError(client.next(), "invalid-resume");
        client.send("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"resume\":{\"test-beta\":\"1-1\"}}");
        assertError(client.next(), "invalid-resume");
        client.send("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"resume\":{\"test-alpha\":5}}");
        assertError(client.next(), "invalid-resume");
        assertThat(hosts.status().at("/subscriptions/test-alpha").asInt()).isZero();
    }
}

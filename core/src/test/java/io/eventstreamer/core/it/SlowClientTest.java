package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.spi.EventEmitter;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that stops reading must not slow down the publisher or anyone else.
 *
 * <p>The slow client is a {@link RawWebSocket} with a small receive buffer that subscribes and then
 * doesn't read, so the kernel buffers fill and the server's writes to it stall. 20,000 events of
 * about 1 KB (20 MB) are far more than those buffers and its queue hold. The normal client reads
 * each batch before the next is published, so its own queue never overflows; the test is about
 * the slow one.
 */
class SlowClientTest {
    private static final String ALPHA = "test-alpha";
    private static final int EVENTS = 20_000;
    private static final int BATCH = 100;
    private static final int QUEUE_SIZE = 256;
    private static final String PADDING = "x".repeat(1000);
    /** Hang detector: publishing 20 MB must never wait on the stalled socket. */
    private static final Duration PUBLISHING_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("drop-oldest: the stalled client stays connected, others get everything, and it learns how many it lost")
    void dropOldest() throws Exception {
        EventStreamer host = hosts.start("message-queue-size = " + QUEUE_SIZE, "overflow-policy = drop-oldest");
        TestClient normal = hosts.client();
        normal.subscribed("normal", ALPHA);
        RawWebSocket slow = subscribedRawClient();

        publishWhileNormalClientReadsEverything(host, normal);

        JsonNode status = hosts.status();
        assertThat(status.get("connectedClients").asInt()).as("the slow client is still connected").isEqualTo(2);
        // Memory stays bounded: once its socket has taken nothing for a second, the stalled client
        // is slow, and the next event cuts its queue back to its bounds.
        AtomicInteger published = new AtomicInteger(EVENTS);
        EventEmitter alpha = host.emitter(ALPHA);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            alpha.emit("alpha-happened", Map.of("name", PADDING, "count", published.getAndIncrement()));
            normal.nextEvent();
            JsonNode deepest = HostExtension.json(hosts.get("/api/diagnostics"));
            assertThat(deepest.at("/deepestQueues/0/queued").asInt()).as("deepest queue in %s", deepest)
                    .isBetween(1, QUEUE_SIZE);
        });
        int events = published.get();
        JsonNode diagnostics = HostExtension.json(hosts.get("/api/diagnostics"));
        assertThat(diagnostics.at("/categories/" + ALPHA + "/drops").asLong()).isPositive();
        assertThat(host.clientCount()).isEqualTo(2);

        // Now the slow client reads: some events, in order, and how many it lost.
        long received = 0;
        long dropped = 0;
        int lastCount = -1;
        boolean sawDropNotice = false;
        long gapMissed = 0;
        while (lastCount != events - 1 || received + dropped < events) {
            JsonNode message = readOrFail(slow, received, dropped);
            if ("event".equals(message.path("type").asText())) {
                int count = message.at("/data/count").asInt();
                assertThat(count).as("events in publish order").isGreaterThan(lastCount);
                lastCount = count;
                received++;
            } else if ("gap".equals(message.path("type").asText())) {
                // The structured form of the same news, per category (see the history/resume tests).
                assertThat(message.at("/data/reason").asText()).isEqualTo("overflow");
                assertThat(message.at("/data/category").asText()).isEqualTo(ALPHA);
                gapMissed += message.at("/data/missed").asLong();
            } else {
                assertError(message, "events-dropped");
                assertThat(message.at("/data/dropped").isIntegralNumber()).as("dropped count in %s", message).isTrue();
                assertThat(message.at("/data/dropped").asLong()).isPositive();
                dropped += message.at("/data/dropped").asLong();
                sawDropNotice = true;
            }
        }
        assertThat(sawDropNotice).isTrue();
        assertThat(received + dropped).as("received + reported dropped").isEqualTo(events);
        assertThat(gapMissed).as("gap messages report the same drops").isEqualTo(dropped);
        assertThat(received).as("the newest events are kept").isGreaterThan(0);
    }

    @Test
    @DisplayName("disconnect: the stalled client is disconnected and others get everything")
    void disconnect() throws Exception {
        EventStreamer host = hosts.start("message-queue-size = " + QUEUE_SIZE, "overflow-policy = disconnect");
        TestClient normal = hosts.client();
        normal.subscribed("normal", ALPHA);
        RawWebSocket slow = subscribedRawClient();

        publishWhileNormalClientReadsEverything(host, normal);

        await().atMost(Duration.ofSeconds(30)).until(() -> host.clientCount() == 1);
        assertThat(hosts.status().get("connectedClients").asInt()).isEqualTo(1);
        assertThat(normal.isOpen()).isTrue();

        // What the slow client finds when it reads: a prefix of the events in order, then the end.
        int lastCount = -1;
        while (true) {
            RawWebSocket.Frame frame = slow.read(TestClient.WAIT);
            if (frame == null) {
                break;
            }
            if (frame.isClose()) {
                assertThat(frame.closeCode()).isEqualTo(1008);
                break;
            }
            if (frame.isText()) {
                JsonNode message = frame.json();
                assertThat(message.path("type").asText()).as("message %s", message).isEqualTo("event");
                int count = message.at("/data/count").asInt();
                assertThat(count).isGreaterThan(lastCount);
                lastCount = count;
            }
        }
        assertThat(lastCount).as("the slow client was cut off before the end").isLessThan(EVENTS - 1);
    }

    private RawWebSocket subscribedRawClient() throws Exception {
        RawWebSocket slow = hosts.rawClient();
        slow.sendText("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"clientId\":\"slow\"}");
        JsonNode ack = slow.readJson(TestClient.WAIT);
        assertThat(ack).isNotNull();
        assertThat(ack.path("type").asText()).isEqualTo("subscription-ack");
        return slow;
    }

    /** Publishes EVENTS in batches; after each batch the normal client must have all of it, in order. */
    private static void publishWhileNormalClientReadsEverything(EventStreamer host, TestClient normal) {
        EventEmitter alpha = host.emitter(ALPHA);
        assertTimeoutPreemptively(PUBLISHING_BOUND, () -> {
            for (int start = 0; start < EVENTS; start += BATCH) {
                for (int i = start; i < start + BATCH; i++) {
                    alpha.emit("alpha-happened", Map.of("name", PADDING, "count", i));
                }
                for (int i = start; i < start + BATCH; i++) {
                    JsonNode event = normal.nextEvent();
                    assertThat(event.at("/data/count").asInt()).as("normal client, position %d", i).isEqualTo(i);
                }
            }
        }, "publishing blocked: the publisher must never wait on a stalled client");
    }

    private static JsonNode readOrFail(RawWebSocket slow, long received, long dropped) throws Exception {
        try {
            JsonNode message = slow.readJson(TestClient.WAIT);
            if (message == null) {
                fail("the slow client was disconnected under drop-oldest (received %d, dropped %d)", received, dropped);
            }
            return message;
        } catch (SocketTimeoutException e) {
            throw new AssertionError(String.format("the slow client waited %s for more; received %d events, "
                    + "reported dropped %d, of %d", TestClient.WAIT, received, dropped, EVENTS), e);
        }
    }
}

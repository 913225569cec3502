package io.eventstreamer.client.it;

import static io.eventstreamer.client.it.TestEvents.ALPHA;
import static io.eventstreamer.client.it.TestEvents.BETA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.client.ConnectionState;
import io.eventstreamer.client.EventStreamClient;
import io.eventstreamer.client.StreamEvent;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.HostExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against a real host, without connection trouble. */
class ConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private final Closer closer = new Closer();

    @AfterEach
    void closeClients() throws Exception {
        closer.closeAll();
    }

    @Test
    @DisplayName("connects, subscribes and delivers each event once, in order, on the client's one thread")
    void connectsSubscribesAndReceives() throws Exception {
        EventStreamer host = hosts.start();
        Recorder recorder = new Recorder();
        EventStreamClient client = start(recorder, EventStreamClient.builder(host.webSocketUri())
                .clientId("it-client")
                .categories(ALPHA, BETA));

        assertThat(client.awaitSubscribed(WAIT)).isTrue();
        String a1 = TestEvents.alpha(host, 1);
        String b1 = TestEvents.beta(host, 1);
        String a2 = TestEvents.alpha(host, 2);
        String b2 = TestEvents.beta(host, 2);
        String a3 = TestEvents.alpha(host, 3);
        await().atMost(WAIT).until(() -> recorder.eventCount() == 5);

        assertThat(recorder.ids(ALPHA)).containsExactly(a1, a2, a3);
        assertThat(recorder.ids(BETA)).containsExactly(b1, b2);
        StreamEvent first = event(recorder, ALPHA, a1);
        assertThat(first.category()).isEqualTo(ALPHA);
        assertThat(first.type()).isEqualTo("alpha-happened");
        assertThat(first.data().get("count").asInt()).isEqualTo(1);
        assertThat(first.data().get("name").asText()).isEqualTo("event 1");
        assertThat(first.timestamp()).isNotNull();
        assertThat(first.raw()).contains("\"type\":\"event\"").contains("\"clientId\":\"it-client\"");
        StreamEvent beta = event(recorder, BETA, b2);
        assertThat(beta.data().get("seq").asInt()).as("fields beyond the catalog's").isEqualTo(2);

        assertThat(client.lastEventIds()).isEqualTo(Map.of(ALPHA, a3, BETA, b2));
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(recorder.states()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
        assertThat(recorder.threads()).singleElement().asString().startsWith("event-streamer-client-it-client");
        assertThat(recorder.gaps()).isEmpty();
        assertThat(recorder.errors()).isEmpty();
        JsonNode details = hosts.status().get("clientDetails");
        assertThat(details.get("it-client")).hasSize(2);
    }

    @Test
    @DisplayName("receives only the categories it subscribed to")
    void onlyItsCategories() throws Exception {
        EventStreamer host = hosts.start();
        Recorder recorder = new Recorder();
        EventStreamClient client = start(recorder, EventStreamClient.builder(host.webSocketUri()).categories(BETA));
        assertThat(client.awaitSubscribed(WAIT)).isTrue();

        TestEvents.alpha(host, 1);
        String beta = TestEvents.beta(host, 1);
        await().atMost(WAIT).until(() -> recorder.eventCount() >= 1);
        TestEvents.alpha(host, 2);
        String last = TestEvents.beta(host, 2);
        await().atMost(WAIT).until(() -> recorder.eventCount() >= 2);

        assertThat(recorder.events()).extracting(StreamEvent::id).containsExactly(beta, last);
        assertThat(client.lastEventIds()).isEqualTo(Map.of(BETA, last));
    }

    @Test
    @DisplayName("answers the server's pings: stays connected over several connection timeouts")
    void answersPings() throws Exception {
        EventStreamer host = hosts.start("heartbeat-interval = 200ms", "connection-timeout = 1s");
        Recorder recorder = new Recorder();
        EventStreamClient client = start(recorder, EventStreamClient.builder(host.webSocketUri())
                .categories(ALPHA)
                .deadConnectionTimeout(Duration.ofSeconds(1)));
        assertThat(client.awaitSubscribed(WAIT)).isTrue();

        // Both sides would drop the connection after 1 s without pings and pongs.
        await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(6))
                .until(() -> client.state() == ConnectionState.CONNECTED && host.clientCount() == 1);

        assertThat(recorder.states()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
        String id = TestEvents.alpha(host, 1);
        await().atMost(WAIT).until(() -> recorder.ids(ALPHA).equals(List.of(id)));
    }

    @Test
    @DisplayName("passes error messages to onError; a refused subscribe is retried with backoff")
    void errors() throws Exception {
        EventStreamer host = hosts.start();
        Recorder recorder = new Recorder();
        start(recorder, EventStreamClient.builder(host.webSocketUri())
                .categories(ALPHA, "no-such-category")
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
                .random(new Random(1)));

        await().atMost(WAIT).until(() -> recorder.errors().size() >= 3);

        JsonNode error = recorder.errors().get(0);
        assertThat(error.get("code").asText()).isEqualTo("unknown-category");
        assertThat(error.get("error").asText()).contains("no-such-category");
        assertThat(recorder.states()).doesNotContain(ConnectionState.CONNECTED)
                .containsSubsequence(ConnectionState.CONNECTING, ConnectionState.DISCONNECTED, ConnectionState.CONNECTING);
    }

    @Test
    @DisplayName("a callback that throws is logged; later events are still delivered and recorded")
    void throwingCallback() throws Exception {
        EventStreamer host = hosts.start();
        Recorder recorder = new Recorder();
        recorder.beforeRecording(event -> {
            if (event.data().get("count").asInt() == 1) {
                throw new IllegalStateException("application bug (expected by the test)");
            }
        });
        EventStreamClient client = start(recorder, EventStreamClient.builder(host.webSocketUri()).categories(ALPHA));
        assertThat(client.awaitSubscribed(WAIT)).isTrue();

        TestEvents.alpha(host, 1);
        String second = TestEvents.alpha(host, 2);
        await().atMost(WAIT).until(() -> recorder.eventCount() == 1);

        assertThat(recorder.ids(ALPHA)).containsExactly(second);
        assertThat(client.lastEventIds()).isEqualTo(Map.of(ALPHA, second));
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    @DisplayName("a slow application is fed at its own pace: the client stops reading while messages wait, then resumes")
    void slowApplication() throws Exception {
        // A queue big enough for the whole burst: this is about the client's reading, not the server's drops.
        EventStreamer host = hosts.start("message-queue-size = 5000");
        Recorder recorder = new Recorder();
        recorder.beforeRecording(event -> pause(Duration.ofMillis(1))); // the application's work
        EventStreamClient client = start(recorder, EventStreamClient.builder(host.webSocketUri()).categories(ALPHA));
        assertThat(client.awaitSubscribed(WAIT)).isTrue();

        // Far more than the client reads ahead (256 messages), published at once.
        List<String> published = TestEvents.alphas(host, 0, 1000);

        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.eventCount() == published.size());
        assertThat(recorder.ids(ALPHA)).isEqualTo(published);
        assertThat(recorder.gaps()).isEmpty();
        assertThat(recorder.states()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
    }

    @Test
    @DisplayName("close() closes the connection, stops reconnecting and reports CLOSED last")
    void close() throws Exception {
        EventStreamer host = hosts.start();
        Recorder recorder = new Recorder();
        EventStreamClient client = start(recorder, EventStreamClient.builder(host.webSocketUri()).categories(ALPHA));
        assertThat(client.awaitSubscribed(WAIT)).isTrue();
        assertThat(host.clientCount()).isEqualTo(1);

        client.close();

        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        await().atMost(WAIT).until(() -> host.clientCount() == 0);
        TestEvents.alpha(host, 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> host.clientCount() == 0 && recorder.eventCount() == 0);
        assertThat(recorder.states()).containsExactly(
                ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionState.CLOSED);
        assertThat(client.awaitSubscribed(Duration.ofMillis(10))).isFalse();
        client.close();
    }

    @Test
    @DisplayName("close() may be called from a callback")
    void closeFromCallback() throws Exception {
        EventStreamer host = hosts.start();
        Recorder recorder = new Recorder();
        AtomicReference<EventStreamClient> self = new AtomicReference<>();
        recorder.beforeRecording(event -> self.get().close());
        EventStreamClient client = closer.add(recorder.attach(EventStreamClient.builder(host.webSocketUri()))
                .categories(ALPHA)
                .build());
        self.set(client);
        client.start();
        assertThat(client.awaitSubscribed(WAIT)).isTrue();

        TestEvents.alpha(host, 1);
        TestEvents.alpha(host, 2);

        await().atMost(WAIT).until(() -> client.state() == ConnectionState.CLOSED && host.clientCount() == 0);
        assertThat(recorder.eventCount()).as("the event being delivered, and none after it").isEqualTo(1);
        assertThat(recorder.states()).endsWith(ConnectionState.CLOSED);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ids are unique within a category only. */
    private static StreamEvent event(Recorder recorder, String category, String id) {
        return recorder.events().stream()
                .filter(e -> e.category().equals(category) && e.id().equals(id))
                .findFirst().orElseThrow();
    }

    private EventStreamClient start(Recorder recorder, EventStreamClient.Builder builder) {
        EventStreamClient client = closer.add(recorder.attach(builder).build());
        client.start();
        return client;
    }
}

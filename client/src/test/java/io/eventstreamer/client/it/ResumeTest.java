package io.eventstreamer.client.it;

import static io.eventstreamer.client.it.TestEvents.ALPHA;
import static io.eventstreamer.client.it.TestEvents.BETA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventstreamer.client.ConnectionState;
import io.eventstreamer.client.EventStreamClient;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.HostExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client resumes after the last event it delivered, so a reconnect loses and repeats nothing. */
class ResumeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SEED = 20261125L;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private final Closer closer = new Closer();

    @AfterEach
    void closeClients() throws Exception {
        closer.closeAll();
    }

    @Test
    @DisplayName("a client that dropped before its first event still gets what was published while it was away"
            + " (the ack's lastIds give it a resume point)")
    void resumesBeforeTheFirstEvent() throws Exception {
        EventStreamer host = hosts.start("history.size = 1000");
        TestEvents.alphas(host, 0, 3); // published before the client came: not for it
        CuttableProxy proxy = closer.add(new CuttableProxy(host.port()));
        Recorder recorder = new Recorder();
        EventStreamClient client = closer.add(recorder.attach(EventStreamClient.builder(proxy.webSocketUri()))
                .categories(ALPHA)
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(100))
                .random(new Random(SEED))
                .build());
        client.start();
        assertThat(client.awaitSubscribed(WAIT)).isTrue();
        proxy.mode(CuttableProxy.Mode.REFUSE);
        proxy.cutAll();
        await().atMost(WAIT).until(() -> client.state() != ConnectionState.CONNECTED && host.clientCount() == 0);
        List<String> whileAway = TestEvents.alphas(host, 3, 7);
        proxy.mode(CuttableProxy.Mode.FORWARD);
        await().atMost(WAIT).until(() -> recorder.eventCount() >= whileAway.size());
        assertThat(recorder.ids(ALPHA)).isEqualTo(whileAway);
        assertThat(recorder.gaps()).isEmpty();
    }

    @Test
    @DisplayName("events published while the client was away arrive after the reconnect, exactly once, in order, then live ones")
    void resumesAfterADrop() throws Exception {
        EventStreamer host = hosts.start("history.size = 1000");
        CuttableProxy proxy = closer.add(new CuttableProxy(host.port()));
        Recorder recorder = new Recorder();
        EventStreamClient client = closer.add(recorder.attach(EventStreamClient.builder(proxy.webSocketUri()))
                .categories(ALPHA)
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(100))
                .random(new Random(SEED))
                .build());
        client.start();
        assertThat(client.awaitSubscribed(WAIT)).isTrue();
        Random random = new Random(SEED);
        List<String> published = new ArrayList<>(TestEvents.alphas(host, 0, 5));
        await().atMost(WAIT).until(() -> recorder.eventCount() == published.size());

        for (int round = 1; round <= 3; round++) {
            // Away: the connection is reset and new ones are refused until the events are out.
            proxy.mode(CuttableProxy.Mode.REFUSE);
            proxy.cutAll();
            await().atMost(WAIT).until(() -> client.state() != ConnectionState.CONNECTED && host.clientCount() == 0);
            int missed = 10 + random.nextInt(90);
            List<String> whileAway = TestEvents.alphas(host, published.size(), missed);
            published.addAll(whileAway);

            proxy.mode(CuttableProxy.Mode.FORWARD);

            await().atMost(WAIT).until(() -> recorder.eventCount() >= published.size());
            assertThat(recorder.ids(ALPHA)).as("round %d: %d events while away", round, missed).isEqualTo(published);
            List<String> live = TestEvents.alphas(host, published.size(), 3);
            published.addAll(live);
            await().atMost(WAIT).until(() -> recorder.eventCount() >= published.size());
            assertThat(recorder.ids(ALPHA)).as("round %d: then live", round).isEqualTo(published);
        }
        assertThat(recorder.subscriptions()).isEqualTo(4);
        assertThat(recorder.gaps()).isEmpty();
        assertThat(client.lastEventIds()).isEqualTo(Map.of(ALPHA, published.get(published.size() - 1)));
    }

    @Test
    @DisplayName("resumeFrom(ids) on the first connection replays what came after them (ids saved by an earlier process)")
    void resumeFromSavedIds() throws Exception {
        EventStreamer host = hosts.start("history.size = 1000");
        List<String> alphas = TestEvents.alphas(host, 0, 5);
        String beta = TestEvents.beta(host, 0);
        Recorder recorder = new Recorder();
        EventStreamClient client = closer.add(recorder.attach(EventStreamClient.builder(host.webSocketUri()))
                .categories(ALPHA, BETA)
                .resumeFrom(Map.of(ALPHA, alphas.get(1)))
                .build());

        assertThat(client.lastEventIds()).isEqualTo(Map.of(ALPHA, alphas.get(1)));
        client.start();
        assertThat(client.awaitSubscribed(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> recorder.eventCount() == 3);
        String live = TestEvents.alpha(host, 5);
        await().atMost(WAIT).until(() -> recorder.eventCount() == 4);

        assertThat(recorder.ids(ALPHA)).containsExactly(alphas.get(2), alphas.get(3), alphas.get(4), live);
        assertThat(recorder.ids(BETA)).as("no resume point for beta: live only, %s is not replayed", beta).isEmpty();
        assertThat(recorder.gaps()).isEmpty();
    }
}

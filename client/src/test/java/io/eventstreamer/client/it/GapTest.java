package io.eventstreamer.client.it;

import static io.eventstreamer.client.it.TestEvents.ALPHA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventstreamer.client.ConnectionState;
import io.eventstreamer.client.EventStreamClient;
import io.eventstreamer.client.Gap;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.HostExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When the server can't replay what the client missed, the application hears about it through onGap. */
class GapTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private final Closer closer = new Closer();

    @AfterEach
    void closeClients() throws Exception {
        closer.closeAll();
    }

    @Test
    @DisplayName("away for longer than history holds: onGap(history-expired), then live events, and the next resume starts after the gap")
    void historyExpired() throws Exception {
        EventStreamer host = hosts.start("history.size = 5");
        CuttableProxy proxy = closer.add(new CuttableProxy(host.port()));
        Recorder recorder = new Recorder();
        EventStreamClient client = start(recorder, proxy);
        List<String> before = TestEvents.alphas(host, 0, 3);
        await().atMost(WAIT).until(() -> recorder.eventCount() == 3);

        proxy.mode(CuttableProxy.Mode.REFUSE);
        proxy.cutAll();
        await().atMost(WAIT).until(() -> client.state() != ConnectionState.CONNECTED && host.clientCount() == 0);
        List<String> whileAway = TestEvents.alphas(host, 3, 20);
        proxy.mode(CuttableProxy.Mode.FORWARD);

        await().atMost(WAIT).until(() -> recorder.gaps().size() == 1);
        Gap gap = recorder.gaps().get(0);
        assertThat(gap.category()).isEqualTo(ALPHA);
        assertThat(gap.reason()).isEqualTo(Gap.HISTORY_EXPIRED);
        assertThat(gap.lastId()).contains(before.get(2));
        assertThat(gap.continuesFrom()).contains(whileAway.get(19));
        assertThat(client.lastEventIds()).as("the stream continues after continuesFrom").isEqualTo(Map.of(ALPHA, whileAway.get(19)));
        String live = TestEvents.alpha(host, 23);
        await().atMost(WAIT).until(() -> recorder.eventCount() == 4);
        assertThat(recorder.ids(ALPHA)).containsExactly(before.get(0), before.get(1), before.get(2), live);

        // Dropped again right away: resumes after the live event, no second gap.
        proxy.cutAll();
        await().atMost(WAIT).until(() -> recorder.subscriptions() == 3);
        String next = TestEvents.alpha(host, 24);
        await().atMost(WAIT).until(() -> recorder.eventCount() == 5);
        assertThat(recorder.ids(ALPHA)).endsWith(live, next);
        assertThat(recorder.gaps()).hasSize(1);
    }

    @Test
    @DisplayName("the host restarted (new epoch, empty history): onGap(epoch-changed), then the new host's events")
    void epochChanged() throws Exception {
        int port = ReconnectTest.freePort();
        EventStreamer first = hosts.start("server.port = " + port);
        Recorder recorder = new Recorder();
        EventStreamClient client = closer.add(recorder.attach(EventStreamClient.builder(first.webSocketUri()))
                .categories(ALPHA)
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .random(new Random(17))
                .build());
        client.start();
        assertThat(client.awaitSubscribed(WAIT)).isTrue();
        List<String> before = TestEvents.alphas(first, 0, 2);
        await().atMost(WAIT).until(() -> recorder.eventCount() == 2);

        first.stop();
        EventStreamer second = hosts.start("server.port = " + port);

        await().atMost(WAIT).until(() -> recorder.gaps().size() == 1);
        Gap gap = recorder.gaps().get(0);
        assertThat(gap.category()).isEqualTo(ALPHA);
        assertThat(gap.reason()).isEqualTo(Gap.EPOCH_CHANGED);
        assertThat(gap.lastId()).contains(before.get(1));
        // Nothing published on the new host yet: it continues from before its first id, <epoch>-0.
        assertThat(gap.continuesFrom()).hasValueSatisfying(id -> assertThat(id).matches("[0-9]+-0"));
        String live = TestEvents.alpha(second, 0);
        await().atMost(WAIT).until(() -> recorder.eventCount() == 3);
        assertThat(recorder.ids(ALPHA)).containsExactly(before.get(0), before.get(1), live);
        assertThat(client.lastEventIds()).isEqualTo(Map.of(ALPHA, live));
    }

    @Test
    @DisplayName("a saved resume point the server never issued: onGap(unknown-id), then live events")
    void unknownId() throws Exception {
        EventStreamer host = hosts.start();
        String newest = TestEvents.alpha(host, 0);
        Recorder recorder = new Recorder();
        EventStreamClient client = closer.add(recorder.attach(EventStreamClient.builder(host.webSocketUri()))
                .categories(ALPHA)
                .resumeFrom(Map.of(ALPHA, "not-an-id"))
                .build());
        client.start();

        await().atMost(WAIT).until(() -> recorder.gaps().size() == 1);
        Gap gap = recorder.gaps().get(0);
        assertThat(gap.reason()).isEqualTo(Gap.UNKNOWN_ID);
        assertThat(gap.lastId()).contains("not-an-id");
        assertThat(gap.continuesFrom()).contains(newest);
        String live = TestEvents.alpha(host, 1);
        await().atMost(WAIT).until(() -> recorder.eventCount() == 1);
        assertThat(recorder.ids(ALPHA)).containsExactly(live);
    }

    private EventStreamClient start(Recorder recorder, CuttableProxy proxy) throws InterruptedException {
        EventStreamClient client = closer.add(recorder.attach(EventStreamClient.builder(proxy.webSocketUri()))
                .categories(ALPHA)
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(100))
                .random(new Random(13))
                .build());
        client.start();
        assertThat(client.awaitSubscribed(WAIT)).isTrue();
        return client;
    }
}

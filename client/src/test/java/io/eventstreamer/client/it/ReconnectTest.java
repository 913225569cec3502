package io.eventstreamer.client.it;

import static io.eventstreamer.client.it.TestEvents.ALPHA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventstreamer.client.ConnectionState;
import io.eventstreamer.client.EventStreamClient;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.HostExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client loses its connection in the ways networks and servers lose them, and comes back. */
class ReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private final Closer closer = new Closer();

    @AfterEach
    void closeClients() throws Exception {
        closer.closeAll();
    }

    @Test
    @DisplayName("reconnects and resubscribes after the connection is reset")
    void afterReset() throws Exception {
        EventStreamer host = hosts.start();
        CuttableProxy proxy = closer.add(new CuttableProxy(host.port()));
        Recorder recorder = new Recorder();
        EventStreamClient client = start(recorder, proxy);
        assertThat(client.awaitSubscribed(WAIT)).isTrue();
        String before = TestEvents.alpha(host, 1);
        await().atMost(WAIT).until(() -> recorder.eventCount() == 1);

        assertThat(proxy.cutAll()).isEqualTo(1);

        await().atMost(WAIT).until(() -> recorder.subscriptions() == 2);
        String after = TestEvents.alpha(host, 2);
        await().atMost(WAIT).until(() -> recorder.eventCount() >= 2);
        assertThat(recorder.ids(ALPHA)).containsExactly(before, after);
        assertThat(recorder.states()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
                ConnectionState.DISCONNECTED, ConnectionState.CONNECTING, ConnectionState.CONNECTED);
        assertThat(proxy.forwarded()).isEqualTo(2);
    }

    @Test
    @DisplayName("reconnects to a new host started on the same port after the old one stopped")
    void afterHostRestart() throws Exception {
        int port = freePort();
        EventStreamer first = hosts.start("server.port = " + port);
        Recorder recorder = new Recorder();
        EventStreamClient client = closer.add(recorder.attach(EventStreamClient.builder(first.webSocketUri()))
                .categories(ALPHA)
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .random(new Random(11))
                .build());
        client.start();
        assertThat(client.awaitSubscribed(WAIT)).isTrue();
        TestEvents.alpha(first, 1);
        await().atMost(WAIT).until(() -> recorder.eventCount() == 1);

        first.stop();
        await().atMost(WAIT).until(() -> client.state() != ConnectionState.CONNECTED);
        EventStreamer second = hosts.start("server.port = " + port);

        await().atMost(WAIT).until(() -> recorder.subscriptions() == 2);
        String live = TestEvents.alpha(second, 1);
        await().atMost(WAIT).until(() -> recorder.ids(ALPHA).contains(live));
        assertThat(recorder.ids(ALPHA)).hasSize(2).endsWith(live);
    }

    @Test
    @DisplayName("retries an upgrade refused with 503 (a draining server) like any failure")
    void upgradeRefusedWith503() throws Exception {
        EventStreamer host = hosts.start();
        CuttableProxy proxy = closer.add(new CuttableProxy(host.port()));
        proxy.mode(CuttableProxy.Mode.RESPOND_503);
        Recorder recorder = new Recorder();
        EventStreamClient client = start(recorder, proxy);

        await().atMost(WAIT).until(() -> proxy.refused() >= 3);
        assertThat(recorder.subscriptions()).isZero();
        assertThat(recorder.states()).containsSubsequence(
                ConnectionState.CONNECTING, ConnectionState.DISCONNECTED, ConnectionState.CONNECTING);

        proxy.mode(CuttableProxy.Mode.FORWARD);

        assertThat(client.awaitSubscribed(WAIT)).isTrue();
        String id = TestEvents.alpha(host, 1);
        await().atMost(WAIT).until(() -> recorder.ids(ALPHA).contains(id));
    }

    @Test
    @DisplayName("detects a connection that went silent (no ping for the timeout) and reconnects")
    void deadConnection() throws Exception {
        // The server pings every 200 ms but would only give up on the client after 10 s: the
        // client, which expects a message at least every second, must notice first.
        EventStreamer host = hosts.start("heartbeat-interval = 200ms", "connection-timeout = 10s");
        CuttableProxy proxy = closer.add(new CuttableProxy(host.port()));
        Recorder recorder = new Recorder();
        EventStreamClient client = closer.add(recorder.attach(EventStreamClient.builder(proxy.webSocketUri()))
                .categories(ALPHA)
                .deadConnectionTimeout(Duration.ofSeconds(1))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .random(new Random(5))
                .build());
        client.start();
        assertThat(client.awaitSubscribed(WAIT)).isTrue();

        proxy.freezeAll();
        long frozenAt = System.nanoTime();

        await().atMost(WAIT).until(() -> recorder.subscriptions() == 2);
        Duration detectedAfter = Duration.ofNanos(System.nanoTime() - frozenAt);
        assertThat(detectedAfter).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(5));
        assertThat(proxy.forwarded()).isEqualTo(2);
        String id = TestEvents.alpha(host, 1);
        await().atMost(WAIT).until(() -> recorder.ids(ALPHA).contains(id));
    }

    private EventStreamClient start(Recorder recorder, CuttableProxy proxy) {
        EventStreamClient client = closer.add(recorder.attach(EventStreamClient.builder(proxy.webSocketUri()))
                .categories(ALPHA)
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .random(new Random(3))
                .build());
        client.start();
        return client;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

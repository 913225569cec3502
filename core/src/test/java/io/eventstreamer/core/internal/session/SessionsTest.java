package io.eventstreamer.core.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.fanout.ClientRegistry;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.fanout.EncodedEvent;
import io.eventstreamer.core.internal.fanout.Framing;
import io.eventstreamer.core.internal.fanout.Transport;
import io.eventstreamer.core.internal.metrics.HostMetrics;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The session manager with fake transports: no Jetty, no network. */
class SessionsTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final HostMetrics metrics = new HostMetrics();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        metrics.close();
    }

    private Sessions sessions(String... settings) {
        return new Sessions(Settings.from(ConfigFactory.parseString(String.join("\n", settings))),
                new ClientRegistry(2), Map.of(), Runnable::run, scheduler, metrics);
    }

    @Test
    @DisplayName("heartbeats go out through each transport's framing; a client whose transport can't answer them is never closed as stale")
    void aClientThatCantAnswerPingsIsNotStale() {
        Sessions sessions = sessions("event-streamer.heartbeat-interval = 30ms",
                "event-streamer.connection-timeout = 60ms");
        FakeTransport answering = new FakeTransport(true);
        FakeTransport silent = new FakeTransport(false);
        assertThat(sessions.reserve()).isTrue();
        ClientSession answeringClient = sessions.opened(answering, "answering");
        assertThat(sessions.reserve()).isTrue();
        ClientSession silentClient = sessions.opened(silent, "silent");
        sessions.startHeartbeat();

        await().atMost(Duration.ofSeconds(5)).until(() -> answering.closeCode != null);
        assertThat(answering.closeCode).isEqualTo(Transport.NORMAL_CLOSURE);
        assertThat(answeringClient.closeCause()).isEqualTo(ClientSession.CloseCause.STALE);
        // Ten heartbeats (and about twenty sweeps) later, well past the timeout, still open.
        await().atMost(Duration.ofSeconds(5)).until(() -> silent.messageTypes.size() >= 10);
        assertThat(silent.messageTypes).containsOnly("ping");
        assertThat(silent.closeCode).isNull();
        assertThat(silentClient.isClosing()).isFalse();
    }

    @Test
    @DisplayName("capacity and connections per address are the session manager's, whatever the transport")
    void capacityAndAddresses() {
        Sessions sessions = sessions("event-streamer.limits.max-connections-per-address = 1");
        assertThat(sessions.admitAddress("10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(sessions.addressFull("10.0.0.1")).isTrue();
        assertThat(sessions.admitAddress("10.0.0.1")).isNull();
        sessions.releaseAddress("10.0.0.1");
        assertThat(sessions.addressFull("10.0.0.1")).isFalse();

        assertThat(sessions.reserve()).isTrue();
        ClientSession client = sessions.opened(new FakeTransport(true), "a");
        assertThat(sessions.reserve()).isTrue();
        assertThat(sessions.reserve()).as("max 2 clients").isFalse();
        sessions.closed(client, true, "bye");
        assertThat(sessions.reserve()).isTrue();
    }

    /** A transport whose framing notes the type of each message it lays out. */
    private static final class FakeTransport implements Transport {
        @Override
        public String name() {
            return "test";
        }

        final List<String> messageTypes = new CopyOnWriteArrayList<>();
        volatile Integer closeCode;
        private final boolean clientsAnswerPings;
        private final Framing framing = new Framing() {
            @Override
            public void message(byte[] message, Output out) {
                messageTypes.add(ServerMessages.typeOf(message));
                out.reserve(message.length);
            }

            @Override
            public void event(EncodedEvent event, byte[] clientIdSuffix, Output out) {
                out.reserve(event.length(clientIdSuffix));
            }
        };

        FakeTransport(boolean clientsAnswerPings) {
            this.clientsAnswerPings = clientsAnswerPings;
        }

        @Override
        public Framing framing() {
            return framing;
        }

        @Override
        public boolean clientsAnswerPings() {
            return clientsAnswerPings;
        }

        @Override
        public void write(ByteBuffer batch, WriteCallback callback) {
            callback.written();
        }

        @Override
        public void send(ByteBuffer message, boolean batch, WriteCallback callback) {
            throw new AssertionError("a transport with a framing gets whole batches");
        }

        @Override
        public void close(int statusCode, String reason) {
            closeCode = statusCode;
        }

        @Override
        public void disconnect() {
        }
    }
}

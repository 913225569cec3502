package io.eventstreamer.bridges.resilience4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.client.EventStreamClient;
import io.eventstreamer.client.StreamEvent;
import io.eventstreamer.core.EventStreamer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real host on a free loopback port, started the way an embedding application starts it, and a
 * real Java client subscribed to one category, collecting what it receives.
 */
final class SubscribedHost implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final EventStreamer host;
    private final EventStreamClient client;
    private final List<StreamEvent> received = new CopyOnWriteArrayList<>();

    private SubscribedHost(String category) throws InterruptedException {
        host = EventStreamer.start(ConfigFactory.parseString(
                "event-streamer.server.port = 0, event-streamer.server.host = 127.0.0.1")
                .withFallback(ConfigFactory.load()));
        client = EventStreamClient.builder(host.webSocketUri())
                .clientId("bridge-test")
                .categories(category)
                .onEvent(received::add)
                .build();
        client.start();
        assertThat(client.awaitSubscribed(TIMEOUT)).as("subscribed within %s", TIMEOUT).isTrue();
    }

    static SubscribedHost start(String category) throws InterruptedException {
        return new SubscribedHost(category);
    }

    EventStreamer host() {
        return host;
    }

    /** Waits until at least {@code count} events arrived and returns all that did. */
    List<StreamEvent> awaitEvents(int count) {
        await().atMost(TIMEOUT).until(() -> received.size() >= count);
        return List.copyOf(received);
    }

    /** Everything received so far. */
    List<StreamEvent> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            host.stop();
        }
    }
}

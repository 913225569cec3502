package io.eventstreamer.sources.dlq;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.EventStreamer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The source loaded by the real host: an event published through the typed emitter reaches a WebSocket client. */
class DlqStreamingTest {
    private static final long TIMEOUT_MS = 10_000;

    private final ObjectMapper json = new ObjectMapper();
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private EventStreamer host;
    private WebSocketClient client;
    private Session session;

    @BeforeEach
    void startHostAndConnect() throws Exception {
        host = EventStreamer.start(ConfigFactory.parseString(
                "event-streamer.server.port = 0, event-streamer.server.host = 127.0.0.1")
                .withFallback(ConfigFactory.load()));
        client = new WebSocketClient();
        client.start();
        session = client.connect(new Inbox(received), host.webSocketUri()).get(TIMEOUT_MS, MILLISECONDS);
    }

    @AfterEach
    void stopHostAndClient() throws Exception {
        try {
            if (host != null) {
                host.stop();
            }
        } finally {
            if (client != null) {
                client.stop();
            }
        }
    }

    @Test
    @DisplayName("a client subscribed to dlq receives an entry-added published through DlqEvents")
    void subscribedClientReceivesTypedEvent() throws Exception {
        session.sendText("{\"type\":\"subscribe\",\"categories\":[\"dlq\"],\"clientId\":\"dashboard\"}",
                Callback.NOOP);
        JsonNode ack = nextMessageOfType("subscription-ack");
        assertThat(ack.path("data").path("categories")).isEqualTo(json.readTree("[\"dlq\"]"));

        String id = new DlqEvents(host.emitter(DlqSource.CATEGORY))
                .entryAdded("dle-3001", "orders.dlq", "max retries exceeded", 12);

        JsonNode event = nextMessageOfType("event");
        assertThat(event.path("id").asText()).isEqualTo(id);
        assertThat(event.path("category").asText()).isEqualTo("dlq");
        assertThat(event.path("event").asText()).isEqualTo("entry-added");
        assertThat(event.path("clientId").asText()).isEqualTo("dashboard");
        assertThat(event.path("timestamp").isTextual()).as("timestamp is a string").isTrue();
        assertThat(event.path("data")).isEqualTo(json.readTree("{\"entryId\":\"dle-3001\","
                + "\"queue\":\"orders.dlq\",\"reason\":\"max retries exceeded\",\"queueDepth\":12}"));
    }

    /** The next message of that type, skipping the server's heartbeat pings. */
    private JsonNode nextMessageOfType(String type) throws Exception {
        List<String> skipped = new ArrayList<>();
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true) {
            String text = received.poll(Math.max(0, deadline - System.nanoTime()), NANOSECONDS);
            if (text == null) {
                return fail("no '%s' message within %d ms; received %s", type, TIMEOUT_MS, skipped);
            }
            JsonNode message = json.readTree(text);
            if (message.path("type").asText().equals(type)) {
                return message;
            }
            if (!message.path("type").asText().equals("ping")) {
                return fail("expected a '%s' message but received %s", type, text);
            }
            skipped.add(text);
        }
    }

    /** Collects the text messages the server sends. Public, because Jetty invokes it reflectively. */
    public static final class Inbox implements Session.Listener.AutoDemanding {
        private final BlockingQueue<String> received;

        Inbox(BlockingQueue<String> received) {
            this.received = received;
        }

        @Override
        public void onWebSocketText(String message) {
            received.add(message);
        }
    }
}

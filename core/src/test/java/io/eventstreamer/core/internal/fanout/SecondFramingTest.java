package io.eventstreamer.core.internal.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.internal.broker.MemoryBroker;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.JsonType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The engine with a transport that is not WebSocket: its own framing lays out every batch, and gets
 * what it needs to name things on its wire (a message's type; an event's category, id and type).
 */
class SecondFramingTest {
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final Executor manual = tasks::add;
    private final LineTransport transport = new LineTransport();

    @Test
    @DisplayName("a second framing gets the message type and each event's category, id and type, and one write per batch")
    void aSecondFramingLaysOutTheBatch() throws Exception {
        CategoryChannel channel = new CategoryChannel(EventCatalog.builder("alpha")
                .add(EventType.builder("happened", "d").required("n", JsonType.INTEGER, "n").build()).build(),
                Settings.from(ConfigFactory.parseString("")).category("alpha"), new MemoryBroker(1000L, () -> 0),
                () -> true);
        ClientSession client = new ClientSession(1, "test", transport, manual, ClientSession.Bounds.ofEvents(10),
                nanos -> { });
        client.setClientId("line-client");
        channel.subscribeFromNow(client);
        client.send(ServerMessages.encode(new ServerMessage.UnsubscriptionAck(List.of())));
        client.sendPing(ServerMessages.encode(new ServerMessage.Ping()));
        channel.emit("happened", Map.of("n", 1));
        channel.emit("happened", Map.of("n", 2));
        runTasks();

        assertThat(transport.writes).hasSize(1);
        String[] lines = transport.writes.get(0).split("\n");
        assertThat(lines).hasSize(8);
        assertThat(lines[0]).isEqualTo("message unsubscription-ack");
        assertThat(lines[2]).isEqualTo("message ping");
        assertThat(lines[4]).isEqualTo("event alpha 1000-1 happened");
        assertThat(lines[6]).isEqualTo("event alpha 1000-2 happened");
        JsonNode second = Json.MAPPER.readTree(lines[7]);
        assertThat(second.get("id").asText()).isEqualTo("1000-2");
        assertThat(second.get("clientId").asText()).isEqualTo("line-client");
        assertThat(second.get("data").get("n").asInt()).isEqualTo(2);
    }

    @Test
    @DisplayName("a client whose transport can't answer the heartbeat says so to the session manager")
    void aTransportWhoseClientsCantAnswerPings() {
        ClientSession client = new ClientSession(1, "test", transport, manual, ClientSession.Bounds.ofEvents(10),
                nanos -> { });
        assertThat(client.answersPings()).isFalse();
        assertThat(client.hasFraming()).isTrue();
    }

    private void runTasks() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
        }
    }

    /** A transport with the line framing whose clients, like an EventSource, send nothing back. */
    private static final class LineTransport implements Transport {
        @Override
        public String name() {
            return "test";
        }

        private final Framing framing = new LineFraming();
        final List<String> writes = new ArrayList<>();

        @Override
        public Framing framing() {
            return framing;
        }

        @Override
        public void write(ByteBuffer batch, WriteCallback callback) {
            writes.add(StandardCharsets.UTF_8.decode(batch).toString());
            callback.written();
        }

        @Override
        public boolean clientsAnswerPings() {
            return false;
        }

        @Override
        public void send(ByteBuffer message, boolean batch, WriteCallback callback) {
            throw new AssertionError("a transport with a framing gets whole batches");
        }

        @Override
        public void close(int statusCode, String reason) {
        }

        @Override
        public void disconnect() {
        }
    }
}

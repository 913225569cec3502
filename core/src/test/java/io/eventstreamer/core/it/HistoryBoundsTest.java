package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.spi.EventEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** History is bounded by the bytes of its events as well as by their count, and resume stays exact. */
class HistoryBoundsTest {
    private static final String ALPHA = "test-alpha";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENT_BYTES = 256 * 1024;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("100 events of 256 KiB with history.max-bytes = 1MiB: history keeps the newest that fit, a resume"
            + " from an evicted id gets history-expired and a gap, one from the id before the oldest held replays"
            + " exactly the held events")
    void historyBoundedInBytes() throws Exception {
        EventStreamer host = hosts.start("history.size = 1000", "history.max-bytes = 1MiB");
        EventEmitter alpha = host.emitter(ALPHA);
        String filler = "x".repeat(EVENT_BYTES);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(alpha.emit("alpha-happened", Map.of("name", filler, "count", i)));
        }

        // Each event encodes to a little more than 256 KiB, so three fit in 1 MiB and a fourth doesn't.
        JsonNode diagnostics = HostExtension.json(hosts.get("/api/diagnostics"));
        assertThat(diagnostics.at("/categories/test-alpha/historySize").asInt()).isEqualTo(3);

        TestClient expired = largeMessageClient();
        expired.send(subscribeWithResume(ALPHA, ids.get(95)));
        JsonNode ack = expired.next();
        assertThat(ack.at("/data/resume/test-alpha/resumed").asBoolean()).as("%s", ack).isFalse();
        assertThat(ack.at("/data/resume/test-alpha/reason").asText()).isEqualTo("history-expired");
        JsonNode gap = expired.next();
        assertThat(gap.path("type").asText()).as("%s", gap).isEqualTo("gap");
        assertThat(gap.at("/data/lastId").asText()).isEqualTo(ids.get(95));
        assertThat(gap.at("/data/missed").asLong()).isEqualTo(4);

        TestClient resumed = largeMessageClient();
        resumed.send(subscribeWithResume(ALPHA, ids.get(96)));
        ack = resumed.next();
        assertThat(ack.at("/data/resume/test-alpha/resumed").asBoolean()).as("%s", ack).isTrue();
        assertThat(ack.at("/data/resume/test-alpha/replayed").asInt()).isEqualTo(3);
        assertThat(resumed.nextEvents(3)).extracting(e -> e.path("id").asText())
                .containsExactly(ids.get(97), ids.get(98), ids.get(99));
    }

    @Test
    @DisplayName("an event larger than history.max-bytes leaves history at once: a resume across it gets a gap, a"
            + " resume from it continues with what follows")
    void eventLargerThanTheBound() {
        EventStreamer host = hosts.start("history.max-bytes = 64KiB");
        EventEmitter alpha = host.emitter(ALPHA);
        String before = alpha.emit("alpha-happened", Map.of("name", "small", "count", 1));
        String huge = alpha.emit("alpha-happened", Map.of("name", "x".repeat(128 * 1024), "count", 2));
        JsonNode diagnostics = HostExtension.json(hosts.get("/api/diagnostics"));
        assertThat(diagnostics.at("/categories/test-alpha/historySize").asInt()).isZero();

        TestClient across = hosts.client();
        across.send(subscribeWithResume(ALPHA, before));
        JsonNode ack = across.next();
        assertThat(ack.at("/data/resume/test-alpha/reason").asText()).as("%s", ack).isEqualTo("history-expired");
        assertThat(across.next().path("type").asText()).isEqualTo("gap");

        String after = alpha.emit("alpha-happened", Map.of("name", "small again", "count", 3));
        TestClient fromHuge = hosts.client();
        fromHuge.send(subscribeWithResume(ALPHA, huge));
        ack = fromHuge.next();
        assertThat(ack.at("/data/resume/test-alpha/replayed").asInt()).as("%s", ack).isEqualTo(1);
        assertThat(fromHuge.nextEvent().path("id").asText()).isEqualTo(after);
    }

    /** A client that accepts the large events this test replays (Jetty's default limit is 64 KiB). */
    private TestClient largeMessageClient() throws Exception {
        WebSocketClient client = new WebSocketClient();
        client.setMaxTextMessageSize(4 * 1024 * 1024);
        client.start();
        hosts.closeAfter(client::stop);
        TestClient connected = TestClient.connect(client, hosts.host().webSocketUri());
        hosts.closeAfter(connected);
        return connected;
    }

    private static String subscribeWithResume(String category, String lastId) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "subscribe");
        message.putArray("categories").add(category);
        message.putObject("resume").put(category, lastId);
        return message.toString();
    }
}

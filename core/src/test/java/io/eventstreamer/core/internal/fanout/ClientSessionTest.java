package io.eventstreamer.core.internal.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.internal.broker.MemoryBroker;
import io.eventstreamer.core.internal.config.OverflowPolicy;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import io.eventstreamer.core.internal.ws.WebSocketFraming;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.JsonType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The per-client queue, driven by hand: a manual executor and a sink that completes writes on demand. */
class ClientSessionTest {
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final Executor manual = tasks::add;
    private final FakeSink sink = new FakeSink();
    private CategoryChannel channel;

    private ClientSession client(int capacity, OverflowPolicy policy) {
        channel = new CategoryChannel(EventCatalog.builder("alpha")
                .add(EventType.builder("happened", "d").required("n", JsonType.INTEGER, "n").build())
                .add(EventType.builder("state-changed", "d").required("name", JsonType.STRING, "key")
                        .required("n", JsonType.INTEGER, "n").coalesceKey("name").build())
                .build(),
                Settings.from(ConfigFactory.parseString("event-streamer.overflow-policy = " + policy.configName()))
                        .category("alpha"), new MemoryBroker(1000L, () -> 0), () -> true);
        ClientSession c = new ClientSession(1, "test", sink, manual, ClientSession.Bounds.ofEvents(capacity), nanos -> { });
        c.setClientId("me");
        channel.subscribeFromNow(c);
        return c;
    }

    private void runTasks() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
        }
    }

    @Test
    void deliversEventsWithTheRecipientsClientIdInOneBatch() throws Exception {
        ClientSession c = client(10, OverflowPolicy.DROP_OLDEST);
        for (int i = 1; i <= 3; i++) {
            channel.emit("happened", Map.of("n", i));
        }
        runTasks();
        assertThat(sink.frames).hasSize(3);
        assertThat(sink.batchFlags).containsExactly(true, true, false);
        JsonNode first = Json.MAPPER.readTree(sink.frames.get(0));
        assertThat(first.get("type").asText()).isEqualTo("event");
        assertThat(first.get("id").asText()).isEqualTo("1000-1");
        assertThat(first.get("clientId").asText()).isEqualTo("me");
        assertThat(first.get("data").get("n").asInt()).isEqualTo(1);
        assertThat(c.queuedEvents()).isZero();
    }

    @Test
    @DisplayName("a drain pass stops at MAX_BYTES_PER_DRAIN: a client that doesn't read holds 256 KiB and one event, not 256 events")
    void batchBytesAreBounded() {
        ClientSession c = client(1000, OverflowPolicy.DROP_OLDEST);
        FramedSink framed = new FramedSink(false);
        ClientSession large = new ClientSession(2, "test", framed, manual, ClientSession.Bounds.ofEvents(1000), nanos -> { });
        channel.subscribeFromNow(large);
        String padding = "x".repeat(100 * 1024);
        for (int i = 0; i < 10; i++) {
            channel.emit("state-changed", Map.of("name", padding, "n", i));
        }
        runTasks();
        // 100 KiB events: the third one passes the 256 KiB mark, the rest wait for the next pass.
        assertThat(framed.payloads).hasSize(3);
        assertThat(large.queuedEvents()).isEqualTo(7);
        framed.completeLast();
        runTasks();
        assertThat(framed.payloads).hasSize(6);
        // The same bound when the connection frames each payload itself.
        assertThat(sink.frames).hasSize(3);
        assertThat(c.queuedEvents()).isEqualTo(7);
    }

    @Test
    void oneBatchInFlightUntilTheLastFrameIsWritten() {
        client(10, OverflowPolicy.DROP_OLDEST);
        channel.emit("happened", Map.of("n", 1));
        runTasks();
        channel.emit("happened", Map.of("n", 2));
        runTasks();
        assertThat(sink.frames).hasSize(1);
        sink.completeLast();
        runTasks();
        assertThat(sink.frames).hasSize(2);
    }

    @Test
    void dropOldestKeepsTheNewestAndTellsTheClientHowManyItLost() throws Exception {
        ClientSession c = client(5, OverflowPolicy.DROP_OLDEST);
        channel.emit("happened", Map.of("n", 0));
        runTasks(); // first write is now in flight and never completes: the client is stalled
        for (int i = 1; i <= 20; i++) {
            channel.emit("happened", Map.of("n", i));
        }
        assertThat(c.queuedEvents()).isEqualTo(5);
        assertThat(c.droppedEvents()).isEqualTo(15);
        sink.completeLast();
        runTasks();
        List<String> after = sink.frames.subList(1, sink.frames.size());
        JsonNode notice = Json.MAPPER.readTree(after.get(0));
        assertThat(notice.get("type").asText()).isEqualTo("error");
        assertThat(notice.get("data").get("code").asText()).isEqualTo("events-dropped");
        assertThat(notice.get("data").get("dropped").asLong()).isEqualTo(15);
        JsonNode gap = Json.MAPPER.readTree(after.get(1));
        assertThat(gap.get("type").asText()).isEqualTo("gap");
        assertThat(gap.get("data").get("category").asText()).isEqualTo("alpha");
        assertThat(gap.get("data").get("reason").asText()).isEqualTo("overflow");
        assertThat(gap.get("data").get("missed").asLong()).isEqualTo(15);
        assertThat(gap.get("data").get("firstMissed").asText()).isEqualTo("1000-2");
        assertThat(gap.get("data").get("lastMissed").asText()).isEqualTo("1000-16");
        assertThat(gap.get("data").get("resumeFrom").asText()).isEqualTo("1000-1");
        List<Integer> delivered = new ArrayList<>();
        for (String frame : after.subList(2, after.size())) {
            delivered.add(Json.MAPPER.readTree(frame).get("data").get("n").asInt());
        }
        assertThat(delivered).containsExactly(16, 17, 18, 19, 20);
    }

    @Test
    void disconnectPolicyClosesTheSlowClientWith1008() {
        ClientSession c = client(3, OverflowPolicy.DISCONNECT);
        channel.emit("happened", Map.of("n", 0));
        runTasks();
        for (int i = 1; i <= 4; i++) {
            channel.emit("happened", Map.of("n", i));
        }
        assertThat(sink.closeCode).isEqualTo(1008);
        assertThat(c.queuedEvents()).isZero();
    }

    @Test
    void controlMessagesGoFirstAndAreNeverDropped() {
        ClientSession c = client(1, OverflowPolicy.DROP_OLDEST);
        channel.emit("happened", Map.of("n", 0));
        runTasks();
        for (int i = 0; i < 50; i++) {
            c.send(ServerMessages.encode(new ServerMessage.Ping()));
            channel.emit("happened", Map.of("n", 1));
        }
        sink.completeLast();
        runTasks();
        long pings = sink.frames.stream().filter(f -> f.contains("\"ping\"")).count();
        assertThat(pings).isEqualTo(50);
        assertThat(sink.frames.get(1)).contains("\"ping\"");
        assertThat(sink.frames).anyMatch(f -> f.contains("events-dropped"));
    }

    @Test
    void coalesceKeepsTheNewestEventPerKeyAndReportsTheRest() throws Exception {
        ClientSession c = client(3, OverflowPolicy.COALESCE);
        channel.emit("happened", Map.of("n", 0));
        runTasks(); // in flight, never completes until we say so: the client is paused
        for (int round = 1; round <= 10; round++) {
            for (String breaker : List.of("a", "b", "c")) {
                channel.emit("state-changed", Map.of("name", breaker, "n", round));
            }
        }
        assertThat(c.queuedEvents()).isEqualTo(3);
        sink.completeLast();
        runTasks();
        List<String> after = sink.frames.subList(1, sink.frames.size());
        assertThat(after.get(0)).contains("events-dropped");
        JsonNode gap = Json.MAPPER.readTree(after.get(1));
        assertThat(gap.get("type").asText()).isEqualTo("gap");
        assertThat(gap.get("data").get("missed").asLong()).isEqualTo(27);
        List<String> newest = new ArrayList<>();
        for (String frame : after.subList(2, after.size())) {
            JsonNode event = Json.MAPPER.readTree(frame);
            newest.add(event.get("data").get("name").asText() + event.get("data").get("n").asInt());
        }
        assertThat(newest).containsExactly("a10", "b10", "c10");
    }

    @Test
    void closedClientQueuesNothing() {
        ClientSession c = client(10, OverflowPolicy.DROP_OLDEST);
        c.closed();
        channel.emit("happened", Map.of("n", 1));
        c.send(ServerMessages.encode(new ServerMessage.Ping()));
        runTasks();
        assertThat(sink.frames).isEmpty();
        assertThat(c.queuedEvents()).isZero();
    }

    @Test
    void framesAConnectionStillHoldsAreNeverOverwrittenByLaterBatches() throws Exception {
        ClientSession slow = client(10, OverflowPolicy.DROP_OLDEST);
        HoldingSink held = new HoldingSink(false);
        HoldingSink inline = new HoldingSink(true);
        ClientSession pending = new ClientSession(2, "test", held, manual, ClientSession.Bounds.ofEvents(10), nanos -> { });
        pending.setClientId("held");
        ClientSession fast = new ClientSession(3, "test", inline, manual, ClientSession.Bounds.ofEvents(10), nanos -> { });
        fast.setClientId("fast");
        channel.subscribeFromNow(pending);
        channel.subscribeFromNow(fast);
        for (int round = 1; round <= 3; round++) {
            for (int i = 1; i <= 3; i++) {
                channel.emit("happened", Map.of("n", round * 10 + i));
            }
            runTasks();
        }
        // "held" got one batch and never completed it; "fast" wrote three batches since, on the same thread.
        assertThat(held.frames).hasSize(3);
        assertThat(inline.frames).hasSize(9);
        for (int i = 0; i < 3; i++) {
            JsonNode frame = Json.MAPPER.readTree(StandardCharsets.UTF_8.decode(held.frames.get(i).duplicate()).toString());
            assertThat(frame.get("clientId").asText()).isEqualTo("held");
            assertThat(frame.get("data").get("n").asInt()).isEqualTo(11 + i);
        }
        assertThat(pending.queuedEvents()).isEqualTo(6);
        assertThat(slow.queuedEvents()).isEqualTo(6);
    }

    @Test
    void aTransportWithAFramingGetsEachBatchLaidOutByItInOneWrite() throws Exception {
        FramedSink framedSink = new FramedSink(true);
        client(10, OverflowPolicy.DROP_OLDEST);
        ClientSession c = new ClientSession(2, "test", framedSink, manual, ClientSession.Bounds.ofEvents(10), nanos -> { });
        c.setClientId("framed");
        channel.subscribeFromNow(c);
        c.send("{\"type\":\"subscription-ack\"}".getBytes(StandardCharsets.UTF_8));
        c.sendControlReply(new byte[] {1, 2, 3});
        channel.emit("happened", Map.of("n", 1));
        channel.emit("happened", Map.of("n", 2));
        runTasks();
        assertThat(framedSink.writes).isEqualTo(1);
        assertThat(framedSink.opcodes).containsExactly(1, 10, 1, 1);
        assertThat(framedSink.payloads.get(0)).isEqualTo("{\"type\":\"subscription-ack\"}");
        assertThat(framedSink.payloads.get(1).getBytes(StandardCharsets.ISO_8859_1)).containsExactly(1, 2, 3);
        JsonNode second = Json.MAPPER.readTree(framedSink.payloads.get(3));
        assertThat(second.get("clientId").asText()).isEqualTo("framed");
        assertThat(second.get("data").get("n").asInt()).isEqualTo(2);
    }

    @Test
    void aNewerPingsPongReplacesOneNotYetSent() {
        FramedSink framedSink = new FramedSink(false);
        ClientSession c = new ClientSession(2, "test", framedSink, manual, ClientSession.Bounds.ofEvents(10), nanos -> { });
        c.sendControlReply(new byte[] {0});
        runTasks(); // in flight, never completes until we say so
        for (int i = 1; i <= 10_000; i++) {
            c.sendControlReply(new byte[] {(byte) i, (byte) (i >> 8)});
        }
        c.sendPing(ServerMessages.encode(new ServerMessage.Ping()));
        c.sendPing(ServerMessages.encode(new ServerMessage.Ping()));
        framedSink.completeLast();
        runTasks();
        assertThat(framedSink.opcodes).containsExactly(10, 10, 1);
        assertThat(framedSink.payloads.get(1).getBytes(StandardCharsets.ISO_8859_1))
                .containsExactly((byte) 10_000, (byte) (10_000 >> 8));
        assertThat(framedSink.payloads.get(2)).contains("\"ping\"");
    }

    @Test
    void aPongKeepsThePlaceOfTheFirstUnansweredPingAmongTheReplies() {
        FramedSink framedSink = new FramedSink(true);
        ClientSession c = new ClientSession(2, "test", framedSink, manual, ClientSession.Bounds.ofEvents(10), nanos -> { });
        c.sendControlReply(new byte[] {1});
        c.send("{\"type\":\"subscription-ack\"}".getBytes(StandardCharsets.UTF_8));
        c.sendControlReply(new byte[] {2});
        runTasks();
        assertThat(framedSink.opcodes).containsExactly(10, 1);
        assertThat(framedSink.payloads.get(0).getBytes(StandardCharsets.ISO_8859_1)).containsExactly(2);
    }

    @Test
    void aClientThatLetsItsRepliesPileUpIsClosedWith1008() {
        ClientSession c = new ClientSession(2, "test", sink, manual,
                new ClientSession.Bounds(10, 1 << 20, 5, 1 << 20), nanos -> { });
        c.send(ServerMessages.encode(new ServerMessage.Pong()));
        runTasks(); // in flight, never completes: the client does not read
        for (int i = 0; i < 5; i++) {
            c.send(ServerMessages.encode(new ServerMessage.Pong()));
        }
        assertThat(sink.closeCode).isNull();
        assertThat(c.queuedControlMessages()).isEqualTo(5);
        c.send(ServerMessages.encode(new ServerMessage.Pong()));
        assertThat(sink.closeCode).isEqualTo(1008);
        assertThat(sink.frames.get(sink.frames.size() - 1)).contains("not-reading");
        assertThat(c.queuedControlMessages()).isZero();
    }

    @Test
    void repliesAreBoundedInBytesToo() {
        ClientSession c = new ClientSession(2, "test", sink, manual,
                new ClientSession.Bounds(10, 1 << 20, 1000, 1000), nanos -> { });
        c.send(new byte[10]);
        runTasks();
        c.send(new byte[600]);
        assertThat(sink.closeCode).isNull();
        c.send(new byte[600]);
        assertThat(sink.closeCode).isEqualTo(1008);
    }

    @Test
    @DisplayName("a client is slow only once its socket has taken nothing for a second: until then the burst allowance holds events")
    void theBoundsApplyOnlyToASlowClient() {
        client(10, OverflowPolicy.DROP_OLDEST);
        FakeSink holding = new FakeSink();
        ClientSession c = new ClientSession(2, "test", holding, manual,
                new ClientSession.Bounds(3, 1 << 20, 128, 65536, 5, 1 << 20), nanos -> { });
        c.setClientId("burst");
        channel.subscribeFromNow(c);
        channel.emit("happened", Map.of("n", 0));
        runTasks(); // in flight, never completes: the socket takes nothing from now on
        for (int i = 1; i <= 8; i++) {
            channel.emit("happened", Map.of("n", i));
        }
        assertThat(c.queuedEvents()).as("queue 3 + burst 5, not slow yet").isEqualTo(8);
        assertThat(c.droppedEvents()).isZero();
        channel.emit("happened", Map.of("n", 9));
        assertThat(c.queuedEvents()).as("over queue + burst: the oldest goes").isEqualTo(8);
        assertThat(c.droppedEvents()).isEqualTo(1);
        int[] next = {10};
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            channel.emit("happened", Map.of("n", next[0]++));
            assertThat(c.queuedEvents()).as("slow now: cut back to the queue's bound").isEqualTo(3);
        });
        assertThat(c.droppedEvents()).isEqualTo(next[0] - 1 - 3);
    }

    @Test
    void theByteBoundTriggersTheOverflowPolicyBeforeTheCount() throws Exception {
        client(10, OverflowPolicy.DROP_OLDEST);
        channel.emit("happened", Map.of("n", 0));
        runTasks();
        FakeSink bytesSink = new FakeSink();
        // Room for three of these events by bytes (each is well over 50 bytes), a hundred by count.
        int eventBytes = sink.frames.get(0).length() - "me\"}".length();
        ClientSession c = new ClientSession(2, "test", bytesSink, manual,
                new ClientSession.Bounds(100, 3L * eventBytes + eventBytes / 2, 128, 65536), nanos -> { });
        c.setClientId("bytes");
        channel.subscribeFromNow(c);
        channel.emit("happened", Map.of("n", 1));
        runTasks(); // in flight, never completes
        for (int i = 2; i <= 10; i++) {
            channel.emit("happened", Map.of("n", i));
        }
        assertThat(c.queuedEvents()).isEqualTo(3);
        assertThat(c.queuedBytes()).isBetween(3L * eventBytes, 3L * eventBytes + eventBytes / 2);
        assertThat(c.droppedEvents()).isEqualTo(6);
        bytesSink.completeLast();
        runTasks();
        List<String> after = bytesSink.frames.subList(1, bytesSink.frames.size());
        assertThat(after.get(0)).contains("events-dropped");
        assertThat(after.get(1)).contains("\"gap\"");
        List<Integer> delivered = new ArrayList<>();
        for (String frame : after.subList(2, after.size())) {
            delivered.add(Json.MAPPER.readTree(frame).get("data").get("n").asInt());
        }
        assertThat(delivered).containsExactly(8, 9, 10);
    }

    @Test
    void aNewResumeOfACategoryReplacesWhatIsLeftOfItsReplay() throws Exception {
        ClientSession c = client(10, OverflowPolicy.DROP_OLDEST);
        channel.unsubscribe(c);
        for (int i = 1; i <= 5; i++) {
            channel.emit("happened", Map.of("n", i));
        }
        channel.subscribeAfter(c, "1000-1"); // replays 2..5
        channel.subscribeAfter(c, "1000-3"); // replaces it: 4..5
        assertThat(c.queuedReplay()).isEqualTo(2);
        c.resumeEvents(); // as the subscribe does once its ack is queued
        runTasks();
        List<Integer> delivered = new ArrayList<>();
        for (String frame : sink.frames) {
            delivered.add(Json.MAPPER.readTree(frame).get("data").get("n").asInt());
        }
        assertThat(delivered).containsExactly(4, 5);
        assertThat(c.queuedReplay()).isZero();
    }

    @Test
    void unsubscribingDropsTheCategorysQueuedReplayAndEventsAndKeepsTheOthers() throws Exception {
        ClientSession c = client(100, OverflowPolicy.DROP_OLDEST);
        c.addCategory("alpha");
        CategoryChannel beta = new CategoryChannel(EventCatalog.builder("beta")
                .add(EventType.builder("happened", "d").required("n", JsonType.INTEGER, "n").build()).build(),
                Settings.from(ConfigFactory.parseString("")).category("beta"), new MemoryBroker(1000L, () -> 0), () -> true);
        c.addCategory("beta");
        beta.subscribeFromNow(c);
        c.send(ServerMessages.encode(new ServerMessage.Ping()));
        runTasks(); // in flight, never completes until we say so
        for (int i = 1; i <= 3; i++) {
            channel.emit("happened", Map.of("n", i));
        }
        channel.unsubscribe(c);
        channel.subscribeAfter(c, "1000-1");
        beta.emit("happened", Map.of("n", 100));
        assertThat(c.queuedReplay()).isEqualTo(2);
        assertThat(c.queuedEvents()).isEqualTo(4);
        assertThat(c.removeCategory("alpha")).isTrue();
        channel.unsubscribe(c);
        assertThat(c.queuedReplay()).isZero();
        assertThat(c.queuedEvents()).isEqualTo(1);
        assertThat(c.droppedEvents()).isZero();
        sink.completeLast();
        runTasks();
        assertThat(sink.frames).hasSize(2);
        assertThat(Json.MAPPER.readTree(sink.frames.get(1)).at("/data/n").asInt()).isEqualTo(100);
    }

    @Test
    void whileAReplayIsQueuedLiveEventsGetAsMuchMoreRoomButNoMoreThanTheBoundAgain() {
        ClientSession c = client(3, OverflowPolicy.DROP_OLDEST);
        channel.unsubscribe(c);
        for (int i = 1; i <= 20; i++) {
            channel.emit("happened", Map.of("n", i));
        }
        c.pauseEvents(); // as while a subscribe is being acknowledged: nothing is taken
        channel.subscribeAfter(c, "1000-1"); // replays 19
        for (int i = 21; i <= 40; i++) {
            channel.emit("happened", Map.of("n", i));
        }
        assertThat(c.queuedReplay()).isEqualTo(19);
        assertThat(c.queuedEvents()).isEqualTo(3 + 3);
        assertThat(c.droppedEvents()).isEqualTo(14);
    }

    private static final class FakeSink implements Transport {
        @Override
        public String name() {
            return "test";
        }

        final List<String> frames = new ArrayList<>();
        final List<Boolean> batchFlags = new ArrayList<>();
        WriteCallback last;
        Integer closeCode;

        @Override
        public void send(ByteBuffer payload, boolean batch, WriteCallback callback) {
            frames.add(StandardCharsets.UTF_8.decode(payload).toString());
            batchFlags.add(batch);
            last = callback;
        }

        void completeLast() {
            WriteCallback c = last;
            last = null;
            c.written();
        }

        @Override
        public void close(int statusCode, String reason) {
            closeCode = statusCode;
        }

        @Override
        public void disconnect() {
            closeCode = 1006;
        }
    }

    /** Keeps the buffers it is given, like a connection with a write pending, or completes each write at once. */
    private static final class HoldingSink implements Transport {
        @Override
        public String name() {
            return "test";
        }

        final List<ByteBuffer> frames = new ArrayList<>();
        private final boolean completeAtOnce;

        HoldingSink(boolean completeAtOnce) {
            this.completeAtOnce = completeAtOnce;
        }

        @Override
        public void send(ByteBuffer payload, boolean batch, WriteCallback callback) {
            frames.add(payload);
            if (completeAtOnce) {
                frames.set(frames.size() - 1, ByteBuffer.wrap(StandardCharsets.UTF_8.decode(payload.duplicate()).toString()
                        .getBytes(StandardCharsets.UTF_8)));
                callback.written();
            }
        }

        @Override
        public void close(int statusCode, String reason) {
        }

        @Override
        public void disconnect() {
        }
    }

    /** Has the WebSocket framing and parses each batch back into frames, as a WebSocket client would. */
    private static final class FramedSink implements Transport {
        @Override
        public String name() {
            return "test";
        }

        final List<Integer> opcodes = new ArrayList<>();
        final List<String> payloads = new ArrayList<>();
        int writes;
        private final boolean completeAtOnce;

        FramedSink(boolean completeAtOnce) {
            this.completeAtOnce = completeAtOnce;
        }

        @Override
        public Framing framing() {
            return WebSocketFraming.INSTANCE;
        }

        WriteCallback last;

        void completeLast() {
            WriteCallback c = last;
            last = null;
            c.written();
        }

        @Override
        public void write(ByteBuffer frames, WriteCallback callback) {
            writes++;
            last = callback;
            ByteBuffer in = frames.duplicate();
            while (in.hasRemaining()) {
                int first = in.get() & 0xFF;
                assertThat(first & 0x80).as("FIN").isEqualTo(0x80);
                opcodes.add(first & 0x0F);
                int length = (int) readLength(in);
                byte[] payload = new byte[length];
                in.get(payload);
                payloads.add(new String(payload, first == 0x81 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
            }
            if (completeAtOnce) {
                callback.written();
            }
        }

        /** Reads the length after the first header byte (no mask: server frames are unmasked). */
        static long readLength(ByteBuffer in) {
            int second = in.get() & 0xFF;
            assertThat(second & 0x80).as("MASK").isZero();
            if (second < 126) {
                return second;
            }
            if (second == 126) {
                return in.getShort() & 0xFFFF;
            }
            return in.getLong();
        }

        @Override
        public void send(ByteBuffer payload, boolean batch, WriteCallback callback) {
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

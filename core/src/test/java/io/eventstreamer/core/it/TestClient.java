package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A WebSocket client for tests, on Jetty's {@link WebSocketClient}.
 *
 * <p>Every text message is parsed and queued; {@link #next()} takes the next one that is not a
 * server {@code ping}. The close code and reason are recorded. How the client answers the
 * server's JSON pings is chosen with {@link #answerPings(PingAnswer)}: by default it does not
 * answer them, which is what a silent client looks like (the default heartbeat of 30 s never
 * matters in tests that don't configure a short one). Protocol-level PINGs are answered only
 * when answering is switched on, so that "silent" really means silent.
 */
public final class TestClient implements Session.Listener.AutoDemanding, AutoCloseable {
    private volatile long closedAtNanos;
    /** Bound for waiting on a single message, close or send. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a client answers the server's {@code {"type":"ping"}}. */
    public enum PingAnswer {
        /** Never answers and sends nothing by itself: a stale client. */
        NONE,
        /** Answers with {@code {"type":"pong"}}, as the seed's client does. */
        JSON_PONG,
        /** Answers with a WebSocket protocol PONG frame, which also counts as a sign of life. */
        PROTOCOL_PONG
    }

    /** How a connection ended. */
    public record CloseStatus(int code, String reason) {
    }

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final AtomicInteger pingsReceived = new AtomicInteger();
    private volatile Session session;
    private volatile PingAnswer pingAnswer = PingAnswer.NONE;
    private volatile Throwable error;

    private TestClient() {
    }

    /** Connects and waits for the WebSocket handshake to complete. */
    public static TestClient connect(WebSocketClient client, URI uri) {
        return connect(client, uri, Map.of());
    }

    /** Connects with extra upgrade request headers (e.g. Authorization, Origin). */
    public static TestClient connect(WebSocketClient client, URI uri, Map<String, String> headers) {
        TestClient testClient = new TestClient();
        try {
            ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
            headers.forEach(request::setHeader);
            client.connect(testClient, request).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new AssertionError("could not connect to " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while connecting to " + uri, e);
        }
        return testClient;
    }

    // --- Session.Listener ------------------------------------------------------------------

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        JsonNode node = parse(message);
        if ("ping".equals(node.path("type").asText())) {
            pingsReceived.incrementAndGet();
            answer();
        }
        messages.add(node);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        ObjectNode node = JSON.createObjectNode();
        node.put("unexpected-binary-message", payload.remaining());
        messages.add(node);
        callback.succeed();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        // Overriding this stops Jetty's automatic PONG: a silent client must stay silent.
        if (pingAnswer != PingAnswer.NONE && session != null) {
            session.sendPong(payload, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        closedAtNanos = System.nanoTime();
        closed.complete(new CloseStatus(statusCode, reason));
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // Jetty calls onWebSocketClose after this; its code is what tests look at.
        error = cause;
    }

    // --- Sending -----------------------------------------------------------------------------

    /** When the close arrived ({@link System#nanoTime()}), or 0 while open. */
    public long closedAtNanos() {
        return closedAtNanos;
    }

    /** From now on answers the server's JSON pings as given. */
    public TestClient answerPings(PingAnswer answer) {
        this.pingAnswer = answer;
        return this;
    }

    /** Sends a text frame and waits until it is written. */
    public void send(String text) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session().sendText(text, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        await(sent, "sending " + abbreviate(text));
    }

    /** Sends a binary frame and waits until it is written. */
    public void sendBinary(byte[] bytes) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session().sendBinary(ByteBuffer.wrap(bytes), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        await(sent, "sending " + bytes.length + " binary bytes");
    }

    /** Sends {@code {"type":"subscribe",...}} and returns the server's answer. */
    public JsonNode subscribe(String clientId, String... categories) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "subscribe");
        message.set("categories", JSON.valueToTree(Arrays.asList(categories)));
        if (clientId != null) {
            message.put("clientId", clientId);
        }
        send(message.toString());
        return next();
    }

    /** Subscribes and asserts that the server acknowledged it. */
    public JsonNode subscribed(String clientId, String... categories) {
        JsonNode ack = subscribe(clientId, categories);
        assertThat(ack.path("type").asText()).as("answer to subscribe: %s", ack).isEqualTo("subscription-ack");
        return ack;
    }

    /** Sends {@code {"type":"unsubscribe",...}} and returns the server's answer. */
    public JsonNode unsubscribe(String... categories) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "unsubscribe");
        message.set("categories", JSON.valueToTree(Arrays.asList(categories)));
        send(message.toString());
        return next();
    }

    // --- Receiving ---------------------------------------------------------------------------

    /** The next message that is not a server ping; fails after {@link #WAIT}. */
    public JsonNode next() {
        return next(WAIT);
    }

    /** The next message that is not a server ping; fails after {@code timeout}. */
    public JsonNode next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode message = poll(deadline, timeout);
            if (!"ping".equals(message.path("type").asText())) {
                return message;
            }
        }
    }

    /** The next message of any type, server pings included. */
    public JsonNode nextIncludingPings() {
        return poll(System.nanoTime() + WAIT.toNanos(), WAIT);
    }

    /** The next message, asserted to be an event. */
    public JsonNode nextEvent() {
        JsonNode message = next();
        assertThat(message.path("type").asText()).as("expected an event but got %s", message).isEqualTo("event");
        return message;
    }

    /** The next {@code count} messages, each asserted to be an event. */
    public List<JsonNode> nextEvents(int count) {
        List<JsonNode> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(nextEvent());
        }
        return events;
    }

    /** The messages received and not yet taken, server pings included, without waiting. */
    public List<JsonNode> drain() {
        List<JsonNode> drained = new ArrayList<>();
        messages.drainTo(drained);
        return drained;
    }

    /** How many JSON pings the server has sent so far. */
    public int pingsReceived() {
        return pingsReceived.get();
    }

    // --- Closing -----------------------------------------------------------------------------

    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen() && !closed.isDone();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Waits for the connection to be closed and returns how. */
    public CloseStatus awaitClose() {
        return awaitClose(WAIT);
    }

    public CloseStatus awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("connection not closed within " + timeout + "; unread messages: " + messages
                    + (error == null ? "" : "; error: " + error));
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Closes the connection normally and waits for the close handshake. */
    @Override
    public void close() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1000, "test done", Callback.NOOP);
            try {
                closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                s.disconnect();
            }
        }
    }

    private Session session() {
        Session s = session;
        if (s == null) {
            throw new AssertionError("not connected");
        }
        return s;
    }

    private void answer() {
        PingAnswer answer = pingAnswer;
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        if (answer == PingAnswer.JSON_PONG) {
            s.sendText("{\"type\":\"pong\"}", Callback.NOOP);
        } else if (answer == PingAnswer.PROTOCOL_PONG) {
            s.sendPong(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }

    private JsonNode poll(long deadline, Duration timeout) {
        try {
            JsonNode message = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + timeout
                        + (closed.isDone() ? "; connection closed: " + closed.getNow(null) : ""));
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void await(CompletableFuture<Void> future, String what) {
        try {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("failed " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            ObjectNode node = JSON.createObjectNode();
            node.put("unparseable-text", text);
            return node;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...(" + text.length() + " chars)";
    }
}

package io.eventstreamer.client.internal;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.client.ConnectionState;
import io.eventstreamer.client.Gap;
import io.eventstreamer.client.StreamEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of an {@code EventStreamClient}: opens connections, subscribes with resume points,
 * delivers messages to the application, detects dead connections and reconnects with backoff.
 *
 * <p>Everything it decides happens on the client's own thread ({@link ClientThread}), which is
 * also the thread that runs the application's callbacks: events are delivered in the order they
 * arrived, one at a time, and a category's last id is recorded only after {@code onEvent}
 * returned. A new connection's subscribe is sent only after every message of the previous
 * connection was handled, so its resume points are exact. Jetty's threads only parse and hand over
 * (see {@link Connection}).
 */
public final class ConnectionSupervisor {
    /** User-facing messages are logged under the public class's name. */
    private static final Logger LOG = LoggerFactory.getLogger("io.eventstreamer.client.EventStreamClient");
    /** Messages read ahead of the application, per connection: bounds the client's memory. */
    private static final int MAX_BUFFERED_MESSAGES = 256;
    /** How long {@link #close()} waits for the close frame to be written and the callbacks to finish. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final ClientSettings settings;
    private final Backoff backoff;
    private final ClientThread thread;
    private final WebSocketClient webSocketClient;
    private final boolean ownsWebSocketClient;
    private final long deadAfterNanos;
    /** Written on the client's thread only; read from anywhere by {@link #lastEventIds()}. */
    private final Map<String, String> lastIds = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Object stateMonitor = new Object();
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;

    // Confined to the client's thread.
    private Connection current;
    private int connectionCount;
    private int failures;
    private ScheduledFuture<?> reconnect;

    public ConnectionSupervisor(ClientSettings settings) {
        this.settings = settings;
        this.backoff = new Backoff(settings.minReconnectDelay().toMillis(), settings.maxReconnectDelay().toMillis(),
                settings.random());
        this.thread = new ClientThread("event-streamer-client-" + settings.name());
        this.ownsWebSocketClient = settings.webSocketClient() == null;
        if (ownsWebSocketClient) {
            this.webSocketClient = JettyClients.create(settings.name(), settings.connectTimeout());
        } else {
            this.webSocketClient = settings.webSocketClient();
        }
        this.deadAfterNanos = settings.deadConnectionTimeout().toNanos();
        lastIds.putAll(settings.resumeFrom());
    }

    // --- Called by the application's threads ------------------------------------------------------

    public void start() {
        if (closing.get()) {
            throw new IllegalStateException("the client was closed; build a new one");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the client was already started");
        }
        if (ownsWebSocketClient) {
            JettyClients.start(webSocketClient);
        }
        long checkEvery = Math.max(10, Math.min(1000, settings.deadConnectionTimeout().toMillis() / 4));
        thread.scheduleRepeatedly(this::checkAlive, checkEvery);
        thread.submit(this::connect);
    }

    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Void> closeWritten = new CompletableFuture<>();
        if (thread.isCurrent()) {
            shutDown(closeWritten);
        } else if (!thread.submit(() -> shutDown(closeWritten))) {
            closeWritten.complete(null);
        }
        ClientThread.awaitQuietly(closeWritten, CLOSE_TIMEOUT);
        thread.shutDown();
        if (ownsWebSocketClient && started.get()) {
            JettyClients.stop(webSocketClient);
        }
        if (!thread.isCurrent()) {
            thread.awaitTermination(CLOSE_TIMEOUT);
        }
    }

    public ConnectionState state() {
        return state;
    }

    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateMonitor) {
            while (state != ConnectionState.CONNECTED) {
                long remaining = deadline - System.nanoTime();
                if (state == ConnectionState.CLOSED || remaining <= 0) {
                    return false;
                }
                MILLISECONDS.timedWait(stateMonitor, Math.max(1, remaining / 1_000_000));
            }
            return true;
        }
    }

    public Map<String, String> lastEventIds() {
        return Map.copyOf(lastIds);
    }

    // --- Called by Connection on Jetty's threads --------------------------------------------------

    boolean submit(Runnable task) {
        return thread.submit(task);
    }

    void configure(Session session) {
        // Jetty's own idle timeout is only a backstop: dead connections are detected by checkAlive.
        session.setIdleTimeout(settings.deadConnectionTimeout().multipliedBy(2));
        session.setMaxTextMessageSize(settings.maxMessageSize());
        session.setMaxFrameSize(settings.maxMessageSize());
    }

    // --- The client's thread ---------------------------------------------------------------------

    private void connect() {
        reconnect = null;
        if (closing.get()) {
            return;
        }
        Connection connection = new Connection(this, ++connectionCount, MAX_BUFFERED_MESSAGES);
        current = connection;
        setState(ConnectionState.CONNECTING);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: opening {} to {}", settings.name(), connection, settings.uri());
        }
        ClientUpgradeRequest request = new ClientUpgradeRequest(settings.uri());
        request.setTimeout(settings.connectTimeout().toMillis(), MILLISECONDS);
        try {
            webSocketClient.connect(connection, request).whenComplete((session, failure) -> {
                if (failure != null) {
                    thread.submit(() -> lost(connection, StatusCode.NO_CLOSE, "could not connect: " + describe(failure)));
                }
            });
        } catch (IOException | RuntimeException e) {
            lost(connection, StatusCode.NO_CLOSE, "could not connect: " + describe(e));
        }
    }

    void opened(Connection connection) {
        if (connection != current || closing.get()) {
            connection.close(StatusCode.NORMAL, "client closed", () -> { });
            return;
        }
        Map<String, String> resume = new LinkedHashMap<>();
        for (String category : settings.categories()) {
            String lastId = lastIds.get(category);
            if (lastId != null) {
                resume.put(category, lastId);
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} open; subscribing to {} resuming {}", settings.name(), connection, settings.categories(), resume);
        }
        connection.send(Protocol.subscribe(settings.categories(), settings.clientId(), resume));
    }

    void received(Connection connection, ServerMessage message) {
        try {
            // Messages of a connection already given up are dropped: the next subscribe resumes
            // from the last delivered id, so the server sends them again.
            if (connection == current && !closing.get()) {
                handle(connection, message);
            }
        } finally {
            connection.processed();
        }
    }

    private void handle(Connection connection, ServerMessage message) {
        if (message instanceof ServerMessage.Event event) {
            deliver(event.event());
        } else if (message instanceof ServerMessage.GapNotice notice) {
            gap(notice.gap());
        } else if (message instanceof ServerMessage.SubscriptionAck ack) {
            acknowledged(connection, ack.data());
        } else if (message instanceof ServerMessage.ErrorNotice error) {
            error(connection, error);
        } else if (message instanceof ServerMessage.Malformed malformed) {
            LOG.warn("{}: ignoring a message from the server: {}: {}", settings.name(), malformed.problem(),
                    abbreviate(malformed.text()));
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{}: ignoring {}", settings.name(), message);
        }
    }

    private void deliver(StreamEvent event) {
        invoke("onEvent", settings.onEvent(), event);
        lastIds.put(event.category(), event.id());
    }

    private void gap(Gap gap) {
        invoke("onGap", settings.onGap(), gap);
        // After a failed resume the stream continues after continuesFrom: resuming from there
        // next time avoids being told about the same gap again. (Without continuesFrom, keep the
        // old point: a second gap notice is better than a silent loss.)
        gap.continuesFrom().ifPresent(id -> lastIds.put(gap.category(), id));
    }

    private void acknowledged(Connection connection, JsonNode data) {
        if (connection.isSubscribed()) {
            return;
        }
        connection.subscribed();
        failures = 0;
        // Where each category starts on the server: a resume point even before its first event.
        JsonNode starts = data.path("lastIds");
        starts.properties().forEach(entry -> {
            if (entry.getValue().isTextual()) {
                lastIds.putIfAbsent(entry.getKey(), entry.getValue().textValue());
            }
        });
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: subscribed on {}: {}", settings.name(), connection, data);
        }
        setState(ConnectionState.CONNECTED);
    }

    private void error(Connection connection, ServerMessage.ErrorNotice error) {
        invoke("onError", settings.onError(), error.data());
        if (!connection.isSubscribed()) {
            // The server applies a subscribe completely or not at all: this one was refused (an
            // unknown category, a full server...). Drop the connection and try again later.
            LOG.warn("{}: the server refused the subscription ({}); retrying", settings.name(), error.code());
            current = null;
            connection.close(StatusCode.NORMAL, "subscription refused", () -> { });
            retryLater(connection, StatusCode.NORMAL, "refused the subscription (" + error.code() + ")");
        }
    }

    /** The connection closed, failed to open, or was found dead: drop it and try again later. */
    void lost(Connection connection, int code, String description) {
        if (connection != current) {
            return;
        }
        current = null;
        connection.abandon();
        retryLater(connection, code, description);
    }

    private void retryLater(Connection connection, int code, String description) {
        if (closing.get()) {
            return;
        }
        long delay;
        if (code == StatusCode.SERVICE_RESTART) {
            delay = backoff.afterRestartMillis();
        } else {
            delay = backoff.delayMillis(failures);
            failures++;
        }
        if (connection.isSubscribed() || failures == 1 || failures % 10 == 0) {
            LOG.info("{}: {} to {} {}; reconnecting in {} ms", settings.name(), connection, settings.uri(), description, delay);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} {}; failure {} in a row, reconnecting in {} ms", settings.name(), connection, description,
                    failures, delay);
        }
        setState(ConnectionState.DISCONNECTED);
        reconnect = thread.schedule(this::connect, delay);
    }

    private void checkAlive() {
        Connection connection = current;
        if (connection == null || !connection.isOpen()) {
            return; // not open yet: the upgrade request has its own timeout
        }
        if (!connection.isSubscribed() && connection.openNanos() > settings.connectTimeout().toNanos()) {
            lost(connection, StatusCode.NO_CLOSE, "got no answer to subscribe within "
                    + settings.connectTimeout().toMillis() + " ms");
        } else if (connection.silentNanos() > deadAfterNanos) {
            lost(connection, StatusCode.NO_CLOSE, "received nothing for " + settings.deadConnectionTimeout().toMillis()
                    + " ms (dead connection)");
        }
    }

    private void shutDown(CompletableFuture<Void> closeWritten) {
        if (reconnect != null) {
            reconnect.cancel(false);
            reconnect = null;
        }
        Connection connection = current;
        current = null;
        if (connection == null) {
            closeWritten.complete(null);
        } else {
            connection.close(StatusCode.NORMAL, "client closed", () -> closeWritten.complete(null));
        }
        setState(ConnectionState.CLOSED);
    }

    private void setState(ConnectionState newState) {
        if (state == newState) {
            return;
        }
        synchronized (stateMonitor) {
            state = newState;
            stateMonitor.notifyAll();
        }
        invoke("onStateChange", settings.onStateChange(), newState);
    }

    private <T> void invoke(String callback, Consumer<T> consumer, T argument) {
        try {
            consumer.accept(argument);
        } catch (RuntimeException e) {
            LOG.warn("{}: the {} callback threw; carrying on with the next message", settings.name(), callback, e);
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    private static String abbreviate(String text) {
        if (text.length() <= 200) {
            return text;
        }
        return text.substring(0, 200) + "...(" + text.length() + " chars)";
    }
}

package io.eventstreamer.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.client.internal.ClientSettings;
import io.eventstreamer.client.internal.ConnectionSupervisor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of an event-streamer server that stays connected: it subscribes to categories, hands
 * each event to the application once and in order, and when the connection is lost it reconnects
 * and resumes after the last event it delivered, so that nothing is missed. When the server can't
 * replay what was missed (its history no longer holds it, or it restarted), the application is
 * told with a {@link Gap}.
 *
 * <pre>{@code
 * EventStreamClient client = EventStreamClient.builder(URI.create("ws://127.0.0.1:8080/ws"))
 *         .clientId("billing-dashboard")
 *         .categories("scheduler", "dlq")
 *         .onEvent(event -> dashboard.apply(event.category(), event.type(), event.data()))
 *         .onGap(gap -> dashboard.reload(gap.category()))
 *         .onStateChange(state -> log.info("event stream {}", state))
 *         .build();
 * client.start();                                  // connects in the background, returns at once
 * ...
 * client.close();                                  // stops reconnecting, closes with 1000
 * }</pre>
 *
 * <p><b>Threads.</b> Each client has one thread of its own that runs every callback, one at a
 * time: {@code onEvent} is never called concurrently and sees a category's events in the order the
 * server published them. Callbacks should return reasonably soon; while one runs, the client reads
 * at most a bounded number of messages ahead, and a callback blocked for longer than the server's
 * connection timeout gets the connection closed by the server (the client then reconnects and
 * resumes). A callback that throws is logged and the client carries on: the event counts as
 * delivered.
 *
 * <p><b>Reconnecting.</b> Whenever the connection closes, fails or goes silent for
 * {@link Builder#deadConnectionTimeout} (the server pings every 30 s by default, and the client
 * answers), the client waits a random delay (exponential backoff with full jitter between
 * {@link Builder#reconnectDelay min and max}, reset once a subscription is acknowledged) and
 * connects again; a refused upgrade (e.g. 503 while a server drains) is retried the same way. When
 * the server closes with 1012 (it is restarting) the client comes back after a short random delay.
 * Each new connection's subscribe carries, per category, the id of the last event delivered to
 * {@code onEvent} ({@link #lastEventIds()}); the server replays what came after it.
 *
 * <p><b>Across restarts of the application.</b> Persist {@link #lastEventIds()} and pass them to
 * {@link Builder#resumeFrom} next time to continue where the previous process stopped.
 */
public final class EventStreamClient implements AutoCloseable {
    private final ConnectionSupervisor supervisor;

    private EventStreamClient(ClientSettings settings) {
        this.supervisor = new ConnectionSupervisor(settings);
    }

    /**
     * A builder for a client of the server at {@code uri}, e.g. {@code ws://127.0.0.1:8080/ws}
     * ({@code wss://} for TLS).
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /**
     * Starts connecting in the background and returns at once. Progress is reported to
     * {@link Builder#onStateChange}; {@link #awaitSubscribed} waits for it.
     *
     * @throws IllegalStateException when called twice, or after {@link #close()}
     */
    public void start() {
        supervisor.start();
    }

    /**
     * Waits until the client is connected and the server has acknowledged its subscription.
     *
     * @return {@code true} when subscribed; {@code false} when {@code timeout} passed first or the
     *         client was closed
     */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        requireNonNull(timeout, "timeout is null");
        return supervisor.awaitSubscribed(timeout);
    }

    /** The current state. */
    public ConnectionState state() {
        return supervisor.state();
    }

    /**
     * A copy of the id of the last event delivered per category (and of the ids given to
     * {@link Builder#resumeFrom} for categories that have had no event since). An id is recorded
     * only after {@code onEvent} returned for its event.
     */
    public Map<String, String> lastEventIds() {
        return supervisor.lastEventIds();
    }

    /**
     * Stops reconnecting and closes the connection with 1000 (normal closure). Waits a few seconds
     * at most for the close to be sent and for a running callback to finish (not when called from
     * a callback). No callback but {@code onStateChange(CLOSED)} runs afterwards. Calling it again
     * does nothing.
     */
    @Override
    public void close() {
        supervisor.close();
    }

    /**
     * Configures an {@link EventStreamClient}. {@link #categories} and {@link #onEvent} are required;
     * everything else has a default.
     */
    public static final class Builder {
        static final Duration DEFAULT_MIN_RECONNECT_DELAY = Duration.ofMillis(250);
        static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(30);
        /** Two of the server's default heartbeat intervals, as the server's own connection timeout. */
        static final Duration DEFAULT_DEAD_CONNECTION_TIMEOUT = Duration.ofSeconds(60);
        static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
        static final long DEFAULT_MAX_MESSAGE_SIZE = 16L * 1024 * 1024;

        private static final Logger LOG = LoggerFactory.getLogger(EventStreamClient.class);

        private final URI uri;
        private final List<String> categories = new ArrayList<>();
        private final Map<String, String> resumeFrom = new LinkedHashMap<>();
        private String clientId;
        private Consumer<StreamEvent> onEvent;
        private Consumer<Gap> onGap = gap -> LOG.warn("Events missed in {} ({}): {}", gap.category(), gap.reason(), gap.data());
        private Consumer<ConnectionState> onStateChange = state -> { };
        private Consumer<JsonNode> onError = error -> LOG.warn("Error from the server: {}", error);
        private Duration minReconnectDelay = DEFAULT_MIN_RECONNECT_DELAY;
        private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;
        private Duration deadConnectionTimeout = DEFAULT_DEAD_CONNECTION_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private Random random = new Random();
        private WebSocketClient webSocketClient;

        private Builder(URI uri) {
            requireNonNull(uri, "uri is null");
            if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
                throw new IllegalArgumentException("uri was " + uri + " but must start with ws:// or wss://");
            }
            this.uri = uri;
        }

        /** Optional: the id the server shows for this client (status endpoint, events), 1 to 128 characters. */
        public Builder clientId(String clientId) {
            requireNonNull(clientId, "clientId is null");
            if (clientId.isEmpty() || clientId.length() > 128) {
                throw new IllegalArgumentException("clientId was \"" + clientId + "\" but must have 1 to 128 characters");
            }
            this.clientId = clientId;
            return this;
        }

        /** Required: the categories to subscribe to, e.g. {@code "scheduler", "dlq"}. Adds to earlier calls. */
        public Builder categories(String... categories) {
            requireNonNull(categories, "categories is null");
            return categories(Arrays.asList(categories));
        }

        /** Required: the categories to subscribe to. Adds to earlier calls. */
        public Builder categories(Collection<String> categories) {
            requireNonNull(categories, "categories is null");
            for (String category : categories) {
                requireNonNull(category, "a category is null");
                if (category.isEmpty()) {
                    throw new IllegalArgumentException("a category is empty");
                }
                if (!this.categories.contains(category)) {
                    this.categories.add(category);
                }
            }
            return this;
        }

        /** Required: called for each event, on the client's thread, in order, once. */
        public Builder onEvent(Consumer<StreamEvent> onEvent) {
            this.onEvent = requireNonNull(onEvent, "onEvent is null");
            return this;
        }

        /** Called when events of a category were missed; by default logs a warning. */
        public Builder onGap(Consumer<Gap> onGap) {
            this.onGap = requireNonNull(onGap, "onGap is null");
            return this;
        }

        /** Called on each change of {@link ConnectionState}; by default does nothing. */
        public Builder onStateChange(Consumer<ConnectionState> onStateChange) {
            this.onStateChange = requireNonNull(onStateChange, "onStateChange is null");
            return this;
        }

        /**
         * Called with the {@code data} of each {@code error} message from the server (fields
         * {@code error} and {@code code}); by default logs a warning. When the server refuses the
         * subscribe (e.g. {@code unknown-category}), the client also drops the connection and tries
         * again after the reconnect delay.
         */
        public Builder onError(Consumer<JsonNode> onError) {
            this.onError = requireNonNull(onError, "onError is null");
            return this;
        }

        /**
         * The reconnect delay: after the n-th failure in a row a random delay in
         * {@code [0, min(max, min * 2^n)]}. Defaults: 250 ms and 30 s.
         */
        public Builder reconnectDelay(Duration min, Duration max) {
            requireNonNull(min, "min is null");
            requireNonNull(max, "max is null");
            if (min.toMillis() <= 0 || max.compareTo(min) < 0) {
                throw new IllegalArgumentException(String.format(
                        "reconnectDelay was (%s, %s) but must satisfy 1ms <= min <= max", min, max));
            }
            this.minReconnectDelay = min;
            this.maxReconnectDelay = max;
            return this;
        }

        /**
         * How long the connection may stay silent (no message, not even the server's ping) before
         * the client drops it and reconnects. Should be longer than the server's
         * {@code heartbeat-interval}. Default: 60 s.
         */
        public Builder deadConnectionTimeout(Duration timeout) {
            this.deadConnectionTimeout = positive("deadConnectionTimeout", timeout);
            return this;
        }

        /**
         * How long a connection attempt may take: the TCP connect and WebSocket upgrade, and then
         * again the server's answer to the subscribe. Default: 10 s.
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** The largest message accepted from the server, in bytes. Default: 16 MiB. */
        public Builder maxMessageSize(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxMessageSize was " + bytes + " but must be >= 1024");
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /** The source of the reconnect jitter; tests pass a seeded one. Used only by the client's thread. */
        public Builder random(Random random) {
            this.random = requireNonNull(random, "random is null");
            return this;
        }

        /**
         * Where to resume on the first connection: category to the id of the last event the
         * application had processed, typically a saved {@link EventStreamClient#lastEventIds()}.
         * Keys must be among the {@link #categories}.
         */
        public Builder resumeFrom(Map<String, String> lastEventIds) {
            requireNonNull(lastEventIds, "lastEventIds is null");
            lastEventIds.forEach((category, id) -> {
                requireNonNull(category, "a category in resumeFrom is null");
                requireNonNull(id, "the id in resumeFrom for " + category + " is null");
            });
            this.resumeFrom.putAll(lastEventIds);
            return this;
        }

        /**
         * A started Jetty {@link WebSocketClient} to share with the application or other clients;
         * the client doesn't stop it. By default each client has a private one with daemon threads.
         */
        public Builder webSocketClient(WebSocketClient webSocketClient) {
            this.webSocketClient = requireNonNull(webSocketClient, "webSocketClient is null");
            return this;
        }

        /**
         * Builds the client; it does nothing until {@link EventStreamClient#start()}.
         *
         * @throws IllegalStateException when no category or no {@code onEvent} was given, or
         *         {@code resumeFrom} names a category not subscribed to
         */
        public EventStreamClient build() {
            if (categories.isEmpty()) {
                throw new IllegalStateException("no categories: call categories(...)");
            }
            if (onEvent == null) {
                throw new IllegalStateException("no onEvent callback: call onEvent(...)");
            }
            for (String category : resumeFrom.keySet()) {
                if (!categories.contains(category)) {
                    throw new IllegalStateException(String.format(
                            "resumeFrom names category %s but the categories are %s", category, categories));
                }
            }
            return new EventStreamClient(new ClientSettings(uri, categories, clientId, onEvent, onGap, onStateChange,
                    onError, minReconnectDelay, maxReconnectDelay, deadConnectionTimeout, connectTimeout, maxMessageSize,
                    random, resumeFrom, webSocketClient));
        }

        private static Duration positive(String name, Duration value) {
            requireNonNull(value, name + " is null");
            if (value.toMillis() <= 0) {
                throw new IllegalArgumentException(name + " was " + value + " but must be at least 1ms");
            }
            return value;
        }
    }
}

package io.eventstreamer.core;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.internal.Host;
import io.eventstreamer.spi.EventEmitter;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * An event-streamer host: the WebSocket endpoint, the HTTP API and the loaded event sources,
 * running in this JVM.
 *
 * <p>Embedding applications start one from their own {@code main}, take the emitter of a category
 * and publish in-process. Publishing never waits on a socket.
 *
 * <pre>{@code
 * Config config = ConfigFactory.parseString("event-streamer.server.port = 0")
 *         .withFallback(ConfigFactory.load());
 * try (EventStreamer host = EventStreamer.start(config)) {
 *     EventEmitter scheduler = host.emitter("scheduler");
 *     scheduler.emit("schedule-created", Map.of("scheduleId", "nightly", "cron", "0 3 * * *"));
 *     System.out.println("clients on " + host.webSocketUri() + ": " + host.clientCount());
 * }
 * }</pre>
 *
 * <p>Sources are discovered with {@link java.util.ServiceLoader} on the thread context class
 * loader. {@link #stop()} closes every client with 1001 (going away) after flushing queued events
 * for at most {@code event-streamer.drain-timeout}, and returns when Jetty has stopped.
 */
public final class EventStreamer implements AutoCloseable {
    private final Host host;

    private EventStreamer(Host host) {
        this.host = host;
    }

    /**
     * Starts a host. {@code config} is the application's whole configuration, usually
     * {@code ConfigFactory.load()} with overrides; the {@code reference.conf} defaults of core and
     * of every source are applied beneath it.
     *
     * <p>With {@code broker.type = redis} it connects to Redis and fixes where it reads each
     * category's stream before it opens its port, waiting at most three times
     * {@code broker.redis.command-timeout}. If Redis can't be reached by then, it starts anyway and
     * answers 503 ({@code starting}) to WebSocket upgrades, publishes and {@code /health/ready}
     * until a retry connects; in-process emitters throw meanwhile.
     *
     * @throws InvalidSettingsException when settings are invalid: it lists every one of them, each
     *         naming the key, the value, where it was set and what was expected
     * @throws HostStartException when the server can't start, e.g. the port is in use
     */
    public static EventStreamer start(Config config) {
        requireNonNull(config, "config is null");
        return new EventStreamer(Host.start(config));
    }

    /** Starts a host with {@code ConfigFactory.load()}: application.conf, system properties, defaults. */
    public static EventStreamer start() {
        return start(ConfigFactory.load());
    }

    /** The TCP port the host listens on (the real one when the configured port is 0). */
    public int port() {
        return host.port();
    }

    /** The WebSocket URI clients connect to, e.g. {@code ws://127.0.0.1:8080/ws}. */
    public URI webSocketUri() {
        return host.webSocketUri();
    }

    /** The base URI of the HTTP API, e.g. {@code http://127.0.0.1:8080/}. */
    public URI httpUri() {
        return host.httpUri();
    }

    /** The categories of the sources that are running, in load order. */
    public Set<String> categories() {
        return host.categories();
    }

    /**
     * The emitter of a running category.
     *
     * @throws IllegalArgumentException when no running source provides that category
     */
    public EventEmitter emitter(String category) {
        requireNonNull(category, "category is null");
        return host.emitter(category);
    }

    /** The number of connected WebSocket clients, as in the status endpoint. */
    public int clientCount() {
        return host.clientCount();
    }

    /** The number of subscribed clients per running category, as in the status endpoint. */
    public Map<String, Integer> subscriptionCounts() {
        return host.subscriptionCounts();
    }

    /**
     * The state of every discovered source, by category in load order: {@code running},
     * {@code failed}, {@code disabled} or {@code stopped}, as {@code GET /api/sources} reports it.
     */
    public Map<String, String> sourceStates() {
        return host.sourceStates();
    }

    /** Whether the host is running (started and not yet stopped). */
    public boolean isRunning() {
        return host.isRunning();
    }

    /**
     * Stops the host gracefully: no new connections; queued events are flushed for up to the
     * drain timeout; every client is closed with 1001; sources are stopped; returns when Jetty has
     * stopped. Calling it again does nothing.
     */
    public void stop() {
        host.stop();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}

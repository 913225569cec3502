package io.eventstreamer.core.internal;

import com.typesafe.config.Config;
import io.eventstreamer.core.HostStartException;
import io.eventstreamer.core.internal.broker.Broker;
import io.eventstreamer.core.internal.broker.MemoryBroker;
import io.eventstreamer.core.internal.broker.RedisBroker;
import io.eventstreamer.core.internal.cli.StartupBanner;
import io.eventstreamer.core.internal.config.BrokerSettings;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.ClientRegistry;
import io.eventstreamer.core.internal.fanout.FlusherThreads;
import io.eventstreamer.core.internal.http.PublishesInFlight;
import io.eventstreamer.core.internal.metrics.HostMetrics;
import io.eventstreamer.core.internal.plugin.LoadedSource;
import io.eventstreamer.core.internal.plugin.SourceRegistry;
import io.eventstreamer.core.internal.session.Sessions;
import io.eventstreamer.core.internal.sse.SseHandler;
import io.eventstreamer.core.internal.ws.WebSocketService;
import io.eventstreamer.spi.EventEmitter;
import java.net.BindException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires settings, sources, fan-out and Jetty together; the engine behind {@code EventStreamer}. */
public final class Host {
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    private final Settings settings;
    private final SourceRegistry sources;
    private final Map<String, CategoryChannel> channels;
    private final ClientRegistry registry;
    private final FlusherThreads flusher;
    private final ScheduledExecutorService scheduler;
    private final Sessions sessions;
    private final WebSocketService webSocket;
    private final JettyServer jetty;
    private final HostMetrics metrics;
    private final Broker broker;
    private final PublishesInFlight publishes = new PublishesInFlight();
    private volatile boolean running;
    private boolean stopped;

    private Host(Settings settings) {
        this.settings = settings;
        DebugLogging.apply(settings.debug());
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        this.sources = SourceRegistry.discover(loader == null ? Host.class.getClassLoader() : loader,
                settings.pluginsDirectory(), settings.config());
        // A new epoch on every start: ids from a previous life (in-memory history is gone) are never
        // mistaken for current ones.
        long epoch = System.currentTimeMillis();
        this.registry = new ClientRegistry(settings.maxClients());
        this.broker = settings.broker().type() == BrokerSettings.Type.MEMORY
                ? new MemoryBroker(epoch, registry::count)
                : new RedisBroker(settings.broker(), registry);
        Map<String, CategoryChannel> all = new LinkedHashMap<>();
        for (LoadedSource source : sources.usable()) {
            all.put(source.category(), new CategoryChannel(source.catalog().orElseThrow(),
                    settings.category(source.category()), broker, this::isRunning));
        }
        this.running = true;
        sources.start(settings.config(), source -> all.get(source.category()));
        Map<String, CategoryChannel> live = new LinkedHashMap<>();
        for (LoadedSource source : sources.usable()) {
            live.put(source.category(), all.get(source.category()));
        }
        this.channels = Collections.unmodifiableMap(live);
        this.flusher = new FlusherThreads(settings.flusherThreads(), "event-streamer-flusher");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("event-streamer-heartbeat"));
        this.metrics = new HostMetrics();
        metrics.bind(channels, registry);
        this.sessions = new Sessions(settings, registry, channels, flusher, scheduler, metrics);
        this.webSocket = new WebSocketService(settings, sessions, scheduler, broker);
        SseHandler sse = settings.sseEnabled() ? new SseHandler(settings, sessions, broker, scheduler) : null;
        this.jetty = new JettyServer(settings, webSocket, sse, registry, channels, sources, metrics, broker, publishes);
    }

    /**
     * Starts the host. The broker connects first and fixes every category's read position, so that
     * in the usual case the port opens ready; if that takes longer than {@link #brokerWait} (Redis
     * unreachable), the port opens anyway and the host answers 503 (starting) to upgrades,
     * publishes and /health/ready until the broker is ready.
     */
    public static Host start(Config config) {
        Settings settings = Settings.from(config);
        Host host = new Host(settings);
        try {
            host.broker.start();
            host.broker.awaitFirstAttempt(brokerWait(settings));
        } catch (InterruptedException e) {
            host.abortStart();
            Thread.currentThread().interrupt();
            throw new HostStartException("interrupted while connecting to the broker", e);
        }
        try {
            host.jetty.start();
        } catch (Exception e) {
            host.abortStart();
            if (isBindFailure(e)) {
                throw new HostStartException(String.format("port %d on %s is already in use (set event-streamer.server.port"
                        + " or EVENT_STREAMER_PORT to another port)", settings.port(), settings.host()), e);
            }
            throw new HostStartException("the server could not start: " + e.getMessage(), e);
        }
        host.sessions.startHeartbeat();
        host.broker.announce(nodeName() + ":" + host.port());
        if (!host.broker.ready()) {
            LOG.warn("not ready yet: {}; WebSocket upgrades and publishes answer 503 until then",
                    host.broker.waitingFor());
        }
        LOG.info("event-streamer listening on port {} (WebSocket {}, {} categories: {})", host.port(),
                host.webSocketUri(), host.channels.size(), String.join(", ", host.channels.keySet()));
        List<String> openAccess = StartupBanner.openAccessWarning(settings.security());
        if (!openAccess.isEmpty()) {
            LOG.warn("{}", String.join("; ", openAccess));
        }
        return host;
    }

    /**
     * How long the start waits for the broker before opening the port: one connection attempt
     * (connect, then a read of each stream's newest entry), each step bounded by the command timeout.
     */
    private static java.time.Duration brokerWait(Settings settings) {
        return settings.broker().commandTimeout().multipliedBy(3);
    }

    public int port() {
        return jetty.port();
    }

    public URI webSocketUri() {
        return URI.create((jetty.isSecure() ? "wss://" : "ws://") + clientHost() + ":" + port() + settings.path());
    }

    public URI httpUri() {
        return URI.create((jetty.isSecure() ? "https://" : "http://") + clientHost() + ":" + port() + "/");
    }

    public Set<String> categories() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(channels.keySet()));
    }

    public EventEmitter emitter(String category) {
        CategoryChannel channel = channels.get(category);
        if (channel == null) {
            throw new IllegalArgumentException(String.format("no running source provides category '%s' (running: %s)",
                    category, String.join(", ", channels.keySet())));
        }
        return channel;
    }

    public int clientCount() {
        return registry.count();
    }

    public Map<String, Integer> subscriptionCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        channels.forEach((category, channel) -> counts.put(category, channel.subscriberCount()));
        return counts;
    }

    /** Every discovered source's state ("running", "failed", ...) by category, in load order. */
    public Map<String, String> sourceStates() {
        Map<String, String> states = new LinkedHashMap<>();
        for (LoadedSource source : sources.all()) {
            states.put(source.category(), source.state().jsonName());
        }
        return Collections.unmodifiableMap(states);
    }

    public boolean isRunning() {
        return running;
    }

    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        running = false;
        // Publish requests already publishing finish (and reach the clients drained next); later ones get 503.
        if (!publishes.close(settings.drainTimeout())) {
            LOG.warn("publish requests still in progress after {}; stopping anyway (a batch may be published in part)",
                    settings.drainTimeout());
        }
        LOG.info("event-streamer stopping: draining {} client(s)", registry.count());
        sessions.shutdown(settings.drainTimeout());
        release();
        LOG.info("event-streamer stopped");
    }

    private void abortStart() {
        running = false;
        stopped = true;
        release();
    }

    /** The teardown of a stop and of a failed start: sources, broker, port, threads, metrics. */
    private void release() {
        sources.stop();
        broker.stop();
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("Jetty did not stop cleanly: {}", e.toString());
        }
        scheduler.shutdownNow();
        flusher.close();
        metrics.close();
    }

    /** The machine's name for the cluster view: $HOSTNAME, else what the resolver says. */
    private static String nodeName() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private String clientHost() {
        String host = settings.host();
        if (host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host)) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

package io.eventstreamer.core.internal.ws;

import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.ClientRegistry;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.metrics.HostMetrics;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of the host: accepts connections, keeps the client registry, sends
 * heartbeats, closes stale clients and drains everyone on shutdown.
 */
public final class WebSocketService implements WebSocketCreator {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketService.class);
    private static final Duration MAX_CLOSE_GRACE = Duration.ofSeconds(2);
    /** Tells clients the close is temporary and they lose nothing by resuming elsewhere. */
    public static final String SHUTDOWN_REASON = "server restarting: reconnect and resume";

    private final Settings settings;
    private final ClientRegistry registry;
    private final Map<String, CategoryChannel> channels;
    private final Executor flusher;
    private final ScheduledExecutorService scheduler;
    private final ProtocolHandler protocol;
    private final Duration closeGrace;
    private final HostMetrics metrics;
    private volatile boolean accepting = true;

    public WebSocketService(Settings settings, ClientRegistry registry, Map<String, CategoryChannel> channels,
            Executor flusher, ScheduledExecutorService scheduler, HostMetrics metrics) {
        this.metrics = metrics;
        this.settings = settings;
        this.registry = registry;
        this.channels = channels;
        this.flusher = flusher;
        this.scheduler = scheduler;
        this.protocol = new ProtocolHandler(channels);
        Duration timeout = settings.connectionTimeout();
        this.closeGrace = timeout.compareTo(MAX_CLOSE_GRACE) < 0 ? timeout : MAX_CLOSE_GRACE;
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (!accepting) {
            response.getHeaders().put("Retry-After", "5");
            Response.writeError(request, response, callback, 503, "Server shutting down");
            return null;
        }
        if (!settings.perMessageDeflate()) {
            response.setExtensions(List.of());
        }
        return new ClientEndpoint(this, describe(request.getConnectionMetaData().getRemoteSocketAddress()));
    }

    /** Starts the heartbeat and the stale-connection sweep. */
    public void startHeartbeat() {
        long interval = settings.heartbeatInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::ping, interval, interval, TimeUnit.MILLISECONDS);
        long sweep = Math.max(20, Math.min(interval, settings.connectionTimeout().toMillis() / 4));
        scheduler.scheduleAtFixedRate(this::closeStale, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    ProtocolHandler protocol() {
        return protocol;
    }

    boolean reserve() {
        return accepting && registry.reserve();
    }

    ClientSession opened(Session session, String remoteAddress) {
        ClientSession client = new ClientSession(registry.nextConnectionNumber(), remoteAddress,
                new JettyFrameSink(session, scheduler, closeGrace), flusher,
                settings.messageQueueSize(), settings.overflowPolicy(), metrics::deliveryLatency);
        registry.add(client);
        metrics.connectionOpened();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} connected ({} clients)", client, registry.count());
        }
        return client;
    }

    void closed(ClientSession client, int statusCode, String reason) {
        ProtocolHandler.unsubscribeAll(client, channels);
        client.closed();
        if (registry.remove(client)) {
            registry.release();
        }
        metrics.connectionClosed(closeReason(client, statusCode));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} disconnected: {} {} ({} clients)", client, statusCode, reason, registry.count());
        }
    }

    /** A connection refused because the host is at max-clients. */
    void refused() {
        metrics.connectionClosed(HostMetrics.CloseReason.CAPACITY);
    }

    private static HostMetrics.CloseReason closeReason(ClientSession client, int statusCode) {
        String cause = client.closeCause();
        if ("stale".equals(cause)) {
            return HostMetrics.CloseReason.STALE;
        }
        if ("overflow".equals(cause)) {
            return HostMetrics.CloseReason.OVERFLOW;
        }
        if ("shutdown".equals(cause)) {
            return HostMetrics.CloseReason.SHUTDOWN;
        }
        if (statusCode == StatusCode.NORMAL || statusCode == StatusCode.SHUTDOWN) {
            return HostMetrics.CloseReason.NORMAL;
        }
        return HostMetrics.CloseReason.ERROR;
    }

    private void ping() {
        try {
            byte[] ping = Json.message("ping", null);
            for (ClientSession client : registry.clients()) {
                metrics.queueDepth(client.queuedEvents());
                client.sendPing(ping);
            }
        } catch (RuntimeException e) {
            LOG.error("Heartbeat failed", e);
        }
    }

    private void closeStale() {
        try {
            long now = System.nanoTime();
            long timeout = settings.connectionTimeout().toNanos();
            for (ClientSession client : registry.clients()) {
                if (now - client.lastSeenNanos() > timeout && !client.isClosing()) {
                    LOG.debug("{} closed: nothing received for {}", client, settings.connectionTimeout());
                    client.closeCause("stale");
                    metrics.heartbeatTimeout();
                    client.close(StatusCode.NORMAL, "connection timeout");
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Stale connection sweep failed", e);
        }
    }

    /** Whether new connections are accepted (false once a shutdown has begun). */
    public boolean isAccepting() {
        return accepting;
    }

    /**
     * Refuses new connections (503 with Retry-After), waits up to {@code drainTimeout} for queued
     * frames to be written, then closes the clients with 1001 and a reason that tells them to
     * reconnect and resume, in batches so they don't all reconnect elsewhere at the same moment,
     * and finally drops those that didn't complete the close in time.
     */
    public void shutdown(Duration drainTimeout) {
        accepting = false;
        waitUntil(() -> registry.clients().stream().allMatch(ClientSession::isFlushed), drainTimeout);
        List<ClientSession> clients = new ArrayList<>(registry.clients());
        int batch = settings.drainBatchSize();
        for (int i = 0; i < clients.size(); i += batch) {
            if (i > 0) {
                LockSupport.parkNanos(settings.drainBatchInterval().toNanos());
            }
            for (ClientSession client : clients.subList(i, Math.min(clients.size(), i + batch))) {
                client.close(StatusCode.SHUTDOWN, SHUTDOWN_REASON);
            }
        }
        waitUntil(() -> registry.count() == 0, closeGrace.plusMillis(500));
        for (ClientSession client : registry.clients()) {
            client.disconnect();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}

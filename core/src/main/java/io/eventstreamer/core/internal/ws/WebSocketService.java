package io.eventstreamer.core.internal.ws;

import io.eventstreamer.core.internal.auth.Principal;
import io.eventstreamer.core.internal.auth.TokenException;
import io.eventstreamer.core.internal.auth.TokenVerifier;
import io.eventstreamer.core.internal.broker.Broker;
import io.eventstreamer.core.internal.config.SecuritySettings;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.ClientRegistry;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.http.HttpConnectionGuard;
import io.eventstreamer.core.internal.http.NotReady;
import io.eventstreamer.core.internal.http.Origins;
import io.eventstreamer.core.internal.metrics.HostMetrics;
import io.eventstreamer.core.internal.protocol.ErrorCode;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of the host: accepts connections, keeps the client registry, sends
 * heartbeats, closes stale clients and drains everyone on shutdown.
 */
public final class WebSocketService implements WebSocketNegotiator {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketService.class);
    private static final Duration MAX_CLOSE_GRACE = Duration.ofSeconds(2);
    /** Tells clients the close is temporary and they lose nothing by resuming elsewhere. */
    public static final String SHUTDOWN_REASON = "server restarting: reconnect and resume";

    private final Settings settings;
    // One for all connections: a session keeps a reference, not its own copy.
    private final ClientSession.Bounds bounds;
    private final ClientRegistry registry;
    private final Map<String, CategoryChannel> channels;
    private final Executor flusher;
    private final ScheduledExecutorService scheduler;
    private final ProtocolHandler protocol;
    private final Duration closeGrace;
    private final HostMetrics metrics;
    private final Broker broker;
    private final SecuritySettings security;
    private final TokenVerifier verifier;
    private final Origins origins;
    private final Map<String, AddressCount> connectionsPerAddress = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;

    public WebSocketService(Settings settings, ClientRegistry registry, Map<String, CategoryChannel> channels,
            Executor flusher, ScheduledExecutorService scheduler, HostMetrics metrics, Broker broker) {
        this.metrics = metrics;
        this.broker = broker;
        this.settings = settings;
        this.bounds = ClientSession.Bounds.from(settings);
        this.registry = registry;
        this.channels = channels;
        this.flusher = flusher;
        this.scheduler = scheduler;
        this.security = settings.security();
        this.verifier = security.authEnabled() ? new TokenVerifier(security) : null;
        this.origins = new Origins(security.allowedOrigins());
        this.protocol = new ProtocolHandler(channels, security, verifier);
        Duration timeout = settings.connectionTimeout();
        this.closeGrace = timeout.compareTo(MAX_CLOSE_GRACE) < 0 ? timeout : MAX_CLOSE_GRACE;
    }

    /**
     * Accepts or refuses an upgrade. A refusal completes {@code callback} with an error response
     * and returns null. The handler keeps nothing of the request: a connection may live for days.
     */
    @Override
    public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (!accepting) {
            response.getHeaders().put("Retry-After", "5");
            Response.writeError(request, response, callback, 503, "Server shutting down");
            return null;
        }
        // Until the broker is ready, a subscription's starting point isn't known: events published
        // between its ack and the broker's first read would never reach it.
        String waiting = broker.waitingFor();
        if (waiting != null) {
            NotReady.answer(response, callback, waiting);
            return null;
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        // A listed origin or the server's own (its console); with no list, any origin.
        if (origin != null && !security.allowedOrigins().isEmpty() && !origins.allows(request)) {
            LOG.debug("Refusing upgrade from origin {}", origin);
            Response.writeError(request, response, callback, 403, "Origin not allowed");
            return null;
        }
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        String ip = HttpConnectionGuard.address(remote);
        AddressCount fromAddress = connectionsPerAddress.get(ip);
        if (fromAddress != null && fromAddress.get() >= security.maxConnectionsPerAddress()) {
            Response.writeError(request, response, callback, 429, "Too many connections from this address");
            return null;
        }
        Principal principal = null;
        String token = bearerToken(request);
        if (verifier != null && token != null) {
            try {
                principal = verifier.verify(token, Instant.now());
            } catch (TokenException e) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE,
                        "Bearer realm=\"event-streamer\", error=\"invalid_token\"");
                Response.writeError(request, response, callback, 401, e.getMessage());
                return null;
            }
        }
        if (!settings.perMessageDeflate()) {
            response.setExtensions(List.of());
        }
        return new ClientFrameHandler(this, ip, principal,
                new MessageRateLimiter(security.maxMessagesPerSecond(), security.messageBurst()),
                new MessageRateLimiter(security.maxFramesPerSecond(), security.frameBurst()),
                security.maxFragmentsPerMessage());
    }

    /** The token of an upgrade request: "Authorization: Bearer", else the "token" query parameter. */
    private static String bearerToken(ServerUpgradeRequest request) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        Fields query = Request.extractQueryParameters(request);
        return query.getValue("token");
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

    /**
     * Counts a connection against its address. Returns the address as the count's key, which the
     * caller keeps instead of its own copy, or null (and nothing counted) when over the limit.
     */
    String admitAddress(String ip) {
        AddressCount count = connectionsPerAddress.computeIfAbsent(ip, AddressCount::new);
        if (count.incrementAndGet() > security.maxConnectionsPerAddress()) {
            releaseAddress(ip);
            return null;
        }
        return count.address;
    }

    void releaseAddress(String ip) {
        connectionsPerAddress.computeIfPresent(ip, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    ClientSession opened(CoreSession session) {
        ClientSession client = new ClientSession(registry.nextConnectionNumber(), session.getRemoteAddress(),
                new JettyTransport(session, scheduler, closeGrace), flusher,
                bounds, metrics::deliveryLatency);
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
        ClientSession.CloseCause cause = client.closeCause();
        if (cause == null) {
            // The client or the network ended it.
            boolean normal = statusCode == CloseStatus.NORMAL || statusCode == CloseStatus.SHUTDOWN;
            return normal ? HostMetrics.CloseReason.NORMAL : HostMetrics.CloseReason.ERROR;
        }
        switch (cause) {
            case STALE:
                return HostMetrics.CloseReason.STALE;
            case OVERFLOW:
                return HostMetrics.CloseReason.OVERFLOW;
            case SHUTDOWN:
                return HostMetrics.CloseReason.SHUTDOWN;
            default:
                return HostMetrics.CloseReason.ERROR;
        }
    }

    private void ping() {
        try {
            byte[] ping = ServerMessages.encode(new ServerMessage.Ping());
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
                if (verifier != null && !client.isClosing()) {
                    checkAuthentication(client);
                }
                // A client that can't answer the heartbeat is silent, not stale: a failed write ends it.
                if (client.answersPings() && now - client.lastSeenNanos() > timeout && !client.isClosing()) {
                    LOG.debug("{} closed: nothing received for {}", client, settings.connectionTimeout());
                    metrics.heartbeatTimeout();
                    client.close(ClientSession.CloseCause.STALE, CloseStatus.NORMAL, "connection timeout");
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Stale connection sweep failed", e);
        }
    }

    /** Closes unauthenticated clients after auth.timeout; warns, then closes, clients whose token expires. */
    private void checkAuthentication(ClientSession client) {
        Principal principal = client.principal();
        long now = System.currentTimeMillis();
        if (principal == null) {
            if (now - client.connectedAtMillis() > security.authTimeout().toMillis()) {
                client.closeWith(ClientSession.CloseCause.POLICY, ServerMessages.error(ErrorCode.UNAUTHORIZED,
                        "Authentication required within " + security.authTimeout().toSeconds() + " s of connecting"),
                        CloseStatus.POLICY_VIOLATION, "authentication required");
            }
            return;
        }
        Instant expiresAt = principal.expiresAt();
        if (expiresAt == null) {
            return;
        }
        if (now >= expiresAt.toEpochMilli()) {
            client.closeWith(ClientSession.CloseCause.POLICY, ServerMessages.error(ErrorCode.TOKEN_EXPIRED,
                    "The token expired; reconnect with a fresh one"), CloseStatus.POLICY_VIOLATION, "token expired");
        } else if (now >= expiresAt.toEpochMilli() - security.expiryWarning().toMillis() && client.warnExpiryOnce()) {
            client.send(ServerMessages.encode(new ServerMessage.TokenExpiring(expiresAt)));
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
                client.close(ClientSession.CloseCause.SHUTDOWN, CloseStatus.SHUTDOWN, SHUTDOWN_REASON);
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

    /** Connections from one address; keeps the address so that every connection can share one copy. */
    private static final class AddressCount extends AtomicInteger {
        private static final long serialVersionUID = 1L;
        final String address;

        AddressCount(String address) {
            this.address = address;
        }
    }
}

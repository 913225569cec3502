package io.eventstreamer.core.internal.session;

import io.eventstreamer.core.internal.auth.Principal;
import io.eventstreamer.core.internal.auth.TokenVerifier;
import io.eventstreamer.core.internal.config.SecuritySettings;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.ClientRegistry;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.fanout.Transport;
import io.eventstreamer.core.internal.metrics.HostMetrics;
import io.eventstreamer.core.internal.protocol.ErrorCode;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's client sessions, whatever their transport: the registry and its capacity
 * ({@code max-clients}), connections per address, the heartbeat, the stale sweep, token expiry,
 * and the drain on shutdown.
 *
 * <p>A transport's accept handler checks {@link #isAccepting()} and {@link #addressFull} before it
 * accepts; once the connection is open it counts it with {@link #admitAddress} and
 * {@link #reserve()}, creates its session with {@link #opened}, and reports its end with
 * {@link #closed} (and {@link #releaseAddress}).
 *
 * <pre>{@code
 * String ip = sessions.admitAddress(address);       // null: over the per-address limit
 * if (ip != null && sessions.reserve()) {           // false: at max-clients (then refused())
 *     ClientSession client = sessions.opened(transport, remoteAddress);
 *     ...
 *     sessions.closed(client, true, "1000 bye");    // when the connection has ended
 * }
 * sessions.releaseAddress(ip);
 * }</pre>
 */
public final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
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
    private final Duration closeGrace;
    private final HostMetrics metrics;
    private final SecuritySettings security;
    private final TokenVerifier verifier;
    private final Subscriptions subscriptions;
    private final Map<String, AddressCount> connectionsPerAddress = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;

    public Sessions(Settings settings, ClientRegistry registry, Map<String, CategoryChannel> channels,
            Executor flusher, ScheduledExecutorService scheduler, HostMetrics metrics) {
        this.settings = settings;
        this.bounds = ClientSession.Bounds.from(settings);
        this.registry = registry;
        this.channels = channels;
        this.flusher = flusher;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.security = settings.security();
        this.verifier = security.authEnabled() ? new TokenVerifier(security) : null;
        this.subscriptions = new Subscriptions(channels, security, verifier);
        Duration timeout = settings.connectionTimeout();
        this.closeGrace = timeout.compareTo(MAX_CLOSE_GRACE) < 0 ? timeout : MAX_CLOSE_GRACE;
    }

    /** The host's token verifier, or null when authentication is off. */
    public TokenVerifier verifier() {
        return verifier;
    }

    /** What a client may ask of its session (subscribe, unsubscribe, refresh), for every transport. */
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    /** How long a client that was sent a close may take to complete it before it is dropped. */
    public Duration closeGrace() {
        return closeGrace;
    }

    /** Starts the heartbeat and the stale-connection sweep (which also checks tokens). */
    public void startHeartbeat() {
        long interval = settings.heartbeatInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::ping, interval, interval, TimeUnit.MILLISECONDS);
        long sweep = Math.max(20, Math.min(interval, settings.connectionTimeout().toMillis() / 4));
        scheduler.scheduleAtFixedRate(this::closeStale, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** Whether new connections are accepted (false once a shutdown has begun). */
    public boolean isAccepting() {
        return accepting;
    }

    /** Takes one of the {@code max-clients} places; false when the host is full or shutting down. */
    public boolean reserve() {
        return accepting && registry.reserve();
    }

    /** Whether {@code ip} already has as many connections as one address may (a check before accepting). */
    public boolean addressFull(String ip) {
        AddressCount fromAddress = connectionsPerAddress.get(ip);
        return fromAddress != null && fromAddress.get() >= security.maxConnectionsPerAddress();
    }

    /**
     * Counts a connection against its address. Returns the address as the count's key, which the
     * caller keeps instead of its own copy, or null (and nothing counted) when over the limit.
     */
    public String admitAddress(String ip) {
        AddressCount count = connectionsPerAddress.computeIfAbsent(ip, AddressCount::new);
        if (count.incrementAndGet() > security.maxConnectionsPerAddress()) {
            releaseAddress(ip);
            return null;
        }
        return count.address;
    }

    /** Gives back what {@link #admitAddress} counted. */
    public void releaseAddress(String ip) {
        connectionsPerAddress.computeIfPresent(ip, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** A connection refused because the host is at max-clients. */
    public void refused() {
        metrics.connectionClosed(HostMetrics.CloseReason.CAPACITY);
    }

    /** The session of a connection that took a place with {@link #reserve()}, in the registry from now on. */
    public ClientSession opened(Transport transport, Object remoteAddress) {
        ClientSession client = new ClientSession(registry.nextConnectionNumber(), remoteAddress, transport, flusher,
                bounds, metrics::deliveryLatency);
        registry.add(client);
        metrics.connectionOpened();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} connected ({} clients)", client, registry.count());
        }
        return client;
    }

    /**
     * The connection of {@code client} has ended: out of its categories and the registry, its place
     * given back. {@code normal} when the client (or the network) ended it cleanly, which counts when
     * the server didn't close it; {@code how} says how, for the debug log.
     */
    public void closed(ClientSession client, boolean normal, String how) {
        for (String category : client.categories()) {
            client.removeCategory(category);
            CategoryChannel channel = channels.get(category);
            if (channel != null) {
                channel.unsubscribe(client);
            }
        }
        client.closed();
        if (registry.remove(client)) {
            registry.release();
        }
        metrics.connectionClosed(closeReason(client, normal));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} disconnected: {} ({} clients)", client, how, registry.count());
        }
    }

    private static HostMetrics.CloseReason closeReason(ClientSession client, boolean normal) {
        ClientSession.CloseCause cause = client.closeCause();
        if (cause == null) {
            // The client or the network ended it.
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

    /** Queues the JSON ping to every client; each transport's framing lays it out its own way. */
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
                    client.close(ClientSession.CloseCause.STALE, Transport.NORMAL_CLOSURE, "connection timeout");
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
                        Transport.POLICY_VIOLATION, "authentication required");
            }
            return;
        }
        Instant expiresAt = principal.expiresAt();
        if (expiresAt == null) {
            return;
        }
        if (now >= expiresAt.toEpochMilli()) {
            client.closeWith(ClientSession.CloseCause.POLICY, ServerMessages.error(ErrorCode.TOKEN_EXPIRED,
                    "The token expired; reconnect with a fresh one"), Transport.POLICY_VIOLATION, "token expired");
        } else if (now >= expiresAt.toEpochMilli() - security.expiryWarning().toMillis() && client.warnExpiryOnce()) {
            client.send(ServerMessages.encode(new ServerMessage.TokenExpiring(expiresAt)));
        }
    }

    /**
     * Refuses new connections, waits up to {@code drainTimeout} for queued messages to be written,
     * then closes the clients with 1001 and a reason that tells them to reconnect and resume, in
     * batches so they don't all reconnect elsewhere at the same moment, and finally drops those that
     * didn't complete the close in time.
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
                client.close(ClientSession.CloseCause.SHUTDOWN, Transport.GOING_AWAY, SHUTDOWN_REASON);
            }
        }
        waitUntil(() -> registry.count() == 0, closeGrace.plusMillis(500));
        for (ClientSession client : registry.clients()) {
            client.disconnect();
        }
    }

    private static void waitUntil(BooleanSupplier condition, Duration timeout) {
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

package io.eventstreamer.core.internal.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits what HTTP connections that are not (yet) WebSocket connections may hold: each must send
 * a complete request head within {@code headerTimeout} of opening and of finishing its previous
 * request, and one remote address may have at most {@code maxPerAddress} of them open; the
 * connection beyond that is closed at once.
 *
 * <p>Added to a connector as a bean, it hears of every connection the connector opens and closes.
 * A WebSocket upgrade closes the {@link HttpConnection} and opens a WebSocket connection on the
 * same socket, so an upgraded connection leaves the count here; the WebSocket service counts it.
 *
 * <p>Jetty has no deadline for a request head (its idle timeout restarts with every byte), so one
 * task checks every tracked connection a few times per {@code headerTimeout}: a connection is
 * closed at most a quarter of the timeout late.
 */
public final class HttpConnectionGuard extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionGuard.class);

    private final long headerTimeoutNanos;
    private final int maxPerAddress;
    private final Scheduler scheduler;
    private final Map<HttpConnection, Tracked> connections = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private volatile Scheduler.Task sweep;

    public HttpConnectionGuard(Duration headerTimeout, int maxPerAddress, Scheduler scheduler) {
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.maxPerAddress = maxPerAddress;
        this.scheduler = scheduler;
    }

    @Override
    protected void doStart() {
        scheduleSweep();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = sweep;
        if (task != null) {
            task.cancel();
        }
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof HttpConnection)) {
            return;
        }
        HttpConnection http = (HttpConnection) connection;
        String address = address(http.getEndPoint().getRemoteSocketAddress());
        Tracked tracked = new Tracked(address, System.nanoTime(), http.getMessagesIn());
        connections.put(http, tracked);
        int open = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (open > maxPerAddress) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("Closing an HTTP connection from {}: {} open (limits.max-http-connections-per-address)",
                        address, open);
            }
            http.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (!(connection instanceof HttpConnection)) {
            return;
        }
        Tracked tracked = connections.remove(connection);
        if (tracked != null) {
            perAddress.computeIfPresent(tracked.address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    /**
     * Stops counting {@code connection}, which has become a client session (a Server-Sent Events
     * stream) and counts against the sessions' per-address limit from now on.
     */
    public void release(Connection connection) {
        onClosed(connection);
    }

    /** Open HTTP connections from {@code address} (for tests and diagnostics). */
    public int openFrom(String address) {
        AtomicInteger count = perAddress.get(address);
        return count == null ? 0 : count.get();
    }

    private void scheduleSweep() {
        if (isStarted() || isStarting()) {
            long period = Math.max(TimeUnit.MILLISECONDS.toNanos(50), headerTimeoutNanos / 4);
            sweep = scheduler.schedule(this::sweepAndReschedule, period, TimeUnit.NANOSECONDS);
        }
    }

    private void sweepAndReschedule() {
        try {
            closeLateHeads(System.nanoTime());
        } catch (RuntimeException e) {
            LOG.warn("Checking HTTP connections for late request heads failed", e);
        } finally {
            scheduleSweep();
        }
    }

    /**
     * A connection is waiting for a request head while its parser is in a state before the
     * content; it has been waiting since the last check that saw it busy or saw a new request.
     */
    private void closeLateHeads(long now) {
        for (Map.Entry<HttpConnection, Tracked> entry : connections.entrySet()) {
            HttpConnection connection = entry.getKey();
            Tracked tracked = entry.getValue();
            HttpParser parser = connection.getParser();
            long messages = connection.getMessagesIn();
            boolean waitingForHead = parser.inHeaderState();
            if (!waitingForHead || messages != tracked.messagesIn) {
                tracked.messagesIn = messages;
                tracked.waitingSince = now;
            } else if (now - tracked.waitingSince > headerTimeoutNanos) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Closing an HTTP connection from {}: no complete request head within {} ms",
                            tracked.address, TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos));
                }
                connection.getEndPoint().close();
            }
        }
    }

    /** The IP address of a remote socket address, as the per-address limits count it. */
    public static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) remote;
            return inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
        }
        return String.valueOf(remote);
    }

    /** What the sweep knows of one connection; written only by the sweep after it is created. */
    private static final class Tracked {
        final String address;
        volatile long waitingSince;
        volatile long messagesIn;

        Tracked(String address, long openedAt, long messagesIn) {
            this.address = address;
            this.waitingSince = openedAt;
            this.messagesIn = messagesIn;
        }
    }
}

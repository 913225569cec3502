package io.eventstreamer.client.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's listener for one WebSocket connection of a client. Runs on Jetty's threads and never
 * blocks them: it parses each message, answers pings at once, and hands everything else to the
 * {@link ConnectionSupervisor}'s thread.
 *
 * <p>Reading is demand-driven (this is a plain {@link Session.Listener}, not an auto-demanding
 * one): at most {@code maxBuffered} messages wait for the client's thread, and no more frames are
 * read until it catches up. A slow application therefore makes the server's queue for this client
 * fill up (where the server's overflow policy applies and tells the client about any loss) instead
 * of growing the client's memory without bound.
 *
 * <p>Public only because Jetty binds the listener methods through method handles, which needs a
 * public class; it is not API.
 */
public final class Connection implements Session.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final ConnectionSupervisor supervisor;
    private final int number;
    private final int maxBuffered;
    private final AtomicInteger buffered = new AtomicInteger();
    private volatile Session session;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile long openedAtNanos;
    private volatile boolean abandoned;
    private volatile Throwable failure;
    /** Whether the server acknowledged this connection's subscribe. Only the supervisor's thread touches it. */
    private boolean subscribed;

    Connection(ConnectionSupervisor supervisor, int number, int maxBuffered) {
        this.supervisor = supervisor;
        this.number = number;
        this.maxBuffered = maxBuffered;
    }

    // --- Jetty's callbacks -----------------------------------------------------------------------

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        openedAtNanos = System.nanoTime();
        touch();
        supervisor.configure(session);
        // Queued before the first demand, so the supervisor sees the open before any message.
        if (abandoned || !supervisor.submit(() -> supervisor.opened(this))) {
            // The client was closed while this connection was being opened.
            session.close(StatusCode.NORMAL, "client closed", Callback.NOOP);
            return;
        }
        demand();
    }

    @Override
    public void onWebSocketText(String text) {
        touch();
        ServerMessage message = Protocol.parse(text);
        if (message instanceof ServerMessage.Ping) {
            // Answered here rather than on the client's thread, so that a busy application doesn't
            // look dead to the server while this connection still reads.
            send(Protocol.PONG);
            demand();
            return;
        }
        int waiting = buffered.incrementAndGet();
        supervisor.submit(() -> supervisor.received(this, message));
        if (waiting < maxBuffered) {
            demand();
        } else if (LOG.isDebugEnabled()) {
            // The supervisor demands again once it has handled one of them: see processed().
            LOG.debug("{}: {} messages wait for the application; reading paused", this, waiting);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        touch();
        LOG.debug("Ignoring a binary message of {} bytes on {}", payload.remaining(), this);
        demand();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        touch();
        Session s = session;
        if (s != null) {
            s.sendPong(payload, Callback.NOOP);
        }
        demand();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        touch();
        demand();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        failure = cause;
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        callback.succeed();
        supervisor.submit(() -> supervisor.lost(this, statusCode, describeClose(statusCode, reason)));
    }

    // --- Used by the supervisor ------------------------------------------------------------------

    /** Called on the supervisor's thread after it handled a message of this connection. */
    void processed() {
        touch();
        if (buffered.decrementAndGet() == maxBuffered - 1) {
            // The reader stopped demanding when the buffer became full (see onWebSocketText).
            demand();
        }
    }

    void send(String text) {
        Session s = session;
        if (s != null && !abandoned) {
            s.sendText(text, Callback.NOOP);
        }
    }

    /** Drops the TCP connection at once: used for dead connections, where a close handshake can't complete. */
    void abandon() {
        abandoned = true;
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    /** Closes normally with {@code code} and completes {@code done} when the close frame was written or failed. */
    void close(int code, String reason, Runnable done) {
        abandoned = true;
        Session s = session;
        if (s == null || !s.isOpen()) {
            done.run();
            return;
        }
        s.close(code, reason, Callback.from(done, x -> done.run()));
    }

    boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    /** How long ago the WebSocket connection opened; only meaningful when {@link #isOpen()}. */
    long openNanos() {
        return System.nanoTime() - openedAtNanos;
    }

    long silentNanos() {
        return System.nanoTime() - lastActivityNanos;
    }

    boolean isSubscribed() {
        return subscribed;
    }

    void subscribed() {
        subscribed = true;
    }

    /** What went wrong, for a failed connection attempt or an error before a close. */
    Throwable failure() {
        return failure;
    }

    @Override
    public String toString() {
        return "connection #" + number;
    }

    private void touch() {
        lastActivityNanos = System.nanoTime();
    }

    private void demand() {
        Session s = session;
        if (s == null) {
            return;
        }
        try {
            s.demand();
        } catch (RuntimeException e) {
            // The session is closing: there is nothing more to read.
            LOG.debug("No demand on {}: {}", this, e.toString());
        }
    }

    private String describeClose(int statusCode, String reason) {
        StringBuilder description = new StringBuilder("closed with ").append(statusCode);
        if (reason != null && !reason.isEmpty()) {
            description.append(" \"").append(reason).append('"');
        }
        Throwable cause = failure;
        if (cause != null) {
            description.append(" after ").append(cause);
        }
        return description.toString();
    }
}

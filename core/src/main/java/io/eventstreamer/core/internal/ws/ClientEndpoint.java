package io.eventstreamer.core.internal.ws;

import io.eventstreamer.core.internal.auth.Principal;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Jetty's listener for one WebSocket connection; hands everything to the service. */
public final class ClientEndpoint implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(ClientEndpoint.class);

    private final WebSocketService service;
    private final String remoteAddress;
    private final String ip;
    private final Principal principal;
    private final MessageRateLimiter rateLimiter;
    private boolean addressCounted;
    private volatile ClientSession client;
    private volatile Session session;

    ClientEndpoint(WebSocketService service, String remoteAddress, String ip, Principal principal,
            MessageRateLimiter rateLimiter) {
        this.service = service;
        this.remoteAddress = remoteAddress;
        this.ip = ip;
        this.principal = principal;
        this.rateLimiter = rateLimiter;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        // The upgrade checked the address too, but several upgrades can race past that check.
        addressCounted = service.admitAddress(ip);
        if (!addressCounted) {
            session.close(StatusCode.POLICY_VIOLATION, "Too many connections from this address", Callback.NOOP);
            return;
        }
        if (!service.reserve()) {
            LOG.debug("Refusing {}: server at capacity", remoteAddress);
            service.refused();
            String error = new String(Json.error("Server capacity exceeded", "capacity-exceeded"), StandardCharsets.UTF_8);
            session.sendText(error,
                    Callback.from(() -> session.close(StatusCode.TRY_AGAIN_LATER, "Server capacity exceeded", Callback.NOOP),
                            x -> session.disconnect()));
            return;
        }
        this.session = session;
        ClientSession opened = service.opened(session, remoteAddress);
        if (principal != null) {
            opened.authenticate(principal);
        }
        client = opened;
    }

    @Override
    public void onWebSocketText(String message) {
        ClientSession c = client;
        if (c != null) {
            c.touch();
            if (admitted(c)) {
                service.protocol().onText(c, message);
            }
        }
    }

    /** Applies the inbound message rate limit; false when the message is refused. */
    private boolean admitted(ClientSession c) {
        switch (rateLimiter.onMessage(System.nanoTime())) {
            case ACCEPT:
                return true;
            case REFUSE_AND_TELL:
                c.send(Json.error("Too many messages; slow down", "rate-limited"));
                return false;
            case CLOSE:
                c.closeWith(ClientSession.CloseCause.POLICY, Json.error("Message rate limit exceeded", "rate-limited"), StatusCode.POLICY_VIOLATION,
                        "message rate limit exceeded");
                return false;
            default:
                return false;
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        ClientSession c = client;
        if (c != null) {
            c.touch();
            if (admitted(c)) {
                service.protocol().onBinary(c);
            }
        }
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        ClientSession c = client;
        if (c != null) {
            c.touch();
        }
        // Overriding this turns off Jetty's automatic pong, so answer here (the payload is not ours to keep).
        Session s = session;
        if (s != null) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.slice()).flip();
            s.sendPong(copy, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        ClientSession c = client;
        if (c != null) {
            c.touch();
            c.pongReceived();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Connection error for {}: {}", client == null ? remoteAddress : client, cause.toString());
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        if (addressCounted) {
            addressCounted = false;
            service.releaseAddress(ip);
        }
        ClientSession c = client;
        client = null;
        if (c != null) {
            service.closed(c, statusCode, reason);
        }
        callback.succeed();
    }
}

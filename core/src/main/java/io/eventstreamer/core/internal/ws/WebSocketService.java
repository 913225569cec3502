package io.eventstreamer.core.internal.ws;

import io.eventstreamer.core.internal.auth.Principal;
import io.eventstreamer.core.internal.auth.TokenException;
import io.eventstreamer.core.internal.auth.TokenVerifier;
import io.eventstreamer.core.internal.broker.Broker;
import io.eventstreamer.core.internal.config.SecuritySettings;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.http.BearerTokens;
import io.eventstreamer.core.internal.http.HttpConnectionGuard;
import io.eventstreamer.core.internal.http.NotReady;
import io.eventstreamer.core.internal.http.Origins;
import io.eventstreamer.core.internal.session.Sessions;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
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
 * The WebSocket transport's accept handler: checks an upgrade (shutdown, broker readiness,
 * origin, connections per address, token) and gives each accepted connection its
 * {@link ClientFrameHandler}; each open connection becomes a session of the host's
 * {@link Sessions}, which do the rest (capacity, heartbeat, stale sweep, token expiry, drain).
 */
public final class WebSocketService implements WebSocketNegotiator {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketService.class);

    private final Settings settings;
    private final Sessions sessions;
    private final ScheduledExecutorService scheduler;
    private final ProtocolHandler protocol;
    private final Broker broker;
    private final SecuritySettings security;
    private final TokenVerifier verifier;
    private final Origins origins;

    public WebSocketService(Settings settings, Sessions sessions, ScheduledExecutorService scheduler, Broker broker) {
        this.settings = settings;
        this.sessions = sessions;
        this.scheduler = scheduler;
        this.broker = broker;
        this.security = settings.security();
        this.verifier = sessions.verifier();
        this.origins = new Origins(security.allowedOrigins());
        this.protocol = new ProtocolHandler(sessions.subscriptions());
    }

    /**
     * Accepts or refuses an upgrade. A refusal completes {@code callback} with an error response
     * and returns null. The handler keeps nothing of the request: a connection may live for days.
     */
    @Override
    public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (!sessions.isAccepting()) {
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
        if (sessions.addressFull(ip)) {
            Response.writeError(request, response, callback, 429, "Too many connections from this address");
            return null;
        }
        Principal principal = null;
        String token = BearerTokens.ofConnection(request);
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

    ProtocolHandler protocol() {
        return protocol;
    }

    Sessions sessions() {
        return sessions;
    }

    /** The session of an open connection, with its WebSocket transport. */
    ClientSession opened(CoreSession session) {
        return sessions.opened(new JettyTransport(session, scheduler, sessions.closeGrace()), session.getRemoteAddress());
    }

    void closed(ClientSession client, CloseStatus status) {
        int code = status.getCode();
        sessions.closed(client, code == CloseStatus.NORMAL || code == CloseStatus.SHUTDOWN,
                code + " " + status.getReason());
    }

    /** Whether new connections are accepted (false once a shutdown has begun). */
    public boolean isAccepting() {
        return sessions.isAccepting();
    }
}

package io.eventstreamer.core.internal.sse;

import io.eventstreamer.core.internal.auth.Principal;
import io.eventstreamer.core.internal.auth.TokenException;
import io.eventstreamer.core.internal.broker.Broker;
import io.eventstreamer.core.internal.config.SecuritySettings;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.fanout.Transport;
import io.eventstreamer.core.internal.http.BearerTokens;
import io.eventstreamer.core.internal.http.HttpConnectionGuard;
import io.eventstreamer.core.internal.http.JsonResponses;
import io.eventstreamer.core.internal.http.Origins;
import io.eventstreamer.core.internal.protocol.ErrorCode;
import io.eventstreamer.core.internal.protocol.ServerMessage.ErrorMessage;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import io.eventstreamer.core.internal.session.Sessions;
import io.eventstreamer.core.internal.session.Subscriptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Server-Sent Events endpoint: {@code GET /sse?categories=scheduler,dlq} opens a
 * {@code text/event-stream} session subscribed to those categories, resumed from the
 * {@code Last-Event-ID} header (a browser's reconnect) or {@code ?resume=} (see {@link SseIds}).
 *
 * <p>A request the client must change (bad parameters, unknown category, no or a bad token, a
 * category the token doesn't allow, a refused origin) gets its 4xx with the protocol's error code
 * as JSON: an {@code EventSource} stops on it. A refusal that passes by itself (shutting down,
 * the broker not ready, {@code max-clients} reached, too many connections from the address) is a
 * stream that only says {@code retry:} and ends, because a browser reconnects only after a stream
 * that ended, never after an error status (WHATWG HTML §9.2.3); its status line still says 200,
 * with the real status in a comment and {@code Retry-After}.
 */
public final class SseHandler extends Handler.Abstract.NonBlocking {
    private static final Logger LOG = LoggerFactory.getLogger(SseHandler.class);
    private static final String EVENT_STREAM = "text/event-stream;charset=utf-8";

    private final Sessions sessions;
    private final Subscriptions subscriptions;
    private final Broker broker;
    private final ScheduledExecutorService scheduler;
    private final SecuritySettings security;
    private final Origins origins;
    private final Duration idleTimeout;
    private final long retryMillis;
    private volatile HttpConnectionGuard guard;

    public SseHandler(Settings settings, Sessions sessions, Broker broker, ScheduledExecutorService scheduler) {
        this.sessions = sessions;
        this.subscriptions = sessions.subscriptions();
        this.broker = broker;
        this.scheduler = scheduler;
        this.security = settings.security();
        this.origins = new Origins(security.allowedOrigins());
        // As for WebSocket: a backstop behind the heartbeat, whose comment lines keep it from firing.
        this.idleTimeout = settings.connectionTimeout().plus(settings.heartbeatInterval());
        this.retryMillis = settings.sseRetry().toMillis();
    }

    /** The HTTP connection guard, which stops counting a connection once it carries a stream. */
    public void releaseStreamsFrom(HttpConnectionGuard guard) {
        this.guard = guard;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"GET".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            JsonResponses.error(response, callback, 405, "Method " + request.getMethod()
                    + " is not allowed here; open the stream with GET", "method-not-allowed");
            return true;
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !security.allowedOrigins().isEmpty() && !origins.allows(request)) {
            JsonResponses.error(response, callback, 403, "Origin not allowed", "origin-not-allowed");
            return true;
        }
        if (origin != null) {
            // A dashboard on another origin reads the stream with EventSource (CORS).
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.getHeaders().put(HttpHeader.VARY, "Origin");
        }
        Fields query = Request.extractQueryParameters(request);
        Subscriptions.Request subscribe;
        try {
            subscribe = subscribeRequest(request, query);
        } catch (IllegalArgumentException e) {
            refuse(response, callback, new ErrorMessage(ErrorCode.INVALID_RESUME, e.getMessage()));
            return true;
        }
        Principal principal = null;
        String token = BearerTokens.ofConnection(request);
        if (subscriptions.authEnabled() && token != null) {
            try {
                principal = subscriptions.verify(token);
            } catch (TokenException e) {
                refuse(response, callback, new ErrorMessage(e.code(), e.getMessage()));
                return true;
            }
        }
        ErrorMessage refused = subscriptions.check(subscribe, principal);
        if (refused != null) {
            refuse(response, callback, refused);
            return true;
        }
        open(request, response, callback, subscribe, principal);
        return true;
    }

    /** The subscription a request asks for; throws IllegalArgumentException for a resume id that isn't one. */
    private static Subscriptions.Request subscribeRequest(Request request, Fields query) {
        List<String> categories = new ArrayList<>();
        for (String value : query.getValuesOrEmpty("categories")) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    categories.add(name.trim());
                }
            }
        }
        categories = new ArrayList<>(new LinkedHashSet<>(categories));
        // A browser's reconnect sends the last id it received, which is newer than the page's ?resume=.
        String lastEventId = request.getHeaders().get("Last-Event-ID");
        String resumeId = lastEventId != null && !lastEventId.isBlank() ? lastEventId : query.getValue("resume");
        Map<String, String> resume = SseIds.parse(resumeId);
        // Positions of categories the request doesn't name are ignored: the page asked for fewer.
        resume.keySet().retainAll(categories);
        return new Subscriptions.Request(categories, query.getValue("clientId"), resume, !resume.isEmpty(), null);
    }

    private void open(Request request, Response response, Callback callback, Subscriptions.Request subscribe,
            Principal principal) {
        if (!sessions.isAccepting()) {
            retryLater(response, callback, 503, "server shutting down");
            return;
        }
        // Until the broker is ready, a subscription's starting point isn't known.
        String waiting = broker.waitingFor();
        if (waiting != null) {
            retryLater(response, callback, 503, "starting: " + waiting);
            return;
        }
        String ip = sessions.admitAddress(HttpConnectionGuard.address(
                request.getConnectionMetaData().getRemoteSocketAddress()));
        if (ip == null) {
            retryLater(response, callback, 429, "too many connections from this address");
            return;
        }
        if (!sessions.reserve()) {
            sessions.releaseAddress(ip);
            sessions.refused();
            retryLater(response, callback, 503, "server full (max-clients)");
            return;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, EVENT_STREAM);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        // Proxies such as nginx would otherwise buffer the stream.
        response.getHeaders().put("X-Accel-Buffering", "no");
        HttpConnectionGuard httpGuard = guard;
        if (httpGuard != null) {
            // A session now, counted by max-connections-per-address like a WebSocket connection.
            httpGuard.release(request.getConnectionMetaData().getConnection());
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        endPoint.setIdleTimeout(idleTimeout.toMillis());
        SseFraming framing = new SseFraming(subscribe.categories(), subscribe.resume(), retryMillis);
        SseTransport transport = new SseTransport(response, callback, endPoint, framing, scheduler,
                sessions.closeGrace());
        ClientSession client = sessions.opened(transport, request.getConnectionMetaData().getRemoteSocketAddress());
        Request.addCompletionListener(request, failure -> {
            sessions.closed(client, failure == null, failure == null ? "stream ended" : "stream failed: " + failure);
            sessions.releaseAddress(ip);
        });
        request.addFailureListener(transport::failed);
        if (principal != null) {
            client.authenticate(principal);
        }
        ErrorMessage refused = subscriptions.subscribe(client, subscribe);
        if (refused != null) {
            // Checked before opening; only a token that expired in between gets here.
            client.closeWith(ClientSession.CloseCause.POLICY, ServerMessages.encode(refused),
                    Transport.POLICY_VIOLATION, refused.text());
        }
    }

    /** A refusal the client must act on: its HTTP status, with the protocol's error as JSON. */
    private static void refuse(Response response, Callback callback, ErrorMessage error) {
        int status = switch (error.code()) {
            case UNAUTHORIZED, INVALID_TOKEN, TOKEN_EXPIRED -> 401;
            case FORBIDDEN_CATEGORY -> 403;
            default -> 400;
        };
        if (status == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"event-streamer\"");
        }
        JsonResponses.error(response, callback, status, error.text(), error.code().wireName());
    }

    /** A refusal that passes by itself: a stream that only asks the browser to come back later. */
    private void retryLater(Response response, Callback callback, int status, String reason) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("SSE stream refused for now: {} {}", status, reason);
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, EVENT_STREAM);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(Math.max(1, (retryMillis + 999) / 1000)));
        byte[] body = ("retry: " + retryMillis + "\n: " + status + " " + reason + "\n\n").getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}

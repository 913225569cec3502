package io.eventstreamer.core.internal.http;

import io.eventstreamer.core.internal.config.SecuritySettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Who may publish, decided from the head of a {@code POST /api/events} before its body is read:
 * the page's origin, the content type, the publish token (or a loopback address when no tokens
 * are configured), and each publisher's rate.
 */
final class PublishAccess {
    /** Why a request is refused; {@code status} and {@code code} as in the API's error responses. */
    record Refusal(int status, String message, String code) {
    }

    private static final Refusal FOREIGN_ORIGIN = new Refusal(403, "Pages from this origin may not publish; allowed"
            + " are the server's own origin and event-streamer.server.allowed-origins", "origin-not-allowed");
    private static final Refusal NOT_JSON = new Refusal(415, "Send the events as \"Content-Type: application/json\"",
            "unsupported-media-type");
    static final Refusal NO_TOKEN = new Refusal(401, "Publishing needs \"Authorization: Bearer <publish token>\"",
            "unauthorized");
    private static final Refusal WRONG_TOKEN = new Refusal(403, "This token may not publish", "forbidden");
    private static final Refusal NOT_LOOPBACK = new Refusal(403, "Without publish tokens configured"
            + " (event-streamer.publish.tokens), only loopback clients may publish", "forbidden");

    private final BearerTokens tokens;
    private final Origins origins;
    private final PublishRateLimiter rateLimiter;
    private final boolean rateOnLoopback;

    PublishAccess(BearerTokens tokens, SecuritySettings security) {
        this.tokens = tokens;
        this.origins = new Origins(security.allowedOrigins());
        this.rateLimiter = new PublishRateLimiter(security.publishEventsPerSecond(), security.publishBurst());
        this.rateOnLoopback = security.publishRateOnLoopback();
    }

    /** Null when the request may publish (its body permitting), else why not. */
    Refusal check(Request request) {
        // Browsers send a cross-site form or a "simple" fetch without asking first (no preflight);
        // refusing foreign origins and any body that is not declared JSON stops both.
        if (!origins.allows(request)) {
            return FOREIGN_ORIGIN;
        }
        if (!isJson(request.getHeaders().get(HttpHeader.CONTENT_TYPE))) {
            return NOT_JSON;
        }
        if (tokens.isConfigured()) {
            String presented = BearerTokens.presented(request);
            if (presented == null) {
                return NO_TOKEN;
            }
            return tokens.accepts(presented) ? null : WRONG_TOKEN;
        }
        return loopback(request) == null ? NOT_LOOPBACK : null;
    }

    /** Whose rate bucket a request draws on: its token, else its address; null when it is not limited. */
    String publisher(Request request) {
        InetAddress loopback = loopback(request);
        if (loopback != null && !rateOnLoopback) {
            return null;
        }
        if (tokens.isConfigured()) {
            return "token:" + BearerTokens.presented(request);
        }
        return "address:" + HttpConnectionGuard.address(request.getConnectionMetaData().getRemoteSocketAddress());
    }

    /**
     * Takes {@code events} from {@code publisher}'s rate.
     *
     * @return 0 when they may be published, else the seconds to wait
     */
    long retryAfter(String publisher, int events) {
        return publisher == null ? 0 : rateLimiter.tryAcquire(publisher, events);
    }

    /** Seconds {@code publisher} must wait before it may publish even one event; 0 when it may now. */
    long retryAfterForOne(String publisher) {
        return publisher == null ? 0 : rateLimiter.retryAfterForOne(publisher);
    }

    /** The client's address when it is a loopback one, else null. */
    private static InetAddress loopback(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        if (remote instanceof InetSocketAddress) {
            InetAddress address = ((InetSocketAddress) remote).getAddress();
            if (address != null && address.isLoopbackAddress()) {
                return address;
            }
        }
        return null;
    }

    /** {@code application/json}, with or without parameters such as {@code charset}. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return mediaType.equalsIgnoreCase("application/json");
    }
}

package io.eventstreamer.core.internal.http;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Which browser pages may publish or open WebSockets: those of the server's own origin (the
 * console) and those listed in {@code server.allowed-origins}. Requests without an {@code Origin}
 * header come from programs, not pages, and are not judged here.
 *
 * <p>For publishing an empty list means "own origin only": a page from any site the user visits
 * could otherwise publish to a server on their machine. For the WebSocket upgrade an empty list
 * means any origin (the start-up banner warns about it), so the upgrade asks only when the list is set.
 */
public final class Origins {
    private final Set<String> listed;

    public Origins(List<String> allowedOrigins) {
        this.listed = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** True when the request has no Origin header, or one that is the server's own or listed. */
    public boolean allows(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return true;
        }
        String normalized = origin.toLowerCase(Locale.ROOT);
        return listed.contains(normalized) || normalized.equals(ownOrigin(request));
    }

    /** The origin a page served by this request's host and port would have: scheme://Host. */
    private static String ownOrigin(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null) {
            return null;
        }
        return request.getHttpURI().getScheme().toLowerCase(Locale.ROOT) + "://" + host.toLowerCase(Locale.ROOT);
    }
}

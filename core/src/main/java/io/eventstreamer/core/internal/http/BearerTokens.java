package io.eventstreamer.core.internal.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * A set of accepted bearer tokens, compared in constant time: both sides are hashed first, so
 * neither the length nor the content of a configured token leaks through timing.
 */
public final class BearerTokens {
    private final List<byte[]> digests = new ArrayList<>();

    public BearerTokens(List<String> tokens) {
        for (String token : tokens) {
            if (!token.isEmpty()) {
                digests.add(sha256(token));
            }
        }
    }

    /** Whether any token is configured. */
    public boolean isConfigured() {
        return !digests.isEmpty();
    }

    /** The request's "Authorization: Bearer" token, or null. */
    static String presented(Request request) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    /**
     * The token of a request that opens a client connection (a WebSocket upgrade, an SSE stream):
     * "Authorization: Bearer", else the "token" query parameter (a browser can't set headers on
     * either); null when neither.
     */
    public static String ofConnection(Request request) {
        String token = presented(request);
        return token != null ? token : Request.extractQueryParameters(request).getValue("token");
    }

    /** Whether {@code token} is one of the configured ones. */
    public boolean accepts(String token) {
        if (token == null) {
            return false;
        }
        byte[] presented = sha256(token);
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, presented);
        }
        return match;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

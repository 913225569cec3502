package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.json.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself (requests it can't parse, a refused WebSocket upgrade, a handler
 * that failed) in the API's shape, {@code {"error": "...", "code": "..."}}, instead of an HTML
 * page. Jetty's page shows the request URI, which may hold a {@code ?token=}; this body never
 * holds the URI, the query or a stack trace.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    private static final int MAX_MESSAGE = 200;

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body(status, safeMessage(request, status, message))), callback);
    }

    /** Requests so malformed that there is no request: Jetty writes this body itself. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status, reasonOrPhrase(status, reason)));
    }

    static byte[] body(int status, String message) {
        ObjectNode body = Json.object();
        body.put("error", message);
        body.put("code", code(status));
        return Json.bytes(body);
    }

    /** The message, unless it could repeat what the client sent in its URI. */
    private static String safeMessage(Request request, int status, String message) {
        if (message == null) {
            return HttpStatus.getMessage(status);
        }
        String uri = request.getHttpURI().toString();
        String query = request.getHttpURI().getQuery();
        String path = request.getHttpURI().getPath();
        if ((query != null && message.contains(query)) || message.contains(uri) || (path != null && path.length() > 1
                && message.contains(path))) {
            return HttpStatus.getMessage(status);
        }
        return reasonOrPhrase(status, message);
    }

    private static String reasonOrPhrase(int status, String reason) {
        if (reason == null || reason.isBlank()) {
            return HttpStatus.getMessage(status);
        }
        return reason.length() > MAX_MESSAGE ? reason.substring(0, MAX_MESSAGE) : reason;
    }

    /** The API's error codes for the statuses Jetty produces. */
    static String code(int status) {
        switch (status) {
            case 400:
                return "bad-request";
            case 401:
                return "unauthorized";
            case 403:
                return "forbidden";
            case 404:
                return "not-found";
            case 405:
                return "method-not-allowed";
            case 408:
                return "request-timeout";
            case 413:
                return "body-too-large";
            case 414:
                return "uri-too-long";
            case 415:
                return "unsupported-media-type";
            case 429:
                return "rate-limited";
            case 431:
                return "headers-too-large";
            case 503:
                return "unavailable";
            default:
                return status >= 500 ? "internal-error" : "bad-request";
        }
    }
}

package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.json.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes JSON bodies; every response of the API is JSON, errors included. */
public final class JsonResponses {
    private JsonResponses() {
    }

    static void write(Response response, Callback callback, int status, Object body) {
        writeBytes(response, callback, status, Json.bytes(body));
    }

    /** Answers with {@code json}, a JSON document already encoded in UTF-8. */
    static void writeBytes(Response response, Callback callback, int status, byte[] json) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(json), callback);
    }

    /** Answers {@code {"error": message, "code": code}} with {@code status}. */
    public static void error(Response response, Callback callback, int status, String message, String code) {
        ObjectNode body = Json.object();
        body.put("error", message);
        body.put("code", code);
        write(response, callback, status, body);
    }
}

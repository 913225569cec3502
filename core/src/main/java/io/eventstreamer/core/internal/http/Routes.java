package io.eventstreamer.core.internal.http;

import java.util.Arrays;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Method checks and the JSON 404 for paths the API doesn't have. */
public final class Routes {
    private Routes() {
    }

    /** True when the request's method is one of {@code methods}; otherwise answers 405. */
    static boolean allow(Request request, Response response, Callback callback, String... methods) {
        String method = request.getMethod();
        if (Arrays.asList(methods).contains(method) || ("HEAD".equals(method) && Arrays.asList(methods).contains("GET"))) {
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", methods));
        JsonResponses.error(response, callback, 405,
                "Method " + method + " is not allowed here; use " + String.join(" or ", methods), "method-not-allowed");
        return false;
    }

    /** Answers every request it gets with a JSON 404. */
    public static Handler notFound() {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                JsonResponses.error(response, callback, 404, "No such endpoint; see /api/websocket/status, /api/events, /api/sources", "not-found");
                return true;
            }
        };
    }
}

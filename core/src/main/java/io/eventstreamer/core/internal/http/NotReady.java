package io.eventstreamer.core.internal.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to WebSocket upgrades and publishes while the host is starting: its broker is not
 * ready, so an event published now, or a subscription acknowledged now, could be lost silently.
 */
public final class NotReady {
    /** A host usually becomes ready within a second of its port opening; Redis retries are 1 s apart by default. */
    static final String RETRY_AFTER_SECONDS = "1";

    private NotReady() {
    }

    /** 503 with {@code Retry-After} and {@code {"error":"The server is starting (...)...","code":"starting"}}. */
    public static void answer(Response response, Callback callback, String waitingFor) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        JsonResponses.error(response, callback, 503, message(waitingFor), "starting");
    }

    static String message(String waitingFor) {
        return "The server is starting" + (waitingFor == null ? "" : " (" + waitingFor + ")")
                + " and accepts no connections or events yet; retry shortly";
    }
}

package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.json.Json;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /health/live} (the process answers) and {@code GET /health/ready} (the host accepts
 * connections: 503 while it drains, so a load balancer stops sending clients to it).
 */
public final class HealthHandler extends Handler.Abstract.NonBlocking {
    private final BooleanSupplier ready;

    private HealthHandler(BooleanSupplier ready) {
        this.ready = ready;
    }

    public static HealthHandler live() {
        return new HealthHandler(() -> true);
    }

    public static HealthHandler ready(BooleanSupplier accepting) {
        return new HealthHandler(accepting);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!Routes.allow(request, response, callback, "GET")) {
            return true;
        }
        boolean ok = ready.getAsBoolean();
        ObjectNode body = Json.object();
        body.put("status", ok ? "ready" : "draining");
        if (!ok) {
            body.put("reason", "the host is shutting down and accepts no new connections");
        }
        JsonResponses.write(response, callback, ok ? 200 : 503, body);
        return true;
    }
}

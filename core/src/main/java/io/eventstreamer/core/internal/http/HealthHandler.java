package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.plugin.LoadedSource;
import io.eventstreamer.core.internal.plugin.SourceRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /health/live} (the process answers) and {@code GET /health/ready}: 200 only while
 * the host accepts connections (it is neither starting nor draining) and every enabled source
 * started; otherwise 503 with the reasons, so that a load balancer sends clients elsewhere.
 */
public final class HealthHandler extends Handler.Abstract.NonBlocking {
    private final BooleanSupplier draining;
    private final Supplier<String> waitingFor;
    private final Supplier<List<String>> problems;

    private HealthHandler(BooleanSupplier draining, Supplier<String> waitingFor, Supplier<List<String>> problems) {
        this.draining = draining;
        this.waitingFor = waitingFor;
        this.problems = problems;
    }

    public static HealthHandler live() {
        return new HealthHandler(() -> false, () -> null, List::of);
    }

    /**
     * @param waitingFor what a starting host waits for (its broker), null once it is ready
     */
    public static HealthHandler ready(BooleanSupplier accepting, Supplier<String> waitingFor, SourceRegistry sources) {
        return new HealthHandler(() -> !accepting.getAsBoolean(), waitingFor, () -> failedSources(sources));
    }

    private static List<String> failedSources(SourceRegistry sources) {
        List<String> failed = new ArrayList<>();
        for (LoadedSource source : sources.all()) {
            if (source.state() == LoadedSource.State.FAILED) {
                failed.add("source '" + source.category() + "' failed: " + source.error().orElse("unknown error"));
            }
        }
        return failed;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!Routes.allow(request, response, callback, "GET")) {
            return true;
        }
        ObjectNode body = Json.object();
        if (draining.getAsBoolean()) {
            body.put("status", "draining");
            body.put("reason", "the host is shutting down and accepts no new connections");
            JsonResponses.write(response, callback, 503, body);
            return true;
        }
        String waiting = waitingFor.get();
        if (waiting != null) {
            body.put("status", "starting");
            body.put("reason", "the host is starting: " + waiting);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, NotReady.RETRY_AFTER_SECONDS);
            JsonResponses.write(response, callback, 503, body);
            return true;
        }
        List<String> reasons = problems.get();
        if (!reasons.isEmpty()) {
            body.put("status", "not-ready");
            ArrayNode list = body.putArray("reasons");
            reasons.forEach(list::add);
            JsonResponses.write(response, callback, 503, body);
            return true;
        }
        body.put("status", "ready");
        JsonResponses.write(response, callback, 200, body);
        return true;
    }
}

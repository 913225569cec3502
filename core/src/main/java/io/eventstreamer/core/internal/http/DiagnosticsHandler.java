package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.ClientRegistry;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.json.Json;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/diagnostics}: per category the drops from slow clients and the history held, and
 * the clients with the deepest queues — where to look when a client "never got" an event. Computed
 * on request, so it costs nothing while nobody asks.
 */
public final class DiagnosticsHandler extends Handler.Abstract.NonBlocking {
    private static final int DEEPEST = 10;

    private final ClientRegistry registry;
    private final Map<String, CategoryChannel> channels;
    private final boolean clientTracking;
    private final AdminAccess admin;

    public DiagnosticsHandler(ClientRegistry registry, Map<String, CategoryChannel> channels, boolean clientTracking,
            AdminAccess admin) {
        this.registry = registry;
        this.channels = channels;
        this.clientTracking = clientTracking;
        this.admin = admin;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!Routes.allow(request, response, callback, "GET")) {
            return true;
        }
        ObjectNode body = Json.object();
        ObjectNode categories = body.putObject("categories");
        channels.forEach((name, channel) -> {
            ObjectNode c = categories.putObject(name);
            c.put("subscribers", channel.subscriberCount());
            c.put("lastId", channel.lastId());
            c.put("drops", channel.drops());
            c.put("historySize", channel.historySize());
            c.put("historyCapacity", channel.historyCapacity());
        });
        List<ClientSession> deepest = registry.clients().stream()
                .sorted(Comparator.comparingInt(ClientSession::queuedEvents).reversed())
                .limit(DEEPEST)
                .collect(Collectors.toList());
        ArrayNode queues = body.putArray("deepestQueues");
        boolean showIds = clientTracking && admin.isAdmin(request);
        for (ClientSession client : deepest) {
            ObjectNode q = queues.addObject();
            if (showIds) {
                q.put("clientId", client.clientId());
                q.put("remoteAddress", client.remoteAddress());
            }
            q.put("queued", client.queuedEvents());
            q.put("dropped", client.droppedEvents());
            ArrayNode subscribed = q.putArray("categories");
            client.categories().forEach(subscribed::add);
        }
        body.put("timestamp", Json.now());
        JsonResponses.write(response, callback, 200, body);
        return true;
    }
}

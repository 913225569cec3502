package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.ClientRegistry;
import io.eventstreamer.core.internal.json.Json;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /api/websocket/status}, in the seed's shape. */
public final class StatusHandler extends Handler.Abstract.NonBlocking {
    private final ClientRegistry registry;
    private final Map<String, CategoryChannel> channels;
    private final boolean clientTracking;
    private final AdminAccess admin;

    public StatusHandler(ClientRegistry registry, Map<String, CategoryChannel> channels, boolean clientTracking,
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
        body.put("status", "operational");
        body.put("connectedClients", registry.count());
        ObjectNode byTransport = body.putObject("connectedByTransport");
        for (String transport : ClientRegistry.TRANSPORTS) {
            byTransport.put(transport, registry.count(transport));
        }
        ObjectNode subscriptions = body.putObject("subscriptions");
        channels.forEach((category, channel) -> subscriptions.put(category, channel.subscriberCount()));
        ObjectNode details = body.putObject("clientDetails");
        // Client ids are only for the admin when an admin token is set; the shape stays the same.
        if (clientTracking && admin.isAdmin(request)) {
            for (Map.Entry<String, List<String>> client : registry.clientDetails().entrySet()) {
                ArrayNode categories = details.putArray(client.getKey());
                client.getValue().forEach(categories::add);
            }
        }
        body.put("timestamp", Json.now());
        JsonResponses.write(response, callback, 200, body);
        return true;
    }
}

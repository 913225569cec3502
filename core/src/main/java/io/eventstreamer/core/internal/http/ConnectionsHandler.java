package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.fanout.ClientRegistry;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.json.Json;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/admin/connections}: every connected client with its queue depth, drops and last
 * pong round trip — the view that explains why a client "never got" an event. Computed on request
 * from what each session already keeps, so it costs nothing while nobody looks.
 *
 * <p>With {@code server.client-tracking = false} the client ids and addresses are left out, as in
 * the status and diagnostics endpoints; the connections are then in connection order.
 */
public final class ConnectionsHandler extends Handler.Abstract.NonBlocking {
    // Sorted on a snapshot: a client may rename itself while the list is being sorted.
    private static final Comparator<Connection> BY_CLIENT_ID = Comparator
            .comparing(Connection::clientId)
            .thenComparingLong(Connection::number);
    private static final Comparator<Connection> BY_CONNECTION = Comparator.comparingLong(Connection::number);

    private final ClientRegistry registry;
    private final boolean clientTracking;

    public ConnectionsHandler(ClientRegistry registry, boolean clientTracking) {
        this.registry = registry;
        this.clientTracking = clientTracking;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!Routes.allow(request, response, callback, "GET")) {
            return true;
        }
        List<Connection> clients = registry.clients().stream()
                .filter(client -> !client.isClosed())
                .map(client -> new Connection(client.clientId(), client.connectionNumber(), client))
                .sorted(clientTracking ? BY_CLIENT_ID : BY_CONNECTION)
                .collect(Collectors.toList());
        ObjectNode body = Json.object();
        ArrayNode connections = body.putArray("connections");
        for (Connection connection : clients) {
            connections.add(describe(connection));
        }
        body.put("timestamp", Json.now());
        JsonResponses.write(response, callback, 200, body);
        return true;
    }

    private ObjectNode describe(Connection connection) {
        ClientSession client = connection.session();
        ObjectNode node = Json.object();
        if (clientTracking) {
            node.put("clientId", connection.clientId());
            node.put("remoteAddress", client.remoteAddress());
        }
        node.put("transport", client.transportName());
        ArrayNode categories = node.putArray("categories");
        client.categories().forEach(categories::add);
        node.put("connectedSince", Json.timestamp(Instant.ofEpochMilli(client.connectedAtMillis())));
        node.put("queued", client.queuedEvents());
        node.put("dropped", client.droppedEvents());
        node.put("lastPongRoundTripMillis", client.lastPongRoundTripMillis());
        return node;
    }

    private record Connection(String clientId, long number, ClientSession session) {
    }
}

package io.eventstreamer.core.internal.ws;

import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Jetty's listener for one WebSocket connection; hands everything to the service. */
public final class ClientEndpoint implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(ClientEndpoint.class);

    private final WebSocketService service;
    private final String remoteAddress;
    private volatile ClientSession client;
    private volatile Session session;

    ClientEndpoint(WebSocketService service, String remoteAddress) {
        this.service = service;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        if (!service.reserve()) {
            LOG.debug("Refusing {}: server at capacity", remoteAddress);
            service.refused();
            String error = new String(Json.error("Server capacity exceeded", "capacity-exceeded"), StandardCharsets.UTF_8);
            session.sendText(error,
                    Callback.from(() -> session.close(StatusCode.TRY_AGAIN_LATER, "Server capacity exceeded", Callback.NOOP),
                            x -> session.disconnect()));
            return;
        }
        this.session = session;
        client = service.opened(session, remoteAddress);
    }

    @Override
    public void onWebSocketText(String message) {
        ClientSession c = client;
        if (c != null) {
            c.touch();
            service.protocol().onText(c, message);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        ClientSession c = client;
        if (c != null) {
            c.touch();
            service.protocol().onBinary(c);
        }
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        ClientSession c = client;
        if (c != null) {
            c.touch();
        }
        // Overriding this turns off Jetty's automatic pong, so answer here (the payload is not ours to keep).
        Session s = session;
        if (s != null) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.slice()).flip();
            s.sendPong(copy, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        ClientSession c = client;
        if (c != null) {
            c.touch();
            c.pongReceived();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Connection error for {}: {}", client == null ? remoteAddress : client, cause.toString());
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        ClientSession c = client;
        client = null;
        if (c != null) {
            service.closed(c, statusCode, reason);
        }
        callback.succeed();
    }
}

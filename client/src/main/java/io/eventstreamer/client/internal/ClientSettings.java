package io.eventstreamer.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.client.ConnectionState;
import io.eventstreamer.client.Gap;
import io.eventstreamer.client.StreamEvent;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Everything an {@code EventStreamClient.Builder} collected, validated and immutable.
 *
 * @param webSocketClient a started Jetty client shared with the application, or {@code null} for
 *        a private one that the client starts and stops
 */
public record ClientSettings(
        URI uri,
        List<String> categories,
        String clientId,
        Consumer<StreamEvent> onEvent,
        Consumer<Gap> onGap,
        Consumer<ConnectionState> onStateChange,
        Consumer<JsonNode> onError,
        Duration minReconnectDelay,
        Duration maxReconnectDelay,
        Duration deadConnectionTimeout,
        Duration connectTimeout,
        long maxMessageSize,
        Random random,
        Map<String, String> resumeFrom,
        WebSocketClient webSocketClient) {

    public ClientSettings {
        categories = List.copyOf(categories);
        resumeFrom = Map.copyOf(resumeFrom);
    }

    /** A name for the client in thread names and log messages. */
    public String name() {
        if (clientId != null) {
            return clientId;
        }
        return String.join(",", categories);
    }
}

package io.eventstreamer.core.internal.ws;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.protocol.ErrorCode;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import io.eventstreamer.core.internal.session.Subscriptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the JSON messages a WebSocket client sends and hands them to its session's
 * {@link Subscriptions} (or answers a ping). Every mistake is answered with an {@code error}
 * message with a stable code; a refused message changes nothing.
 */
final class ProtocolHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolHandler.class);
    private static final int MAX_CLIENT_ID_LENGTH = 128;

    private final Subscriptions subscriptions;

    ProtocolHandler(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    void onText(ClientSession client, String text) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            client.send(ServerMessages.error(ErrorCode.INVALID_JSON, "Message is not valid JSON"));
            return;
        } catch (NumberFormatException | ArithmeticException e) {
            // A number the parser reads but no BigDecimal can hold, e.g. 1e99999999999.
            client.send(ServerMessages.error(ErrorCode.INVALID_JSON, "Message has a number that is out of range"));
            return;
        }
        if (message == null || !message.isObject()) {
            client.send(ServerMessages.error(ErrorCode.NOT_AN_OBJECT, "Message must be a JSON object"));
            return;
        }
        JsonNode type = message.get("type");
        if (type == null || !type.isTextual()) {
            client.send(ServerMessages.error(ErrorCode.MISSING_TYPE, "Message has no \"type\" string"));
            return;
        }
        switch (type.textValue()) {
            case "subscribe":
                subscribe(client, message);
                break;
            case "unsubscribe":
                unsubscribe(client, message);
                break;
            case "ping":
                client.send(ServerMessages.encode(new ServerMessage.Pong()));
                break;
            case "pong":
                client.pongReceived();
                break;
            case "refresh":
                refresh(client, message);
                break;
            default:
                client.send(ServerMessages.error(ErrorCode.UNKNOWN_TYPE, "Unknown message type "
                        + Json.quote(type.textValue()) + "; expected subscribe, unsubscribe, refresh, ping or pong"));
        }
    }

    void onBinary(ClientSession client) {
        client.send(ServerMessages.error(ErrorCode.BINARY_NOT_SUPPORTED,
                "Binary messages are not supported; send JSON text"));
    }

    private void subscribe(ClientSession client, JsonNode message) {
        List<String> categories = categories(client, message);
        if (categories == null) {
            return;
        }
        JsonNode clientId = message.get("clientId");
        String id = null;
        if (clientId != null && !clientId.isNull()) {
            if (!clientId.isTextual()) {
                refuse(client, Subscriptions.checkClientId(""));
                return;
            }
            id = clientId.textValue();
        }
        Map<String, String> resume = resume(client, message);
        if (resume == null) {
            return;
        }
        JsonNode token = message.get("token");
        String tokenText = null;
        if (token != null && !token.isNull() && subscriptions.authEnabled()) {
            if (!token.isTextual()) {
                client.send(ServerMessages.error(ErrorCode.INVALID_TOKEN, "\"token\" must be a string"));
                return;
            }
            tokenText = token.textValue();
        }
        refuse(client, subscriptions.subscribe(client,
                new Subscriptions.Request(categories, id, resume, message.has("resume"), tokenText)));
    }

    /** {@code {"type":"refresh","token":"..."}}: replaces the connection's token before it expires. */
    private void refresh(ClientSession client, JsonNode message) {
        JsonNode token = message.path("token");
        refuse(client, subscriptions.refresh(client, token.isTextual() ? token.textValue() : null));
    }

    /** The {@code resume} map of a subscribe (empty when absent), or null after answering with an error. */
    private static Map<String, String> resume(ClientSession client, JsonNode message) {
        JsonNode node = message.get("resume");
        Map<String, String> resume = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return resume;
        }
        if (!node.isObject()) {
            client.send(ServerMessages.error(ErrorCode.INVALID_RESUME,
                    "\"resume\" must be an object of category to last event id"));
            return null;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                client.send(ServerMessages.error(ErrorCode.INVALID_RESUME,
                        "\"resume\" ids must be strings (as received in \"id\")"));
                return null;
            }
            resume.put(entry.getKey(), entry.getValue().textValue());
        }
        return resume;
    }

    private void unsubscribe(ClientSession client, JsonNode message) {
        List<String> categories = categories(client, message);
        if (categories != null) {
            refuse(client, subscriptions.unsubscribe(client, categories));
        }
    }

    /** The distinct category names of a (un)subscribe message, or null after answering with an error. */
    private static List<String> categories(ClientSession client, JsonNode message) {
        JsonNode node = message.get("categories");
        if (node == null || !node.isArray()) {
            client.send(ServerMessages.error(ErrorCode.INVALID_CATEGORIES,
                    "\"categories\" must be a non-empty array of category names"));
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode element : (ArrayNode) node) {
            if (!element.isTextual()) {
                client.send(ServerMessages.error(ErrorCode.INVALID_CATEGORIES,
                        "\"categories\" must contain only strings"));
                return null;
            }
            names.add(element.textValue());
        }
        return new ArrayList<>(names);
    }

    private static void refuse(ClientSession client, ServerMessage.ErrorMessage error) {
        if (error != null) {
            client.send(ServerMessages.encode(error));
        }
    }
}

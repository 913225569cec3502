package io.eventstreamer.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.client.Gap;
import io.eventstreamer.client.StreamEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The client's side of the wire protocol (docs/protocol.md): parsing server messages, writing client messages. */
public final class Protocol {
    /** The answer to the server's heartbeat. */
    public static final String PONG = "{\"type\":\"pong\"}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Protocol() {
    }

    /**
     * {@code {"type":"subscribe","categories":[..],"clientId":..,"resume":{..}}}; {@code clientId}
     * is left out when {@code null}, {@code resume} when empty.
     */
    public static String subscribe(List<String> categories, String clientId, Map<String, String> resume) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "subscribe");
        ArrayNode array = message.putArray("categories");
        categories.forEach(array::add);
        if (clientId != null) {
            message.put("clientId", clientId);
        }
        if (!resume.isEmpty()) {
            ObjectNode ids = message.putObject("resume");
            resume.forEach(ids::put);
        }
        return message.toString();
    }

    /** Parses one text frame from the server. Never throws: what isn't understood is {@link ServerMessage.Malformed}. */
    public static ServerMessage parse(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return new ServerMessage.Malformed(text, "not JSON: " + e.getOriginalMessage());
        }
        if (message == null || !message.isObject()) {
            return new ServerMessage.Malformed(text, "not a JSON object");
        }
        JsonNode type = message.get("type");
        if (type == null || !type.isTextual()) {
            return new ServerMessage.Malformed(text, "no string \"type\"");
        }
        switch (type.asText()) {
            case "event":
                return event(message, text);
            case "gap":
                return gap(message, text);
            case "subscription-ack":
                return new ServerMessage.SubscriptionAck(data(message));
            case "ping":
                return new ServerMessage.Ping();
            case "error":
                return new ServerMessage.ErrorNotice(data(message));
            default:
                return new ServerMessage.Other(type.asText(), message);
        }
    }

    private static ServerMessage event(JsonNode message, String text) {
        String id = text(message, "id");
        String category = text(message, "category");
        if (id == null || category == null) {
            return new ServerMessage.Malformed(text, "an event needs a string \"id\" and \"category\"");
        }
        return new ServerMessage.Event(new StreamEvent(
                id, category, text(message, "event"), data(message), timestamp(message), text));
    }

    private static ServerMessage gap(JsonNode message, String text) {
        JsonNode data = data(message);
        String category = text(data, "category");
        String reason = text(data, "reason");
        if (category == null || reason == null) {
            return new ServerMessage.Malformed(text, "a gap needs a string \"data.category\" and \"data.reason\"");
        }
        return new ServerMessage.GapNotice(new Gap(category, reason, data));
    }

    private static JsonNode data(JsonNode message) {
        JsonNode data = message.get("data");
        if (data == null) {
            return NullNode.getInstance();
        }
        return data;
    }

    private static Instant timestamp(JsonNode message) {
        String timestamp = text(message, "timestamp");
        if (timestamp == null) {
            return null;
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            return null;
        }
        return value.asText();
    }
}

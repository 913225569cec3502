package io.eventstreamer.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.client.Gap;
import io.eventstreamer.client.StreamEvent;

/** A message from the server, parsed by {@link Protocol#parse(String)}. */
public sealed interface ServerMessage {

    /** {@code {"type":"event",...}}. */
    record Event(StreamEvent event) implements ServerMessage {
    }

    /** {@code {"type":"gap","data":{"category":..,"reason":..,...}}}. */
    record GapNotice(Gap gap) implements ServerMessage {
    }

    /** {@code {"type":"subscription-ack","data":{"categories":[..],"resume":{..}}}}. */
    record SubscriptionAck(JsonNode data) implements ServerMessage {
    }

    /** The server's heartbeat, {@code {"type":"ping"}}: answered with {@code {"type":"pong"}}. */
    record Ping() implements ServerMessage {
    }

    /** {@code {"type":"error","data":{"error":..,"code":..}}}. */
    record ErrorNotice(JsonNode data) implements ServerMessage {
        /** {@code data.code}, or {@code null}. */
        public String code() {
            JsonNode code = data.get("code");
            if (code == null || !code.isTextual()) {
                return null;
            }
            return code.asText();
        }
    }

    /** Any other well-formed message ({@code pong}, {@code unsubscription-ack}, types added later). */
    record Other(String type, JsonNode message) implements ServerMessage {
    }

    /** Text that is not a message of the protocol; {@code problem} says why. */
    record Malformed(String text, String problem) implements ServerMessage {
    }
}

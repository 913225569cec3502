package io.eventstreamer.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event received from the server, as handed to {@link EventStreamClient.Builder#onEvent}.
 *
 * <p>The {@code id} is opaque: it is unique within its category, and the server delivers a
 * category's events in order, so applications only need to keep it (see
 * {@link EventStreamClient#lastEventIds()}) or compare it for equality.
 *
 * @param id the event's id, e.g. {@code "1764108651123-42"}
 * @param category the category, e.g. {@code "scheduler"}
 * @param type the event type (the message's {@code event} field), e.g. {@code "schedule-executed"};
 *        {@code null} if the server sent none
 * @param data the payload; a {@code NullNode} if the server sent none. Treat it as read-only.
 * @param timestamp when the server accepted the event; {@code null} if absent or not ISO-8601
 * @param raw the message exactly as received, a JSON object
 */
public record StreamEvent(String id, String category, String type, JsonNode data, Instant timestamp, String raw) {

    public StreamEvent {
        requireNonNull(id, "id is null");
        requireNonNull(category, "category is null");
        requireNonNull(data, "data is null");
        requireNonNull(raw, "raw is null");
    }
}

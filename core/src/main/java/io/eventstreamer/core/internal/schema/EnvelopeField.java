package io.eventstreamer.core.internal.schema;

import java.util.List;

/**
 * A field of the {@code event} message around an event's data, as {@code CategoryChannel} writes
 * it: {@code {"type":"event","event":..,"category":..,"data":{..},"timestamp":..,"id":..,"clientId":..}}.
 * Both generators describe the envelope from this list, so that they can't disagree about it.
 */
enum EnvelopeField {
    TYPE("type", "Always \"event\"."),
    CATEGORY("category", "The category of the event."),
    EVENT("event", "The event type, one of the category's types."),
    ID("id", "The event's id: unique and increasing within its category; a client resumes after it"
            + " (subscribe's \"resume\")."),
    TIMESTAMP("timestamp", "When the server accepted the event: ISO-8601 UTC with milliseconds,"
            + " e.g. 2026-11-25T22:10:51.123Z."),
    CLIENT_ID("clientId", "The id of the client receiving the event: each recipient sees its own."),
    DATA("data", "The payload: the event type's declared fields. Fields beyond them are allowed and"
            + " delivered as they were published.");

    /** In the order the generators list them. */
    static final List<EnvelopeField> ALL = List.of(values());

    private final String wireName;
    private final String description;

    EnvelopeField(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    String wireName() {
        return wireName;
    }

    String description() {
        return description;
    }
}

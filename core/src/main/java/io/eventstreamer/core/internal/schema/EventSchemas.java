package io.eventstreamer.core.internal.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import java.util.List;

/**
 * The JSON Schemas (draft 2020-12) of the events that a set of catalogs declares, as
 * {@code GET /api/schema} and {@code bin/event-streamer --print-schema} give them:
 *
 * <pre>{@code
 * {"$schema": "https://json-schema.org/draft/2020-12/schema",
 *  "envelope": {schema of any event message},
 *  "categories": {"scheduler": {"schedule-executed": {schema of its data object}, ...}, ...}}
 * }</pre>
 *
 * <p>A data schema accepts what {@link EventCatalog#validate} accepts, which is what publishing
 * accepts: a declared field has its JSON type; a required one is present and not null; an optional
 * one may be absent or null; fields beyond the declared ones may hold anything
 * ({@code additionalProperties: true}), because publishing accepts and delivers them. Formats are
 * annotations, as draft 2020-12 treats them by default, because publishing doesn't check them either.
 *
 * <p>Every schema in the document is self-contained (no {@code $ref}), so that a tool can take one
 * out and use it with any draft 2020-12 validator.
 */
public final class EventSchemas {
    /** The JSON Schema dialect of every schema in the document. */
    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private EventSchemas() {
    }

    /** The whole document for {@code catalogs}, in their order and their event types' order. */
    public static ObjectNode document(List<EventCatalog> catalogs) {
        ObjectNode document = Json.object();
        document.put("$schema", DIALECT);
        document.put("title", "event-streamer events");
        document.put("description", "envelope: any event message a client receives;"
                + " categories.<category>.<event type>: the data object of that event type."
                + " Generated from the catalogs of the server's sources.");
        document.set("envelope", envelope());
        ObjectNode categories = document.putObject("categories");
        for (EventCatalog catalog : catalogs) {
            ObjectNode types = categories.putObject(catalog.category());
            for (EventType type : catalog.eventTypes()) {
                types.set(type.name(), data(catalog, type));
            }
        }
        return document;
    }

    /**
     * Any event message: every field the server writes around the data, all of them required.
     * Unknown fields are allowed, since clients are told to ignore fields they don't know.
     */
    public static ObjectNode envelope() {
        ObjectNode schema = Json.object();
        schema.put("title", "event message");
        schema.put("description", "An event as a subscribed client receives it; its data object is described"
                + " by categories.<category>.<event>.");
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = Json.MAPPER.createArrayNode();
        for (EnvelopeField field : EnvelopeField.ALL) {
            ObjectNode property = properties.putObject(field.wireName());
            switch (field) {
                case TYPE:
                    property.put("const", "event");
                    break;
                case DATA:
                    property.put("type", "object");
                    break;
                case TIMESTAMP:
                    property.put("type", "string");
                    property.put("format", "date-time");
                    break;
                default:
                    property.put("type", "string");
                    break;
            }
            property.put("description", field.description());
            required.add(field.wireName());
        }
        schema.set("required", required);
        schema.put("additionalProperties", true);
        return schema;
    }

    /** The data object of one event type. */
    public static ObjectNode data(EventCatalog catalog, EventType type) {
        ObjectNode schema = Json.object();
        schema.put("title", catalog.category() + ":" + type.name());
        schema.put("description", type.description());
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = Json.MAPPER.createArrayNode();
        for (FieldSpec field : type.fields()) {
            properties.set(field.name(), field(field));
            if (field.required()) {
                required.add(field.name());
            }
        }
        schema.set("required", required);
        schema.put("additionalProperties", true);
        return schema;
    }

    private static ObjectNode field(FieldSpec field) {
        ObjectNode schema = Json.object();
        if (field.required()) {
            schema.put("type", field.type().jsonName());
        } else {
            // An optional field may be null: EventCatalog.validate skips null values.
            schema.putArray("type").add(field.type().jsonName()).add("null");
        }
        field.format().ifPresent(format -> schema.put("format", format));
        if (!field.description().isEmpty()) {
            schema.put("description", field.description());
        }
        return schema;
    }
}

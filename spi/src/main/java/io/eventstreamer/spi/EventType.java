package io.eventstreamer.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One kind of event a source can emit: its name (e.g. {@code retry-started}), a description and
 * the fields of its payload.
 *
 * <pre>{@code
 * EventType retryStarted = EventType.builder("retry-started", "A retry attempt was scheduled")
 *         .required("retryId", JsonType.STRING, "Id of the retried operation")
 *         .required("attemptNumber", JsonType.INTEGER, "1 for the first retry")
 *         .build();
 * }</pre>
 */
public final class EventType {
    private final String name;
    private final String description;
    private final List<FieldSpec> fields;
    private final Map<String, FieldSpec> fieldsByName;
    private final String coalesceKey;

    private EventType(Builder builder) {
        this.name = builder.name;
        this.description = builder.description;
        this.fields = Collections.unmodifiableList(new ArrayList<>(builder.fields.values()));
        this.fieldsByName = Collections.unmodifiableMap(new LinkedHashMap<>(builder.fields));
        this.coalesceKey = builder.coalesceKey;
    }

    public static Builder builder(String name, String description) {
        return new Builder(name, description);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The declared payload fields, in declaration order. */
    public List<FieldSpec> fields() {
        return fields;
    }

    public Optional<FieldSpec> field(String fieldName) {
        return Optional.ofNullable(fieldsByName.get(fieldName));
    }

    /**
     * The payload field that identifies the thing this event is about (e.g. a circuit breaker's
     * name), for hosts that keep only the newest queued event per thing. Empty when events of this
     * type can't be merged.
     */
    public Optional<String> coalesceKey() {
        return Optional.ofNullable(coalesceKey);
    }

    @Override
    public String toString() {
        return name + fields;
    }

    /** Builds an {@link EventType}; field names must be unique. */
    public static final class Builder {
        private final String name;
        private final String description;
        private final Map<String, FieldSpec> fields = new LinkedHashMap<>();
        private String coalesceKey;

        private Builder(String name, String description) {
            this.name = requireNonNull(name, "name is null");
            this.description = requireNonNull(description, "description is null");
            if (!EventCatalog.isValidName(name)) {
                throw new IllegalArgumentException(String.format(
                        "event type name '%s' must be lower-case words joined by '-' (e.g. retry-started)", name));
            }
        }

        public Builder field(FieldSpec field) {
            requireNonNull(field, "field is null");
            if (fields.putIfAbsent(field.name(), field) != null) {
                throw new IllegalArgumentException(String.format(
                        "event type '%s' declares field '%s' twice", name, field.name()));
            }
            return this;
        }

        public Builder required(String fieldName, JsonType type, String fieldDescription) {
            return field(FieldSpec.required(fieldName, type, fieldDescription));
        }

        public Builder optional(String fieldName, JsonType type, String fieldDescription) {
            return field(FieldSpec.optional(fieldName, type, fieldDescription));
        }

        /** A required string field with format {@code date-time} (ISO-8601, e.g. {@code 2026-01-01T10:00:00Z}). */
        public Builder requiredTimestamp(String fieldName, String fieldDescription) {
            return field(FieldSpec.required(fieldName, JsonType.STRING, fieldDescription).withFormat("date-time"));
        }

        /** An optional string field with format {@code date-time}. */
        public Builder optionalTimestamp(String fieldName, String fieldDescription) {
            return field(FieldSpec.optional(fieldName, JsonType.STRING, fieldDescription).withFormat("date-time"));
        }

        /** Names the required field that identifies what an event is about; see {@link EventType#coalesceKey()}. */
        public Builder coalesceKey(String fieldName) {
            this.coalesceKey = requireNonNull(fieldName, "fieldName is null");
            return this;
        }

        public EventType build() {
            if (coalesceKey != null) {
                FieldSpec key = fields.get(coalesceKey);
                if (key == null || !key.required()) {
                    throw new IllegalArgumentException(String.format(
                            "coalesce key '%s' of event type '%s' must be a declared required field", coalesceKey, name));
                }
            }
            return new EventType(this);
        }
    }
}

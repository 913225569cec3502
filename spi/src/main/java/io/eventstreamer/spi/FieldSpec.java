package io.eventstreamer.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One declared field of an event type's payload.
 *
 * <p>{@code format} is an optional JSON Schema format hint such as {@code "date-time"} or
 * {@code "uri"}; it is reported to tools but not enforced.
 */
public final class FieldSpec {
    private final String name;
    private final JsonType type;
    private final String format;
    private final boolean required;
    private final String description;

    private FieldSpec(String name, JsonType type, String format, boolean required, String description) {
        this.name = requireNonNull(name, "name is null");
        this.type = requireNonNull(type, "type is null");
        this.format = format;
        this.required = required;
        this.description = description == null ? "" : description;
        if (name.isBlank()) {
            throw new IllegalArgumentException("field name is blank");
        }
    }

    /** A required field. */
    public static FieldSpec required(String name, JsonType type, String description) {
        return new FieldSpec(name, type, null, true, description);
    }

    /** An optional field. */
    public static FieldSpec optional(String name, JsonType type, String description) {
        return new FieldSpec(name, type, null, false, description);
    }

    /** A copy of this field with a JSON Schema format hint, e.g. {@code "date-time"}. */
    public FieldSpec withFormat(String format) {
        return new FieldSpec(name, type, requireNonNull(format, "format is null"), required, description);
    }

    public String name() {
        return name;
    }

    public JsonType type() {
        return type;
    }

    public Optional<String> format() {
        return Optional.ofNullable(format);
    }

    public boolean required() {
        return required;
    }

    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return name + ":" + type.jsonName() + (required ? "" : "?");
    }
}

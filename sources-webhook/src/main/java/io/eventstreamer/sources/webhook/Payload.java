package io.eventstreamer.sources.webhook;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds an event payload from typed values: required values must not be null, optional ones are
 * left out when null, instants become ISO-8601 UTC strings with milliseconds.
 */
final class Payload {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Map<String, Object> fields = new LinkedHashMap<>();

    Payload required(String name, Object value) {
        fields.put(name, requireNonNull(value, name + " is null"));
        return this;
    }

    Payload optional(String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
        return this;
    }

    Payload requiredTimestamp(String name, Instant value) {
        return required(name, TIMESTAMP.format(requireNonNull(value, name + " is null")));
    }

    Payload optionalTimestamp(String name, Instant value) {
        return value == null ? this : requiredTimestamp(name, value);
    }

    Map<String, Object> toMap() {
        return fields;
    }

    /** The whole milliseconds of a duration that must not be negative. */
    static long millis(Duration duration, String name) {
        requireNonNull(duration, name + " is null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(String.format("%s must not be negative but was %s", name, duration));
        }
        return duration.toMillis();
    }

    static int atLeast(int min, int value, String name) {
        if (value < min) {
            throw new IllegalArgumentException(String.format("%s must be >= %d but was %d", name, min, value));
        }
        return value;
    }

    static Integer atLeastOrNull(int min, Integer value, String name) {
        return value == null ? null : atLeast(min, value, name);
    }
}

package io.eventstreamer.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds an event payload from typed values, for a plugin's typed emitter: required values must
 * not be null, optional ones are left out when null, instants become ISO-8601 UTC strings with
 * milliseconds (the protocol's timestamp format).
 *
 * <pre>{@code
 * public String invoicePaid(String invoiceId, long amountCents, Instant paidAt) {
 *     return emitter.emit("invoice-paid", new Payload()
 *             .required("invoiceId", invoiceId)
 *             .required("amountCents", amountCents)
 *             .requiredTimestamp("paidAt", paidAt)
 *             .toMap());
 * }
 * }</pre>
 */
public final class Payload {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** Adds a value that must not be null. */
    public Payload required(String name, Object value) {
        fields.put(name, requireNonNull(value, name + " is null"));
        return this;
    }

    /** Adds a value unless it is null. */
    public Payload optional(String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
        return this;
    }

    /** Adds an instant as an ISO-8601 UTC string with milliseconds; it must not be null. */
    public Payload requiredTimestamp(String name, Instant value) {
        return required(name, TIMESTAMP.format(requireNonNull(value, name + " is null")));
    }

    /** Adds an instant as an ISO-8601 UTC string unless it is null. */
    public Payload optionalTimestamp(String name, Instant value) {
        return value == null ? this : requiredTimestamp(name, value);
    }

    /** The payload, in the order the fields were added. */
    public Map<String, Object> toMap() {
        return fields;
    }

    /** The whole milliseconds of a duration that must not be negative. */
    public static long millis(Duration duration, String name) {
        requireNonNull(duration, name + " is null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(String.format("%s must not be negative but was %s", name, duration));
        }
        return duration.toMillis();
    }

    /** {@code value}, checked to be at least {@code min}. */
    public static int atLeast(int min, int value, String name) {
        if (value < min) {
            throw new IllegalArgumentException(String.format("%s must be >= %d but was %d", name, min, value));
        }
        return value;
    }

    /** {@code value} (or null), checked to be at least {@code min} when not null. */
    public static Integer atLeastOrNull(int min, Integer value, String name) {
        return value == null ? null : atLeast(min, value, name);
    }
}

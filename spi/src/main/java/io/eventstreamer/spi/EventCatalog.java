package io.eventstreamer.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The event types of one category, and the rules an event must follow to be accepted.
 *
 * <pre>{@code
 * EventCatalog catalog = EventCatalog.builder("scheduler")
 *         .add(EventType.builder("schedule-executed", "A schedule fired")
 *                 .required("scheduleId", JsonType.STRING, "Id of the schedule")
 *                 .requiredTimestamp("startedAt", "When the run started")
 *                 .build())
 *         .build();
 * catalog.validate("schedule-executed", Map.of("scheduleId", "s-1", "startedAt", "2026-01-01T00:00:00Z"));
 * }</pre>
 */
public final class EventCatalog {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final int MAX_NAME_LENGTH = 64;

    private final String category;
    private final Map<String, EventType> types;

    private EventCatalog(String category, Map<String, EventType> types) {
        this.category = category;
        this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
    }

    public static Builder builder(String category) {
        return new Builder(category);
    }

    /** Whether a category or event type name is well formed: lower-case words joined by '-', at most 64 characters. */
    public static boolean isValidName(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
    }

    public String category() {
        return category;
    }

    /** The event types, in declaration order. */
    public List<EventType> eventTypes() {
        return Collections.unmodifiableList(new ArrayList<>(types.values()));
    }

    public Optional<EventType> eventType(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /**
     * Checks an event against this catalog.
     *
     * <p>Fields beyond the declared ones are allowed. A declared field that is present must have
     * its declared JSON type; optional fields may be {@code null}.
     *
     * @return the event type
     * @throws InvalidEventException naming the unknown type, the missing field or the mistyped field
     */
    public EventType validate(String eventType, Map<String, ?> payload) {
        if (eventType == null || eventType.isEmpty()) {
            throw new InvalidEventException(InvalidEventException.Reason.MISSING_EVENT_TYPE,
                    String.format("category '%s': the event type is missing", category));
        }
        EventType type = types.get(eventType);
        if (type == null) {
            throw new InvalidEventException(InvalidEventException.Reason.UNKNOWN_EVENT_TYPE,
                    String.format("category '%s' has no event type '%s' (known: %s)",
                            category, abbreviate(eventType), String.join(", ", types.keySet())));
        }
        if (payload == null) {
            throw new InvalidEventException(InvalidEventException.Reason.INVALID_PAYLOAD,
                    String.format("event '%s' of category '%s': the payload is missing", eventType, category));
        }
        List<String> missing = new ArrayList<>();
        for (FieldSpec field : type.fields()) {
            Object value = payload.get(field.name());
            if (value == null) {
                if (field.required()) {
                    missing.add(field.name());
                }
                continue;
            }
            if (!field.type().accepts(value)) {
                throw new InvalidEventException(InvalidEventException.Reason.WRONG_FIELD_TYPE,
                        String.format("event '%s' of category '%s': field '%s' must be of type %s but was %s",
                                eventType, category, field.name(), field.type().jsonName(), JsonType.describe(value)));
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidEventException(InvalidEventException.Reason.MISSING_FIELD,
                    String.format("event '%s' of category '%s' is missing required field%s %s",
                            eventType, category, missing.size() == 1 ? "" : "s", String.join(", ", missing)));
        }
        return type;
    }

    private static String abbreviate(String s) {
        return s.length() <= MAX_NAME_LENGTH ? s : s.substring(0, MAX_NAME_LENGTH) + "...";
    }

    @Override
    public String toString() {
        return category + types.keySet();
    }

    /** Builds an {@link EventCatalog}; event type names must be unique. */
    public static final class Builder {
        private final String category;
        private final Map<String, EventType> types = new LinkedHashMap<>();

        private Builder(String category) {
            this.category = requireNonNull(category, "category is null");
            if (!isValidName(category)) {
                throw new IllegalArgumentException(String.format(
                        "category '%s' must be lower-case words joined by '-' (e.g. error-recovery)", category));
            }
        }

        public Builder add(EventType type) {
            requireNonNull(type, "type is null");
            if (types.putIfAbsent(type.name(), type) != null) {
                throw new IllegalArgumentException(String.format(
                        "category '%s' declares event type '%s' twice", category, type.name()));
            }
            return this;
        }

        public EventCatalog build() {
            if (types.isEmpty()) {
                throw new IllegalArgumentException(String.format("category '%s' declares no event types", category));
            }
            return new EventCatalog(category, types);
        }
    }
}

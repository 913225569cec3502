package io.eventstreamer.spi.testkit;

import static java.util.Objects.requireNonNull;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventEmitter;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hand-written fake {@link EventEmitter} for tests: it validates each event against a catalog,
 * the way the host does, and records the accepted ones instead of publishing them.
 *
 * <p>It is stricter than the host in one respect: every payload value must be a JSON value
 * ({@code null}, a {@link CharSequence}, {@link Number}, {@link Boolean}, {@link List} or
 * {@link Map} with string keys), so that a typed emitter passing, say, an {@code Instant} is
 * caught. {@link #strict(EventCatalog)} also refuses fields the event type doesn't declare, which
 * catches a typed emitter that misspells an optional field.
 *
 * <pre>{@code
 * RecordingEmitter emitter = RecordingEmitter.strict(SchedulerCatalog.catalog());
 * new SchedulerEvents(emitter).scheduleDeleted("nightly");
 * assertThat(emitter.lastEvent().payload()).containsEntry("scheduleId", "nightly");
 * }</pre>
 */
public final class RecordingEmitter implements EventEmitter {

    /** An accepted event: the id this emitter assigned, the event type and a copy of the payload. */
    public record Event(String id, String eventType, Map<String, Object> payload) {
    }

    private final EventCatalog catalog;
    private final boolean refuseUndeclaredFields;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final AtomicLong lastId = new AtomicLong();

    private RecordingEmitter(EventCatalog catalog, boolean refuseUndeclaredFields) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.refuseUndeclaredFields = refuseUndeclaredFields;
    }

    /** An emitter that accepts what the host accepts, fields beyond the declared ones included. */
    public static RecordingEmitter of(EventCatalog catalog) {
        return new RecordingEmitter(catalog, false);
    }

    /** An emitter that also refuses payload fields the event type doesn't declare. */
    public static RecordingEmitter strict(EventCatalog catalog) {
        return new RecordingEmitter(catalog, true);
    }

    @Override
    public String category() {
        return catalog.category();
    }

    @Override
    public EventCatalog catalog() {
        return catalog;
    }

    /**
     * Validates the event with {@link EventCatalog#validate}, records it and returns its id
     * ({@code "1"}, {@code "2"}, ...).
     *
     * @throws io.eventstreamer.spi.InvalidEventException as the host would
     * @throws IllegalArgumentException when a value isn't a JSON value, or (strict) a field is undeclared
     */
    @Override
    public String emit(String eventType, Map<String, ?> payload) {
        EventType type = catalog.validate(eventType, payload);
        for (Map.Entry<String, ?> field : payload.entrySet()) {
            requireJsonValue(eventType + "." + field.getKey(), field.getValue());
            if (refuseUndeclaredFields && type.field(field.getKey()).isEmpty()) {
                throw new IllegalArgumentException(String.format(
                        "event '%s' has undeclared field '%s' (declared: %s)",
                        eventType, field.getKey(), fieldNames(type)));
            }
        }
        String id = Long.toString(lastId.incrementAndGet());
        events.add(new Event(id, eventType, Collections.unmodifiableMap(new LinkedHashMap<>(payload))));
        return id;
    }

    /** The accepted events, oldest first. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /**
     * The most recently accepted event.
     *
     * @throws AssertionError when none was accepted
     */
    public Event lastEvent() {
        if (events.isEmpty()) {
            throw new AssertionError("no event was emitted to category '" + catalog.category() + "'");
        }
        return events.get(events.size() - 1);
    }

    private static void requireJsonValue(String path, Object value) {
        if (value == null || value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
            return;
        }
        if (value instanceof List) {
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                requireJsonValue(path + "[" + i + "]", list.get(i));
            }
            return;
        }
        if (value instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!(entry.getKey() instanceof String)) {
                    throw new IllegalArgumentException(String.format("%s has a non-string key %s", path, entry.getKey()));
                }
                requireJsonValue(path + "." + entry.getKey(), entry.getValue());
            }
            return;
        }
        throw new IllegalArgumentException(String.format(
                "%s is a %s, which is not a JSON value", path, value.getClass().getName()));
    }

    private static List<String> fieldNames(EventType type) {
        List<String> names = new ArrayList<>();
        for (FieldSpec field : type.fields()) {
            names.add(field.name());
        }
        return names;
    }
}

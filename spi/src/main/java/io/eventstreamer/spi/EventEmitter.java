package io.eventstreamer.spi;

import java.util.Map;

/**
 * Publishes events of one category. Obtained from {@link SourceContext#emitter()} by a plugin, or
 * from the host by an embedding application.
 *
 * <p>{@link #emit} validates the event against the category's {@link EventCatalog}, assigns it an
 * id and hands it to the host's fan-out. It never waits on a socket: a slow or dead client can't
 * slow a caller down. It is safe to call from any thread.
 *
 * <pre>{@code
 * String id = emitter.emit("retry-started", Map.of(
 *         "retryId", "op-42", "attemptNumber", 1,
 *         "errorMessage", "timeout", "nextRetryAt", "2026-01-01T10:00:05Z"));
 * }</pre>
 */
public interface EventEmitter {

    /** The category this emitter publishes to. */
    String category();

    /** The catalog events are validated against. */
    EventCatalog catalog();

    /**
     * Validates and publishes one event.
     *
     * @param eventType the event type, e.g. {@code retry-started}
     * @param payload the payload: {@link String}s, {@link Number}s, {@link Boolean}s, {@code null},
     *        {@link java.util.List}s and {@link Map}s of those
     * @return the id assigned to the event: unique and increasing within the category, opaque
     * @throws InvalidEventException when the event does not match the catalog; nothing is published
     * @throws IllegalStateException when the host is not running
     */
    String emit(String eventType, Map<String, ?> payload);
}

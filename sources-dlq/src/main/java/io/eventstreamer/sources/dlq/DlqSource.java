package io.eventstreamer.sources.dlq;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventSource;

/**
 * The {@value #CATEGORY} category: entries of dead-letter queues, added when a message can't be
 * processed and closed by resolving or resubmitting them.
 *
 * <p>The source only declares the category's event types ({@link DlqCatalog}); the events
 * themselves are published by applications, in-process with {@link DlqEvents} or over HTTP with
 * {@code POST /api/events}. The host finds it through
 * {@code META-INF/services/io.eventstreamer.spi.EventSource}.
 */
public final class DlqSource implements EventSource {
    /** The category name, {@value}. */
    public static final String CATEGORY = "dlq";

    @Override
    public String category() {
        return CATEGORY;
    }

    @Override
    public EventCatalog catalog() {
        return DlqCatalog.catalog();
    }
}

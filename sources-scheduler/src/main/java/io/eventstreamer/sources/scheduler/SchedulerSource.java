package io.eventstreamer.sources.scheduler;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventSource;

/**
 * The {@value #CATEGORY} category: schedules created and deleted, the runs they trigger and the
 * fire times they missed.
 *
 * <p>The source only declares the category's event types ({@link SchedulerCatalog}); the events
 * themselves are published by applications, in-process with {@link SchedulerEvents} or over HTTP
 * with {@code POST /api/events}. The host finds it through
 * {@code META-INF/services/io.eventstreamer.spi.EventSource}.
 */
public final class SchedulerSource implements EventSource {
    /** The category name, {@value}. */
    public static final String CATEGORY = "scheduler";

    @Override
    public String category() {
        return CATEGORY;
    }

    @Override
    public EventCatalog catalog() {
        return SchedulerCatalog.catalog();
    }
}

package io.eventstreamer.sources.errorrecovery;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventSource;

/**
 * The {@value #CATEGORY} category: retries of failed operations, resolved errors and
 * circuit-breaker state changes.
 *
 * <p>The source only declares the category's event types ({@link ErrorRecoveryCatalog}); the
 * events themselves are published by applications, in-process with {@link ErrorRecoveryEvents}
 * or over HTTP with {@code POST /api/events}. The host finds it through
 * {@code META-INF/services/io.eventstreamer.spi.EventSource}.
 */
public final class ErrorRecoverySource implements EventSource {
    /** The category name, {@value}. */
    public static final String CATEGORY = "error-recovery";

    @Override
    public String category() {
        return CATEGORY;
    }

    @Override
    public EventCatalog catalog() {
        return ErrorRecoveryCatalog.catalog();
    }
}

package io.eventstreamer.sources.webhook;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventSource;

/**
 * The {@value #CATEGORY} category: webhook endpoints registered, and deliveries to them that
 * succeeded or failed.
 *
 * <p>The source only declares the category's event types ({@link WebhookCatalog}); the events
 * themselves are published by applications, in-process with {@link WebhookEvents} or over HTTP
 * with {@code POST /api/events}. The host finds it through
 * {@code META-INF/services/io.eventstreamer.spi.EventSource}.
 */
public final class WebhookSource implements EventSource {
    /** The category name, {@value}. */
    public static final String CATEGORY = "webhook";

    @Override
    public String category() {
        return CATEGORY;
    }

    @Override
    public EventCatalog catalog() {
        return WebhookCatalog.catalog();
    }
}

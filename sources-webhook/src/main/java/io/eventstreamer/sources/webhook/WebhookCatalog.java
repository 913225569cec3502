package io.eventstreamer.sources.webhook;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import io.eventstreamer.spi.JsonType;

/**
 * The event types of the {@value WebhookSource#CATEGORY} category and their payloads.
 *
 * <p>A webhook, named by {@code webhookId}, is announced by {@value #WEBHOOK_REGISTERED}. Each
 * event sent to it is a delivery, named by {@code deliveryId}: every failed attempt is reported by
 * {@value #WEBHOOK_FAILED}, the attempt that succeeds by {@value #WEBHOOK_DELIVERED}.
 * docs/events.md documents every field with examples.
 */
public final class WebhookCatalog {
    /** A delivery attempt succeeded. */
    public static final String WEBHOOK_DELIVERED = "webhook-delivered";
    /** A delivery attempt failed. */
    public static final String WEBHOOK_FAILED = "webhook-failed";
    /** A webhook endpoint was registered. */
    public static final String WEBHOOK_REGISTERED = "webhook-registered";

    private static final String WEBHOOK_ID =
            "Id of the webhook (the registered endpoint), the same in every event about it.";
    private static final String DELIVERY_ID =
            "Id of the delivery: the same for every attempt to deliver the same event.";
    private static final String URL = "URL the delivery was POSTed to.";
    private static final String EVENT_TYPE = "Type of the event being delivered, e.g. \"invoice.paid\".";

    private static final EventCatalog CATALOG = EventCatalog.builder(WebhookSource.CATEGORY)
            .add(webhookDelivered())
            .add(webhookFailed())
            .add(webhookRegistered())
            .build();

    private WebhookCatalog() {
    }

    /** The catalog of the {@value WebhookSource#CATEGORY} category. */
    public static EventCatalog catalog() {
        return CATALOG;
    }

    private static EventType webhookDelivered() {
        return EventType.builder(WEBHOOK_DELIVERED, "A webhook delivery succeeded: the endpoint answered "
                        + "with a 2xx status.")
                .required("webhookId", JsonType.STRING, WEBHOOK_ID)
                .required("deliveryId", JsonType.STRING, DELIVERY_ID)
                .field(FieldSpec.optional("url", JsonType.STRING, URL).withFormat("uri"))
                .optional("eventType", JsonType.STRING, EVENT_TYPE)
                .required("statusCode", JsonType.INTEGER, "HTTP status the endpoint answered with.")
                .required("attempt", JsonType.INTEGER, "Number of the attempt that succeeded: 1 when the first did.")
                .required("durationMs", JsonType.INTEGER,
                        "Time from sending the request to receiving the response, in milliseconds.")
                .build();
    }

    private static EventType webhookFailed() {
        return EventType.builder(WEBHOOK_FAILED, "A webhook delivery attempt failed: the endpoint answered "
                        + "with a status other than 2xx, did not answer in time, or could not be reached.")
                .required("webhookId", JsonType.STRING, WEBHOOK_ID)
                .required("deliveryId", JsonType.STRING, DELIVERY_ID)
                .field(FieldSpec.optional("url", JsonType.STRING, URL).withFormat("uri"))
                .optional("eventType", JsonType.STRING, EVENT_TYPE)
                .required("attempt", JsonType.INTEGER, "Number of the attempt that failed: 1 for the first.")
                .required("error", JsonType.STRING,
                        "What went wrong, e.g. \"HTTP 503 Service Unavailable\" or \"connect timed out\".")
                .optional("statusCode", JsonType.INTEGER,
                        "HTTP status the endpoint answered with; absent when no response arrived.")
                .optional("durationMs", JsonType.INTEGER,
                        "Time from sending the request until it failed, in milliseconds.")
                .required("willRetry", JsonType.BOOLEAN,
                        "Whether the delivery will be attempted again; false when it is given up.")
                .optionalTimestamp("nextRetryAt", "When the next attempt is due, when willRetry is true.")
                .build();
    }

    private static EventType webhookRegistered() {
        return EventType.builder(WEBHOOK_REGISTERED, "A webhook endpoint was registered: events it subscribes "
                        + "to will from now on be delivered to its URL.")
                .required("webhookId", JsonType.STRING, WEBHOOK_ID)
                .field(FieldSpec.required("url", JsonType.STRING, "URL deliveries will be POSTed to.")
                        .withFormat("uri"))
                .optional("eventTypes", JsonType.ARRAY, "Types of the events delivered to it, as an array of "
                        + "strings, e.g. [\"invoice.paid\"]; absent when it receives every type.")
                .optional("owner", JsonType.STRING, "Account or tenant that owns the webhook.")
                .build();
    }
}

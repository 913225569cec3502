package io.eventstreamer.sources.webhook;

import io.eventstreamer.spi.Payload;
import static java.util.Objects.requireNonNull;

import io.eventstreamer.spi.EventEmitter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes {@value WebhookSource#CATEGORY} events from typed arguments, so that a JVM service
 * never writes payloads by hand.
 *
 * <p>Each method builds the payload of one event type of {@link WebhookCatalog}, publishes it and
 * returns the id the host assigned. Instants are sent as ISO-8601 UTC strings with milliseconds,
 * durations as whole milliseconds, URIs as strings. Parameters documented as optional may be
 * {@code null}; the field is then left out. Like {@link EventEmitter#emit}, no method waits on a
 * client, and all are safe to call from any thread.
 *
 * <pre>{@code
 * WebhookEvents events = new WebhookEvents(host.emitter(WebhookSource.CATEGORY));
 * events.webhookFailed("wh-17", "dlv-5521", 1, "HTTP 503 Service Unavailable", Instant.now().plusSeconds(30));
 * events.webhookDelivered("wh-17", "dlv-5521", 200, 2, Duration.ofMillis(143));
 * }</pre>
 */
public final class WebhookEvents {
    private final EventEmitter emitter;

    /**
     * @param emitter the emitter of the {@value WebhookSource#CATEGORY} category
     * @throws IllegalArgumentException when the emitter publishes to another category
     */
    public WebhookEvents(EventEmitter emitter) {
        this.emitter = requireNonNull(emitter, "emitter is null");
        if (!WebhookSource.CATEGORY.equals(emitter.category())) {
            throw new IllegalArgumentException(String.format("emitter publishes to category '%s', not '%s'",
                    emitter.category(), WebhookSource.CATEGORY));
        }
    }

    /**
     * Publishes {@code webhook-delivered} with its required fields.
     *
     * @param attempt number of the attempt that succeeded, 1 for the first
     * @param duration time from sending the request to receiving the response
     * @return the event id
     */
    public String webhookDelivered(String webhookId, String deliveryId, int statusCode, int attempt,
            Duration duration) {
        return webhookDelivered(webhookId, deliveryId, null, null, statusCode, attempt, duration);
    }

    /**
     * Publishes {@code webhook-delivered}.
     *
     * @param url optional: URL the delivery was POSTed to
     * @param eventType optional: type of the event delivered
     * @param attempt number of the attempt that succeeded, 1 for the first
     * @param duration time from sending the request to receiving the response
     * @return the event id
     */
    public String webhookDelivered(String webhookId, String deliveryId, URI url, String eventType, int statusCode,
            int attempt, Duration duration) {
        return emitter.emit(WebhookCatalog.WEBHOOK_DELIVERED, new Payload()
                .required("webhookId", webhookId)
                .required("deliveryId", deliveryId)
                .optional("url", url == null ? null : url.toString())
                .optional("eventType", eventType)
                .required("statusCode", httpStatus(statusCode))
                .required("attempt", Payload.atLeast(1, attempt, "attempt"))
                .required("durationMs", Payload.millis(duration, "duration"))
                .toMap());
    }

    /**
     * Publishes {@code webhook-failed} with its required fields.
     *
     * @param attempt number of the attempt that failed, 1 for the first
     * @param error what went wrong
     * @param nextRetryAt when the next attempt is due, or {@code null} when the delivery is given up;
     *        {@code willRetry} is set accordingly
     * @return the event id
     */
    public String webhookFailed(String webhookId, String deliveryId, int attempt, String error, Instant nextRetryAt) {
        return webhookFailed(webhookId, deliveryId, null, null, attempt, error, null, null, nextRetryAt);
    }

    /**
     * Publishes {@code webhook-failed}.
     *
     * @param url optional: URL the delivery was POSTed to
     * @param eventType optional: type of the event being delivered
     * @param attempt number of the attempt that failed, 1 for the first
     * @param error what went wrong
     * @param statusCode optional: HTTP status of the response, when one arrived
     * @param duration optional: time from sending the request until it failed
     * @param nextRetryAt when the next attempt is due, or {@code null} when the delivery is given up;
     *        {@code willRetry} is set accordingly
     * @return the event id
     */
    public String webhookFailed(String webhookId, String deliveryId, URI url, String eventType, int attempt,
            String error, Integer statusCode, Duration duration, Instant nextRetryAt) {
        return emitter.emit(WebhookCatalog.WEBHOOK_FAILED, new Payload()
                .required("webhookId", webhookId)
                .required("deliveryId", deliveryId)
                .optional("url", url == null ? null : url.toString())
                .optional("eventType", eventType)
                .required("attempt", Payload.atLeast(1, attempt, "attempt"))
                .required("error", error)
                .optional("statusCode", statusCode == null ? null : httpStatus(statusCode))
                .optional("durationMs", duration == null ? null : Payload.millis(duration, "duration"))
                .required("willRetry", nextRetryAt != null)
                .optionalTimestamp("nextRetryAt", nextRetryAt)
                .toMap());
    }

    /**
     * Publishes {@code webhook-registered} with its required fields.
     *
     * @param url URL deliveries will be POSTed to
     * @return the event id
     */
    public String webhookRegistered(String webhookId, URI url) {
        return webhookRegistered(webhookId, url, null, null);
    }

    /**
     * Publishes {@code webhook-registered}.
     *
     * @param url URL deliveries will be POSTed to
     * @param eventTypes optional: types of the events delivered to it; {@code null} for every type
     * @param owner optional: account or tenant that owns the webhook
     * @return the event id
     */
    public String webhookRegistered(String webhookId, URI url, List<String> eventTypes, String owner) {
        requireNonNull(url, "url is null");
        return emitter.emit(WebhookCatalog.WEBHOOK_REGISTERED, new Payload()
                .required("webhookId", webhookId)
                .required("url", url.toString())
                .optional("eventTypes", eventTypes == null ? null : copyOf(eventTypes))
                .optional("owner", owner)
                .toMap());
    }

    private static int httpStatus(int statusCode) {
        if (statusCode < 100 || statusCode > 599) {
            throw new IllegalArgumentException(String.format(
                    "statusCode must be an HTTP status from 100 to 599 but was %d", statusCode));
        }
        return statusCode;
    }

    private static List<String> copyOf(List<String> eventTypes) {
        List<String> copy = new ArrayList<>(eventTypes.size());
        for (String eventType : eventTypes) {
            copy.add(requireNonNull(eventType, "eventTypes contains null"));
        }
        return copy;
    }
}

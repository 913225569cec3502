package io.eventstreamer.sources.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.testkit.RecordingEmitter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookEventsTest {
    private static final URI URL = URI.create("https://hooks.example.com/billing?tenant=acme");
    private static final Instant RETRY_AT = Instant.parse("2026-03-01T10:16:00Z");

    private final RecordingEmitter emitter = RecordingEmitter.strict(WebhookCatalog.catalog());
    private final WebhookEvents events = new WebhookEvents(emitter);

    @Test
    void webhookDelivered() {
        String id = events.webhookDelivered("wh-17", "dlv-5521", 204, 1, Duration.ofMillis(143));
        assertThat(id).isEqualTo(emitter.lastEvent().id());
        assertEmitted("webhook-delivered", Map.of("webhookId", "wh-17", "deliveryId", "dlv-5521",
                "statusCode", 204, "attempt", 1, "durationMs", 143L));

        events.webhookDelivered("wh-17", "dlv-5521", URL, "invoice.paid", 200, 3, Duration.ofMillis(88));
        assertEmitted("webhook-delivered", Map.of("webhookId", "wh-17", "deliveryId", "dlv-5521",
                "url", "https://hooks.example.com/billing?tenant=acme", "eventType", "invoice.paid",
                "statusCode", 200, "attempt", 3, "durationMs", 88L));
    }

    @Test
    void webhookFailedSetsWillRetryFromNextRetryAt() {
        events.webhookFailed("wh-17", "dlv-5521", 1, "connect timed out", RETRY_AT);
        assertEmitted("webhook-failed", Map.of("webhookId", "wh-17", "deliveryId", "dlv-5521", "attempt", 1,
                "error", "connect timed out", "willRetry", true, "nextRetryAt", "2026-03-01T10:16:00.000Z"));

        events.webhookFailed("wh-17", "dlv-5521", URL, "invoice.paid", 5, "HTTP 410 Gone", 410,
                Duration.ofMillis(61), null);
        assertEmitted("webhook-failed", Map.of("webhookId", "wh-17", "deliveryId", "dlv-5521",
                "url", "https://hooks.example.com/billing?tenant=acme", "eventType", "invoice.paid", "attempt", 5,
                "error", "HTTP 410 Gone", "statusCode", 410, "durationMs", 61L, "willRetry", false));
    }

    @Test
    void webhookRegistered() {
        events.webhookRegistered("wh-17", URL);
        assertEmitted("webhook-registered", Map.of("webhookId", "wh-17",
                "url", "https://hooks.example.com/billing?tenant=acme"));

        events.webhookRegistered("wh-17", URL, List.of("invoice.paid", "invoice.voided"), "acme");
        assertEmitted("webhook-registered", Map.of("webhookId", "wh-17",
                "url", "https://hooks.example.com/billing?tenant=acme",
                "eventTypes", List.of("invoice.paid", "invoice.voided"), "owner", "acme"));
    }

    @Test
    void refusesEmitterOfAnotherCategory() {
        RecordingEmitter other = RecordingEmitter.of(EventCatalog.builder("dlq")
                .add(EventType.builder("entry-added", "d").build())
                .build());
        assertThatThrownBy(() -> new WebhookEvents(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("emitter publishes to category 'dlq', not 'webhook'");
    }

    @Test
    void refusesMissingRequiredArgumentsAndImpossibleValues() {
        assertThatThrownBy(() -> events.webhookRegistered("wh-17", null))
                .isInstanceOf(NullPointerException.class).hasMessage("url is null");
        assertThatThrownBy(() -> events.webhookFailed("wh-17", null, 1, "e", null))
                .isInstanceOf(NullPointerException.class).hasMessage("deliveryId is null");
        assertThatThrownBy(() -> events.webhookDelivered("wh-17", "d", 42, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("statusCode must be an HTTP status from 100 to 599 but was 42");
        assertThatThrownBy(() -> events.webhookDelivered("wh-17", "d", 200, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("attempt must be >= 1 but was 0");
        assertThatThrownBy(() -> events.webhookRegistered("wh-17", URL, Arrays.asList("a", null), null))
                .isInstanceOf(NullPointerException.class).hasMessage("eventTypes contains null");
        assertThat(emitter.events()).isEmpty();
    }

    private void assertEmitted(String eventType, Map<String, Object> payload) {
        RecordingEmitter.Event event = emitter.lastEvent();
        assertThat(event.eventType()).isEqualTo(eventType);
        assertThat(event.payload()).isEqualTo(payload);
    }
}

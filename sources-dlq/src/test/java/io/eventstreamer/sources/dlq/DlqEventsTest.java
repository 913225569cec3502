package io.eventstreamer.sources.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.testkit.RecordingEmitter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DlqEventsTest {
    private final RecordingEmitter emitter = RecordingEmitter.strict(DlqCatalog.catalog());
    private final DlqEvents events = new DlqEvents(emitter);

    @Test
    void entryAdded() {
        String id = events.entryAdded("dle-3001", "orders.dlq", "max retries exceeded", 12);
        assertThat(id).isEqualTo(emitter.lastEvent().id());
        assertEmitted("entry-added", Map.of("entryId", "dle-3001", "queue", "orders.dlq",
                "reason", "max retries exceeded", "queueDepth", 12L));

        events.entryAdded("dle-3002", "orders.dlq", "schema validation failed: missing customerId", 13,
                "orders", "msg-77f1", "OrderPlaced", 5);
        assertEmitted("entry-added", Map.of("entryId", "dle-3002", "queue", "orders.dlq",
                "reason", "schema validation failed: missing customerId", "queueDepth", 13L,
                "sourceQueue", "orders", "messageId", "msg-77f1", "messageType", "OrderPlaced", "attempts", 5));
    }

    @Test
    void entryResolved() {
        events.entryResolved("dle-3001", "orders.dlq", "discarded");
        assertEmitted("entry-resolved", Map.of("entryId", "dle-3001", "queue", "orders.dlq", "resolution", "discarded"));

        events.entryResolved("dle-3001", "orders.dlq", "handled-manually", "alice", 0L);
        assertEmitted("entry-resolved", Map.of("entryId", "dle-3001", "queue", "orders.dlq",
                "resolution", "handled-manually", "resolvedBy", "alice", "queueDepth", 0L));
    }

    @Test
    void entryResubmitted() {
        events.entryResubmitted("dle-3001", "orders.dlq");
        assertEmitted("entry-resubmitted", Map.of("entryId", "dle-3001", "queue", "orders.dlq"));

        events.entryResubmitted("dle-3001", "orders.dlq", "orders", "redrive-policy", 11L);
        assertEmitted("entry-resubmitted", Map.of("entryId", "dle-3001", "queue", "orders.dlq",
                "targetQueue", "orders", "resubmittedBy", "redrive-policy", "queueDepth", 11L));
    }

    @Test
    void refusesEmitterOfAnotherCategory() {
        RecordingEmitter other = RecordingEmitter.of(EventCatalog.builder("webhook")
                .add(EventType.builder("webhook-delivered", "d").build())
                .build());
        assertThatThrownBy(() -> new DlqEvents(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("emitter publishes to category 'webhook', not 'dlq'");
    }

    @Test
    void refusesMissingRequiredArgumentsAndImpossibleValues() {
        assertThatThrownBy(() -> events.entryAdded("dle-1", null, "r", 1))
                .isInstanceOf(NullPointerException.class).hasMessage("queue is null");
        assertThatThrownBy(() -> events.entryResolved("dle-1", "q", null))
                .isInstanceOf(NullPointerException.class).hasMessage("resolution is null");
        assertThatThrownBy(() -> events.entryAdded("dle-1", "q", "r", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queueDepth counts the added entry, so it must be >= 1 but was 0");
        assertThatThrownBy(() -> events.entryResubmitted("dle-1", "q", null, null, -1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("queueDepth must be >= 0 but was -1");
        assertThat(emitter.events()).isEmpty();
    }

    private void assertEmitted(String eventType, Map<String, Object> payload) {
        RecordingEmitter.Event event = emitter.lastEvent();
        assertThat(event.eventType()).isEqualTo(eventType);
        assertThat(event.payload()).isEqualTo(payload);
    }
}

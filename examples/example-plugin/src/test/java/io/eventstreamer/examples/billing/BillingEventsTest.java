package io.eventstreamer.examples.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.testkit.RecordingEmitter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BillingEventsTest {
    private final RecordingEmitter emitter = RecordingEmitter.strict(BillingCatalog.catalog());
    private final BillingEvents events = new BillingEvents(emitter);

    @Test
    void invoicePaid() {
        String id = events.invoicePaid("inv-1042", "cus-77", 12_900, "EUR", Instant.parse("2026-11-25T10:15:30.120Z"));
        assertThat(id).isEqualTo(emitter.lastEvent().id());
        assertEmitted("invoice-paid", Map.of("invoiceId", "inv-1042", "customerId", "cus-77",
                "amountCents", 12_900L, "currency", "EUR", "paidAt", "2026-11-25T10:15:30.120Z"));

        events.invoicePaid("inv-1042", "cus-77", 12_900, "EUR", Instant.parse("2026-11-25T10:15:30Z"), "card");
        assertEmitted("invoice-paid", Map.of("invoiceId", "inv-1042", "customerId", "cus-77",
                "amountCents", 12_900L, "currency", "EUR", "paidAt", "2026-11-25T10:15:30.000Z",
                "paymentMethod", "card"));
    }

    @Test
    void invoiceOverdue() {
        events.invoiceOverdue("inv-1043", "cus-78", 4_550, "EUR", LocalDate.of(2026, 11, 1), 24);
        assertEmitted("invoice-overdue", Map.of("invoiceId", "inv-1043", "customerId", "cus-78",
                "amountDueCents", 4_550L, "currency", "EUR", "dueDate", "2026-11-01", "daysOverdue", 24L));
    }

    @Test
    void refusesEmitterOfAnotherCategory() {
        RecordingEmitter other = RecordingEmitter.of(EventCatalog.builder("dlq")
                .add(EventType.builder("entry-added", "d").build())
                .build());
        assertThatThrownBy(() -> new BillingEvents(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("emitter publishes to category 'dlq', not 'billing'");
    }

    @Test
    void refusesMissingArgumentsAndImpossibleValues() {
        assertThatThrownBy(() -> events.invoicePaid(null, "c", 1, "EUR", Instant.now()))
                .isInstanceOf(NullPointerException.class).hasMessage("invoiceId is null");
        assertThatThrownBy(() -> events.invoicePaid("i", "c", -1, "EUR", Instant.now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("amountCents must be >= 0 but was -1");
        assertThatThrownBy(() -> events.invoicePaid("i", "c", 1, "euro", Instant.now()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("currency must be an ISO 4217 code of three upper-case letters but was 'euro'");
        assertThatThrownBy(() -> events.invoiceOverdue("i", "c", 1, "EUR", LocalDate.of(2026, 1, 1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("daysOverdue must be >= 1 but was 0");
        assertThat(emitter.events()).isEmpty();
    }

    private void assertEmitted(String eventType, Map<String, Object> payload) {
        RecordingEmitter.Event event = emitter.lastEvent();
        assertThat(event.eventType()).isEqualTo(eventType);
        assertThat(event.payload()).isEqualTo(payload);
    }
}

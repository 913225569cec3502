package io.eventstreamer.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCatalogTest {
    private final EventCatalog catalog = EventCatalog.builder("scheduler")
            .add(EventType.builder("schedule-executed", "A schedule fired")
                    .required("scheduleId", JsonType.STRING, "id")
                    .requiredTimestamp("startedAt", "when")
                    .optional("attempt", JsonType.INTEGER, "attempt")
                    .optional("tags", JsonType.ARRAY, "tags")
                    .build())
            .build();

    @Test
    void acceptsValidEventWithExtraFields() {
        EventType type = catalog.validate("schedule-executed",
                Map.of("scheduleId", "s1", "startedAt", "2026-01-01T00:00:00Z", "extra", 5, "attempt", 2L,
                        "tags", List.of("a")));
        assertThat(type.name()).isEqualTo("schedule-executed");
    }

    @Test
    void optionalFieldMayBeNull() {
        Map<String, Object> payload = new HashMap<>();
        payload.put("scheduleId", "s1");
        payload.put("startedAt", "t");
        payload.put("attempt", null);
        catalog.validate("schedule-executed", payload);
    }

    @Test
    void refusesUnknownEventType() {
        assertThatThrownBy(() -> catalog.validate("schedule-exploded", Map.of()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("category 'scheduler' has no event type 'schedule-exploded' (known: schedule-executed)")
                .extracting(e -> ((InvalidEventException) e).reason())
                .isEqualTo(InvalidEventException.Reason.UNKNOWN_EVENT_TYPE);
    }

    @Test
    void refusesMissingRequiredFields() {
        assertThatThrownBy(() -> catalog.validate("schedule-executed", Map.of("extra", 1)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("event 'schedule-executed' of category 'scheduler' is missing required fields scheduleId, startedAt");
    }

    @Test
    void refusesWrongFieldType() {
        assertThatThrownBy(() -> catalog.validate("schedule-executed",
                Map.of("scheduleId", 7, "startedAt", "t")))
                .hasMessage("event 'schedule-executed' of category 'scheduler': field 'scheduleId' must be of type string but was integer");
        assertThatThrownBy(() -> catalog.validate("schedule-executed",
                Map.of("scheduleId", "s", "startedAt", "t", "attempt", 1.5)))
                .hasMessageContaining("field 'attempt' must be of type integer but was number");
    }

    @Test
    void refusesMissingEventTypeAndPayload() {
        assertThatThrownBy(() -> catalog.validate(null, Map.of()))
                .extracting(e -> ((InvalidEventException) e).reason())
                .isEqualTo(InvalidEventException.Reason.MISSING_EVENT_TYPE);
        assertThatThrownBy(() -> catalog.validate("schedule-executed", null))
                .extracting(e -> ((InvalidEventException) e).reason())
                .isEqualTo(InvalidEventException.Reason.INVALID_PAYLOAD);
    }

    @Test
    void rejectsMalformedDeclarations() {
        assertThatThrownBy(() -> EventCatalog.builder("Bad Name"))
                .hasMessageContaining("must be lower-case words");
        assertThatThrownBy(() -> EventCatalog.builder("x").build())
                .hasMessage("category 'x' declares no event types");
        assertThatThrownBy(() -> EventType.builder("a", "d").required("f", JsonType.STRING, "").required("f", JsonType.STRING, ""))
                .hasMessage("event type 'a' declares field 'f' twice");
        assertThatThrownBy(() -> EventType.builder("a", "d").optional("k", JsonType.STRING, "").coalesceKey("k").build())
                .hasMessageContaining("must be a declared required field");
    }

    @Test
    void integerAcceptsWholeNumbersOnly() {
        assertThat(JsonType.INTEGER.accepts(3)).isTrue();
        assertThat(JsonType.INTEGER.accepts(3.0)).isTrue();
        assertThat(JsonType.INTEGER.accepts(new java.math.BigInteger("123456789012345678901234567890"))).isTrue();
        assertThat(JsonType.INTEGER.accepts(3.5)).isFalse();
        assertThat(JsonType.INTEGER.accepts("3")).isFalse();
        assertThat(JsonType.NUMBER.accepts(3.5)).isTrue();
        assertThat(JsonType.OBJECT.accepts(Map.of())).isTrue();
        assertThat(JsonType.ARRAY.accepts(new int[0])).isTrue();
    }
}

package io.eventstreamer.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void buildsInOrderSkippingNullOptionalsAndFormattingInstants() {
        assertThat(new Payload()
                .required("id", "a")
                .optional("note", null)
                .optional("count", 3)
                .requiredTimestamp("at", Instant.parse("2026-11-25T22:10:51.123456Z"))
                .optionalTimestamp("until", null)
                .toMap())
                .containsExactly(java.util.Map.entry("id", "a"), java.util.Map.entry("count", 3),
                        java.util.Map.entry("at", "2026-11-25T22:10:51.123Z"));
    }

    @Test
    void refusesMissingRequiredValuesAndBadNumbers() {
        assertThatThrownBy(() -> new Payload().required("id", null)).hasMessage("id is null");
        assertThatThrownBy(() -> new Payload().requiredTimestamp("at", null)).hasMessage("at is null");
        assertThatThrownBy(() -> Payload.millis(Duration.ofMillis(-1), "duration"))
                .hasMessage("duration must not be negative but was PT-0.001S");
        assertThatThrownBy(() -> Payload.atLeast(1, 0, "attempt")).hasMessage("attempt must be >= 1 but was 0");
        assertThat(Payload.atLeastOrNull(1, null, "attempt")).isNull();
        assertThat(Payload.millis(Duration.ofSeconds(2), "d")).isEqualTo(2000);
    }
}

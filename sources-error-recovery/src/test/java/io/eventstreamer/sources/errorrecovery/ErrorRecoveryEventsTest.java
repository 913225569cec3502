package io.eventstreamer.sources.errorrecovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.testkit.RecordingEmitter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorRecoveryEventsTest {
    private static final Instant AT = Instant.parse("2026-03-01T10:15:30.123456Z");
    private static final String AT_TEXT = "2026-03-01T10:15:30.123Z";

    private final RecordingEmitter emitter = RecordingEmitter.strict(ErrorRecoveryCatalog.catalog());
    private final ErrorRecoveryEvents events = new ErrorRecoveryEvents(emitter);

    @Test
    void retryStartedWithRequiredFields() {
        String id = events.retryStarted("op-42", 1, "connect timed out", AT);

        assertThat(id).isEqualTo(emitter.lastEvent().id());
        assertEmitted("retry-started", Map.of(
                "retryId", "op-42", "attemptNumber", 1, "errorMessage", "connect timed out", "nextRetryAt", AT_TEXT));
    }

    @Test
    void retryStartedWithEveryField() {
        events.retryStarted("op-42", "payment-capture", 2, 5, "HTTP 503", "UpstreamUnavailable", AT);

        assertEmitted("retry-started", Map.of("retryId", "op-42", "operation", "payment-capture",
                "attemptNumber", 2, "maxAttempts", 5, "errorMessage", "HTTP 503",
                "errorType", "UpstreamUnavailable", "nextRetryAt", AT_TEXT));
    }

    @Test
    void retryCompleted() {
        events.retryCompleted("op-42", 2, RetryOutcome.SUCCEEDED, Duration.ofMillis(182));
        assertEmitted("retry-completed", Map.of(
                "retryId", "op-42", "attemptNumber", 2, "outcome", "succeeded", "durationMs", 182L));

        events.retryCompleted("op-42", "payment-capture", 5, RetryOutcome.EXHAUSTED, Duration.ofSeconds(30), "timeout");
        assertEmitted("retry-completed", Map.of("retryId", "op-42", "operation", "payment-capture",
                "attemptNumber", 5, "outcome", "exhausted", "durationMs", 30_000L, "errorMessage", "timeout"));
    }

    @Test
    void errorResolved() {
        events.errorResolved("err-7", "manual");
        assertEmitted("error-resolved", Map.of("errorId", "err-7", "resolution", "manual"));

        events.errorResolved("err-7", "op-42", "payment-capture", "HTTP 503", "retry-succeeded", 3, AT, "billing-service");
        assertEmitted("error-resolved", Map.of("errorId", "err-7", "retryId", "op-42", "operation", "payment-capture",
                "errorMessage", "HTTP 503", "resolution", "retry-succeeded", "attempts", 3,
                "firstOccurredAt", AT_TEXT, "resolvedBy", "billing-service"));
    }

    @Test
    void circuitBreakerStateChanged() {
        events.circuitBreakerStateChanged("inventory-service", CircuitBreakerState.HALF_OPEN, CircuitBreakerState.CLOSED);
        assertEmitted("circuit-breaker-state-changed", Map.of(
                "circuitBreakerName", "inventory-service", "fromState", "half-open", "toState", "closed"));

        events.circuitBreakerStateChanged("inventory-service", CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN,
                "failure rate 62.5% above threshold 50%", 62.5, AT);
        assertEmitted("circuit-breaker-state-changed", Map.of("circuitBreakerName", "inventory-service",
                "fromState", "closed", "toState", "open", "reason", "failure rate 62.5% above threshold 50%",
                "failureRate", 62.5, "nextAttemptAt", AT_TEXT));
    }

    @Test
    void circuitBreakerStateChangedWithEveryField() {
        events.circuitBreakerStateChanged("inventory-service", CircuitBreakerState.HALF_OPEN, CircuitBreakerState.OPEN,
                "slow-call rate 80% above threshold 50%", 20.0, 80.0, Duration.ofSeconds(30), AT);
        assertEmitted("circuit-breaker-state-changed", Map.of("circuitBreakerName", "inventory-service",
                "fromState", "half-open", "toState", "open", "reason", "slow-call rate 80% above threshold 50%",
                "failureRate", 20.0, "slowCallRate", 80.0, "waitDurationMs", 30_000L, "nextAttemptAt", AT_TEXT));

        events.circuitBreakerStateChanged("inventory-service", CircuitBreakerState.CLOSED,
                CircuitBreakerState.FORCED_OPEN, null, null, null, null, null);
        assertEmitted("circuit-breaker-state-changed", Map.of(
                "circuitBreakerName", "inventory-service", "fromState", "closed", "toState", "forced-open"));
    }

    @Test
    void refusesEmitterOfAnotherCategory() {
        RecordingEmitter other = RecordingEmitter.of(EventCatalog.builder("scheduler")
                .add(EventType.builder("schedule-created", "d").build())
                .build());
        assertThatThrownBy(() -> new ErrorRecoveryEvents(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("emitter publishes to category 'scheduler', not 'error-recovery'");
    }

    @Test
    void refusesMissingRequiredArgumentsAndImpossibleValues() {
        assertThatThrownBy(() -> events.retryStarted(null, 1, "e", AT))
                .isInstanceOf(NullPointerException.class).hasMessage("retryId is null");
        assertThatThrownBy(() -> events.retryStarted("op", 1, "e", null))
                .isInstanceOf(NullPointerException.class).hasMessage("nextRetryAt is null");
        assertThatThrownBy(() -> events.retryStarted("op", 0, "e", AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("attemptNumber must be >= 1 but was 0");
        assertThatThrownBy(() -> events.retryCompleted("op", 1, RetryOutcome.FAILED, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duration must not be negative but was PT-0.001S");
        assertThatThrownBy(() -> events.circuitBreakerStateChanged("cb", CircuitBreakerState.OPEN,
                CircuitBreakerState.HALF_OPEN, null, 101.0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failureRate must be a percentage from 0 to 100 but was 101.0");
        assertThatThrownBy(() -> events.circuitBreakerStateChanged("cb", CircuitBreakerState.CLOSED,
                CircuitBreakerState.OPEN, null, null, -1.0, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slowCallRate must be a percentage from 0 to 100 but was -1.0");
        assertThatThrownBy(() -> events.circuitBreakerStateChanged("cb", CircuitBreakerState.CLOSED,
                CircuitBreakerState.OPEN, null, null, null, Duration.ofMillis(-1), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("waitDuration must not be negative but was PT-0.001S");
        assertThat(emitter.events()).isEmpty();
    }

    private void assertEmitted(String eventType, Map<String, Object> payload) {
        RecordingEmitter.Event event = emitter.lastEvent();
        assertThat(event.eventType()).isEqualTo(eventType);
        assertThat(event.payload()).isEqualTo(payload);
    }
}

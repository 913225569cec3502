package io.eventstreamer.sources.errorrecovery;

import io.eventstreamer.spi.Payload;
import static java.util.Objects.requireNonNull;

import io.eventstreamer.spi.EventEmitter;
import java.time.Duration;
import java.time.Instant;

/**
 * Publishes {@value ErrorRecoverySource#CATEGORY} events from typed arguments, so that a JVM
 * service never writes payloads by hand.
 *
 * <p>Each method builds the payload of one event type of {@link ErrorRecoveryCatalog}, publishes
 * it and returns the id the host assigned. Instants are sent as ISO-8601 UTC strings with
 * milliseconds, durations as whole milliseconds. Parameters documented as optional may be
 * {@code null}; the field is then left out. Like {@link EventEmitter#emit}, no method waits on a
 * client, and all are safe to call from any thread.
 *
 * <pre>{@code
 * EventStreamer host = EventStreamer.start(config);
 * ErrorRecoveryEvents events = new ErrorRecoveryEvents(host.emitter(ErrorRecoverySource.CATEGORY));
 * events.retryStarted("op-42", 1, "connect timed out", Instant.now().plusSeconds(5));
 * events.circuitBreakerStateChanged("inventory-service", CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN);
 * }</pre>
 */
public final class ErrorRecoveryEvents {
    private final EventEmitter emitter;

    /**
     * @param emitter the emitter of the {@value ErrorRecoverySource#CATEGORY} category
     * @throws IllegalArgumentException when the emitter publishes to another category
     */
    public ErrorRecoveryEvents(EventEmitter emitter) {
        this.emitter = requireNonNull(emitter, "emitter is null");
        if (!ErrorRecoverySource.CATEGORY.equals(emitter.category())) {
            throw new IllegalArgumentException(String.format("emitter publishes to category '%s', not '%s'",
                    emitter.category(), ErrorRecoverySource.CATEGORY));
        }
    }

    /**
     * Publishes {@code retry-started} with its required fields.
     *
     * @param attemptNumber 1 for the first retry
     * @return the event id
     */
    public String retryStarted(String retryId, int attemptNumber, String errorMessage, Instant nextRetryAt) {
        return retryStarted(retryId, null, attemptNumber, null, errorMessage, null, nextRetryAt);
    }

    /**
     * Publishes {@code retry-started}.
     *
     * @param operation optional: what is being retried
     * @param attemptNumber 1 for the first retry
     * @param maxAttempts optional: retries allowed before giving up, at least 1
     * @param errorType optional: exception class or error code
     * @return the event id
     */
    public String retryStarted(String retryId, String operation, int attemptNumber, Integer maxAttempts,
            String errorMessage, String errorType, Instant nextRetryAt) {
        return emitter.emit(ErrorRecoveryCatalog.RETRY_STARTED, new Payload()
                .required("retryId", retryId)
                .optional("operation", operation)
                .required("attemptNumber", Payload.atLeast(1, attemptNumber, "attemptNumber"))
                .optional("maxAttempts", Payload.atLeastOrNull(1, maxAttempts, "maxAttempts"))
                .required("errorMessage", errorMessage)
                .optional("errorType", errorType)
                .requiredTimestamp("nextRetryAt", nextRetryAt)
                .toMap());
    }

    /**
     * Publishes {@code retry-completed} with its required fields.
     *
     * @return the event id
     */
    public String retryCompleted(String retryId, int attemptNumber, RetryOutcome outcome, Duration duration) {
        return retryCompleted(retryId, null, attemptNumber, outcome, duration, null);
    }

    /**
     * Publishes {@code retry-completed}.
     *
     * @param operation optional: what is being retried
     * @param duration how long the attempt took
     * @param errorMessage optional: why the attempt failed
     * @return the event id
     */
    public String retryCompleted(String retryId, String operation, int attemptNumber, RetryOutcome outcome,
            Duration duration, String errorMessage) {
        requireNonNull(outcome, "outcome is null");
        return emitter.emit(ErrorRecoveryCatalog.RETRY_COMPLETED, new Payload()
                .required("retryId", retryId)
                .optional("operation", operation)
                .required("attemptNumber", Payload.atLeast(1, attemptNumber, "attemptNumber"))
                .required("outcome", outcome.wireName())
                .required("durationMs", Payload.millis(duration, "duration"))
                .optional("errorMessage", errorMessage)
                .toMap());
    }

    /**
     * Publishes {@code error-resolved} with its required fields.
     *
     * @param resolution how it was resolved, e.g. {@code "retry-succeeded"}, {@code "fallback"}, {@code "manual"}
     * @return the event id
     */
    public String errorResolved(String errorId, String resolution) {
        return errorResolved(errorId, null, null, null, resolution, null, null, null);
    }

    /**
     * Publishes {@code error-resolved}.
     *
     * @param retryId optional: the retry sequence that resolved it
     * @param operation optional: the operation that had failed
     * @param errorMessage optional: the error that is now resolved
     * @param resolution how it was resolved, e.g. {@code "retry-succeeded"}, {@code "fallback"}, {@code "manual"}
     * @param attempts optional: attempts made in total, the original one included; at least 1
     * @param firstOccurredAt optional: when the error first occurred
     * @param resolvedBy optional: who resolved it
     * @return the event id
     */
    public String errorResolved(String errorId, String retryId, String operation, String errorMessage,
            String resolution, Integer attempts, Instant firstOccurredAt, String resolvedBy) {
        return emitter.emit(ErrorRecoveryCatalog.ERROR_RESOLVED, new Payload()
                .required("errorId", errorId)
                .optional("retryId", retryId)
                .optional("operation", operation)
                .optional("errorMessage", errorMessage)
                .required("resolution", resolution)
                .optional("attempts", Payload.atLeastOrNull(1, attempts, "attempts"))
                .optionalTimestamp("firstOccurredAt", firstOccurredAt)
                .optional("resolvedBy", resolvedBy)
                .toMap());
    }

    /**
     * Publishes {@code circuit-breaker-state-changed} with its required fields.
     *
     * @return the event id
     */
    public String circuitBreakerStateChanged(String circuitBreakerName, CircuitBreakerState fromState,
            CircuitBreakerState toState) {
        return circuitBreakerStateChanged(circuitBreakerName, fromState, toState, null, null, null);
    }

    /**
     * Publishes {@code circuit-breaker-state-changed}.
     *
     * @param reason optional: why it changed
     * @param failureRate optional: failure rate in percent, 0 to 100
     * @param nextAttemptAt optional: for an open breaker, when it lets trial calls through again
     * @return the event id
     */
    public String circuitBreakerStateChanged(String circuitBreakerName, CircuitBreakerState fromState,
            CircuitBreakerState toState, String reason, Double failureRate, Instant nextAttemptAt) {
        return circuitBreakerStateChanged(circuitBreakerName, fromState, toState, reason, failureRate, null, null,
                nextAttemptAt);
    }

    /**
     * Publishes {@code circuit-breaker-state-changed} with every field.
     *
     * @param reason optional: why it changed
     * @param failureRate optional: failure rate in percent, 0 to 100
     * @param slowCallRate optional: share of slow calls in percent, 0 to 100
     * @param waitDuration optional: for an open breaker, how long it refuses calls
     * @param nextAttemptAt optional: for an open breaker, when it lets trial calls through again
     * @return the event id
     */
    public String circuitBreakerStateChanged(String circuitBreakerName, CircuitBreakerState fromState,
            CircuitBreakerState toState, String reason, Double failureRate, Double slowCallRate,
            Duration waitDuration, Instant nextAttemptAt) {
        requireNonNull(fromState, "fromState is null");
        requireNonNull(toState, "toState is null");
        return emitter.emit(ErrorRecoveryCatalog.CIRCUIT_BREAKER_STATE_CHANGED, new Payload()
                .required("circuitBreakerName", circuitBreakerName)
                .required("fromState", fromState.wireName())
                .required("toState", toState.wireName())
                .optional("reason", reason)
                .optional("failureRate", percentage(failureRate, "failureRate"))
                .optional("slowCallRate", percentage(slowCallRate, "slowCallRate"))
                .optional("waitDurationMs", waitDuration == null ? null : Payload.millis(waitDuration, "waitDuration"))
                .optionalTimestamp("nextAttemptAt", nextAttemptAt)
                .toMap());
    }

    private static Double percentage(Double value, String name) {
        if (value != null && !(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(String.format(
                    "%s must be a percentage from 0 to 100 but was %s", name, value));
        }
        return value;
    }
}

package io.eventstreamer.sources.errorrecovery;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.JsonType;

/**
 * The event types of the {@value ErrorRecoverySource#CATEGORY} category and their payloads.
 *
 * <p>A retry sequence is identified by its {@code retryId}: each attempt is announced by
 * {@value #RETRY_STARTED} and ends with {@value #RETRY_COMPLETED}; {@value #ERROR_RESOLVED} closes
 * an error for good. {@value #CIRCUIT_BREAKER_STATE_CHANGED} is about one breaker, named by
 * {@code circuitBreakerName}, its coalesce key. docs/events.md documents every field with examples.
 */
public final class ErrorRecoveryCatalog {
    /** A failed operation was scheduled to be tried again. */
    public static final String RETRY_STARTED = "retry-started";
    /** A retry attempt finished, successfully or not. */
    public static final String RETRY_COMPLETED = "retry-completed";
    /** An error the service was tracking is resolved. */
    public static final String ERROR_RESOLVED = "error-resolved";
    /** A circuit breaker moved to another state. */
    public static final String CIRCUIT_BREAKER_STATE_CHANGED = "circuit-breaker-state-changed";

    private static final String RETRY_ID = "Id of the retry sequence: the same in every retry-started and "
            + "retry-completed about one failed operation.";
    private static final String OPERATION = "What is being retried, e.g. \"payment-capture\" or \"POST /orders\".";

    private static final EventCatalog CATALOG = EventCatalog.builder(ErrorRecoverySource.CATEGORY)
            .add(retryStarted())
            .add(retryCompleted())
            .add(errorResolved())
            .add(circuitBreakerStateChanged())
            .build();

    private ErrorRecoveryCatalog() {
    }

    /** The catalog of the {@value ErrorRecoverySource#CATEGORY} category. */
    public static EventCatalog catalog() {
        return CATALOG;
    }

    private static EventType retryStarted() {
        return EventType.builder(RETRY_STARTED, "A failed operation was scheduled to be tried again. "
                        + "Published once per retry attempt, when the attempt is scheduled.")
                .required("retryId", JsonType.STRING, RETRY_ID)
                .optional("operation", JsonType.STRING, OPERATION)
                .required("attemptNumber", JsonType.INTEGER,
                        "Number of this retry: 1 for the first retry after the original failure.")
                .optional("maxAttempts", JsonType.INTEGER,
                        "Retries allowed before the operation is given up; absent when unbounded.")
                .required("errorMessage", JsonType.STRING, "The error that made the previous attempt fail.")
                .optional("errorType", JsonType.STRING,
                        "Kind of that error: an exception class or an error code such as \"ETIMEDOUT\".")
                .requiredTimestamp("nextRetryAt", "When this attempt is due to run.")
                .build();
    }

    private static EventType retryCompleted() {
        return EventType.builder(RETRY_COMPLETED, "A retry attempt finished, successfully or not. A failed "
                        + "attempt that will be tried again is followed by another retry-started.")
                .required("retryId", JsonType.STRING, RETRY_ID)
                .optional("operation", JsonType.STRING, OPERATION)
                .required("attemptNumber", JsonType.INTEGER,
                        "Number of the attempt that finished, as in its retry-started.")
                .required("outcome", JsonType.STRING, "\"succeeded\"; \"failed\" (another attempt follows); or "
                        + "\"exhausted\" (failed, and no attempts are left: the operation is given up).")
                .required("durationMs", JsonType.INTEGER, "How long the attempt took, in milliseconds.")
                .optional("errorMessage", JsonType.STRING, "Why the attempt failed; absent when it succeeded.")
                .build();
    }

    private static EventType errorResolved() {
        return EventType.builder(ERROR_RESOLVED, "An error the service had been tracking is resolved: the "
                        + "operation eventually succeeded, a fallback took over, or an operator closed it.")
                .required("errorId", JsonType.STRING, "Id of the error as the service tracks it, "
                        + "e.g. a failure or incident id.")
                .optional("retryId", JsonType.STRING, "Id of the retry sequence that resolved it, when retries did.")
                .optional("operation", JsonType.STRING, "The operation that had failed.")
                .optional("errorMessage", JsonType.STRING, "The error that is now resolved.")
                .required("resolution", JsonType.STRING, "How it was resolved, e.g. \"retry-succeeded\", "
                        + "\"fallback\" or \"manual\".")
                .optional("attempts", JsonType.INTEGER, "Attempts made in total, the original one included.")
                .optionalTimestamp("firstOccurredAt", "When the error first occurred.")
                .optional("resolvedBy", JsonType.STRING,
                        "Who resolved it, for a manual resolution: a user or a service.")
                .build();
    }

    private static EventType circuitBreakerStateChanged() {
        return EventType.builder(CIRCUIT_BREAKER_STATE_CHANGED, "A circuit breaker moved from one state to "
                        + "another, e.g. it opened after too many failures. Only the newest change of a breaker "
                        + "matters to a dashboard, so a host may keep just the newest queued event per breaker.")
                .required("circuitBreakerName", JsonType.STRING, "Name of the circuit breaker, usually the "
                        + "dependency it protects, e.g. \"inventory-service\".")
                .required("fromState", JsonType.STRING, "State before the change: \"closed\", \"open\" or "
                        + "\"half-open\"; or a manual state: \"forced-open\", \"disabled\" or \"metrics-only\".")
                .required("toState", JsonType.STRING, "State after the change, one of the fromState values.")
                .optional("reason", JsonType.STRING,
                        "Why it changed, e.g. \"failure rate 62.5% above threshold 50%\".")
                .optional("failureRate", JsonType.NUMBER,
                        "Failure rate over the breaker's window when it changed, in percent (0 to 100).")
                .optional("slowCallRate", JsonType.NUMBER, "Share of calls slower than the breaker's slow-call "
                        + "threshold over its window when it changed, in percent (0 to 100).")
                .optional("waitDurationMs", JsonType.INTEGER, "For an open breaker: how long it refuses calls "
                        + "before letting trial calls through, in milliseconds.")
                .optionalTimestamp("nextAttemptAt",
                        "For an open breaker: when it will let trial calls through again (half-open).")
                .coalesceKey("circuitBreakerName")
                .build();
    }
}

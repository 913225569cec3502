package io.eventstreamer.sources.errorrecovery;

/**
 * The states of a circuit breaker, as they appear in {@code circuit-breaker-state-changed} events.
 *
 * <p>Every breaker has the first three. The others are the manual states of breakers that offer
 * them, such as Resilience4j's.
 */
public enum CircuitBreakerState {
    /** Calls pass through; failures are counted. */
    CLOSED("closed"),
    /** Calls are refused without being tried, until the wait time is over. */
    OPEN("open"),
    /** A limited number of trial calls pass, to decide between closing and opening again. */
    HALF_OPEN("half-open"),
    /** Held open by an operator: calls are refused until it is moved to another state. */
    FORCED_OPEN("forced-open"),
    /** Switched off by an operator: every call passes and nothing is counted. */
    DISABLED("disabled"),
    /** Every call passes; failures are counted but never open the breaker. */
    METRICS_ONLY("metrics-only");

    private final String wireName;

    CircuitBreakerState(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the payload, e.g. {@code "half-open"}. */
    public String wireName() {
        return wireName;
    }
}

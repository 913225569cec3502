package io.eventstreamer.sources.errorrecovery;

/** The states of a circuit breaker, as they appear in {@code circuit-breaker-state-changed} events. */
public enum CircuitBreakerState {
    /** Calls pass through; failures are counted. */
    CLOSED("closed"),
    /** Calls are refused without being tried, until the wait time is over. */
    OPEN("open"),
    /** A limited number of trial calls pass, to decide between closing and opening again. */
    HALF_OPEN("half-open");

    private final String wireName;

    CircuitBreakerState(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the payload, e.g. {@code "half-open"}. */
    public String wireName() {
        return wireName;
    }
}

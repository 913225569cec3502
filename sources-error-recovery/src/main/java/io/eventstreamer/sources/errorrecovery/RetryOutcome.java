package io.eventstreamer.sources.errorrecovery;

/** How a retry attempt ended, as it appears in {@code retry-completed} events. */
public enum RetryOutcome {
    /** The attempt succeeded; the operation is done. */
    SUCCEEDED("succeeded"),
    /** The attempt failed and another one is scheduled (a {@code retry-started} follows). */
    FAILED("failed"),
    /** The attempt failed and no attempts are left: the operation is given up. */
    EXHAUSTED("exhausted");

    private final String wireName;

    RetryOutcome(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the payload, e.g. {@code "exhausted"}. */
    public String wireName() {
        return wireName;
    }
}

package io.eventstreamer.sources.scheduler;

/** How a run of a schedule's task ended, as it appears in {@code execution-completed} events. */
public enum ExecutionStatus {
    /** The task completed without error. */
    SUCCEEDED("succeeded"),
    /** The task failed with an error. */
    FAILED("failed"),
    /** The task ran longer than it was allowed to and was stopped. */
    TIMED_OUT("timed-out"),
    /** The run was cancelled before it completed, e.g. by an operator or at shutdown. */
    CANCELLED("cancelled");

    private final String wireName;

    ExecutionStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the payload, e.g. {@code "timed-out"}. */
    public String wireName() {
        return wireName;
    }
}

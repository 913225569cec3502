package io.eventstreamer.core.internal.protocol;

/**
 * Why a client did not receive some events of a category: the {@code reason} of a {@code gap}
 * message, and of a failed resume in a {@code subscription-ack}.
 */
public enum GapReason {
    /** The id is older than what the history (or the Redis stream) still holds. */
    HISTORY_EXPIRED("history-expired"),
    /** The id is from a previous life of the server. */
    EPOCH_CHANGED("epoch-changed"),
    /** The id is malformed or was never issued. */
    UNKNOWN_ID("unknown-id"),
    /** The broker (Redis) could not be read during the resume. */
    BROKER_UNAVAILABLE("broker-unavailable"),
    /** Events were dropped from this client's queue: it did not read fast enough. */
    OVERFLOW("overflow");

    private final String wireName;

    GapReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}

package io.eventstreamer.core.internal.broker;

import java.util.List;

/**
 * The answer to {@link CategoryLog#replay}: the entries a resuming client missed, or why they
 * can't all be had.
 *
 * @param entries oldest first; empty on failure
 * @param failure null when every missed entry is here
 * @param missed how many were missed, when the broker can count them (on failure)
 */
public record Replay(List<LogEntry> entries, Failure failure, Long missed) {
    /** Why a resume can't replay everything; the wire names are the gap reasons of docs/protocol.md. */
    public enum Failure {
        /** The log no longer holds everything after the id. */
        HISTORY_EXPIRED,
        /** The id is from a previous life of a memory broker. */
        EPOCH_CHANGED,
        /** The id is malformed, or ahead of everything published. */
        UNKNOWN_ID,
        /** The log can't be read now. */
        BROKER_UNAVAILABLE
    }

    public static Replay of(List<LogEntry> entries) {
        return new Replay(List.copyOf(entries), null, null);
    }

    public static Replay failed(Failure failure, Long missed) {
        return new Replay(List.of(), failure, missed);
    }

    public boolean replayed() {
        return failure == null;
    }
}

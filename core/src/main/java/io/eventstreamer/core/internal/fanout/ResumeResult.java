package io.eventstreamer.core.internal.fanout;

import java.util.List;

/** What happened when a client asked to resume a category after an id. */
public final class ResumeResult {
    /** Why a resume failed; the wire names of the gap reasons. */
    public enum Failure {
        HISTORY_EXPIRED("history-expired"),
        EPOCH_CHANGED("epoch-changed"),
        UNKNOWN_ID("unknown-id"),
        /** The shared log (Redis) could not be read; the client receives live events from now on. */
        BROKER_UNAVAILABLE("broker-unavailable");

        private final String reason;

        Failure(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final String category;
    private final String lastId;
    private final Failure failure;
    private final int replayed;
    private final String continuesFrom;
    private final Long missed;

    private ResumeResult(String category, String lastId, Failure failure, int replayed, String continuesFrom,
            Long missed) {
        this.category = category;
        this.lastId = lastId;
        this.failure = failure;
        this.replayed = replayed;
        this.continuesFrom = continuesFrom;
        this.missed = missed;
    }

    static ResumeResult resumed(String category, String lastId, List<EncodedEvent> replay) {
        return new ResumeResult(category, lastId, null, replay.size(), null, null);
    }

    static ResumeResult failed(String category, String lastId, Failure failure, String continuesFrom, Long missed) {
        return new ResumeResult(category, lastId, failure, 0, continuesFrom, missed);
    }

    public String category() {
        return category;
    }

    public boolean resumed() {
        return failure == null;
    }

    /** The id the client asked to resume after. */
    public String lastId() {
        return lastId;
    }

    /** Why it failed; null when it succeeded. */
    public Failure failure() {
        return failure;
    }

    public int replayed() {
        return replayed;
    }

    /** On failure: the newest id published so far (the client receives what follows), or null. */
    public String continuesFrom() {
        return continuesFrom;
    }

    /** On failure: how many events the client missed, when known, else null. */
    public Long missed() {
        return missed;
    }
}

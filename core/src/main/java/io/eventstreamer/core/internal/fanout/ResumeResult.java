package io.eventstreamer.core.internal.fanout;

import io.eventstreamer.core.internal.protocol.GapReason;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import java.util.List;

/** What happened when a client asked to resume a category after an id. */
public final class ResumeResult {
    /** Why a resume failed; each is a reason of the {@code gap} the client gets. */
    public enum Failure {
        HISTORY_EXPIRED(GapReason.HISTORY_EXPIRED),
        EPOCH_CHANGED(GapReason.EPOCH_CHANGED),
        UNKNOWN_ID(GapReason.UNKNOWN_ID),
        /** The shared log (Redis) could not be read; the client receives live events from now on. */
        BROKER_UNAVAILABLE(GapReason.BROKER_UNAVAILABLE);

        private final GapReason gapReason;

        Failure(GapReason gapReason) {
            this.gapReason = gapReason;
        }

        public GapReason gapReason() {
            return gapReason;
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

    /** How the resume went, as the subscription-ack tells it. */
    public ServerMessage.SubscriptionAck.Resume ackEntry() {
        if (resumed()) {
            return ServerMessage.SubscriptionAck.Resume.resumed(category, replayed);
        }
        return ServerMessage.SubscriptionAck.Resume.failed(category, failure.gapReason());
    }

    /** The {@code gap} that follows the ack of a resume that failed. */
    public ServerMessage.Gap gap() {
        if (resumed()) {
            throw new IllegalStateException("the resume of " + category + " after " + lastId + " succeeded: no gap");
        }
        return new ServerMessage.Gap(category, failure.gapReason(), lastId, continuesFrom, missed);
    }
}

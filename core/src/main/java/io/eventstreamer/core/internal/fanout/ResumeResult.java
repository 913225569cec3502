package io.eventstreamer.core.internal.fanout;

import io.eventstreamer.core.internal.broker.Replay;
import io.eventstreamer.core.internal.protocol.GapReason;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import java.util.List;

/** What happened when a client asked to resume a category after an id; a failure is the broker's ({@link Replay.Failure}). */
public final class ResumeResult {
    private final String category;
    private final String lastId;
    private final Replay.Failure failure;
    private final int replayed;
    private final String continuesFrom;
    private final Long missed;

    private ResumeResult(String category, String lastId, Replay.Failure failure, int replayed, String continuesFrom,
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

    static ResumeResult failed(String category, String lastId, Replay.Failure failure, String continuesFrom, Long missed) {
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
    public Replay.Failure failure() {
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

    /** The gap reason a failure is told with (docs/protocol.md). */
    private static GapReason gapReason(Replay.Failure failure) {
        return switch (failure) {
            case HISTORY_EXPIRED -> GapReason.HISTORY_EXPIRED;
            case EPOCH_CHANGED -> GapReason.EPOCH_CHANGED;
            case UNKNOWN_ID -> GapReason.UNKNOWN_ID;
            case BROKER_UNAVAILABLE -> GapReason.BROKER_UNAVAILABLE;
        };
    }

    /** How the resume went, as the subscription-ack tells it. */
    public ServerMessage.SubscriptionAck.Resume ackEntry() {
        if (resumed()) {
            return ServerMessage.SubscriptionAck.Resume.resumed(category, replayed);
        }
        return ServerMessage.SubscriptionAck.Resume.failed(category, gapReason(failure));
    }

    /** The {@code gap} that follows the ack of a resume that failed. */
    public ServerMessage.Gap gap() {
        if (resumed()) {
            throw new IllegalStateException("the resume of " + category + " after " + lastId + " succeeded: no gap");
        }
        return new ServerMessage.Gap(category, gapReason(failure), lastId, continuesFrom, missed);
    }
}

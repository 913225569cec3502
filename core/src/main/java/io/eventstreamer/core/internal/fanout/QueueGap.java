package io.eventstreamer.core.internal.fanout;

import io.eventstreamer.core.internal.protocol.ServerMessage;

/** Events of one category dropped from a client's queue since the client was last told. */
final class QueueGap {
    private final String category;
    private long missed;
    private long firstSequence = Long.MAX_VALUE;
    private String firstMissed;
    private String resumeFrom;
    private long lastSequence = Long.MIN_VALUE;
    private String lastMissed;

    QueueGap(String category) {
        this.category = category;
    }

    void add(EncodedEvent dropped) {
        missed++;
        if (dropped.sequence() < firstSequence) {
            firstSequence = dropped.sequence();
            firstMissed = dropped.id();
            resumeFrom = dropped.previousId();
        }
        if (dropped.sequence() > lastSequence) {
            lastSequence = dropped.sequence();
            lastMissed = dropped.id();
        }
    }

    /** The {@code gap} to send: which category, how many, which ids, and where to resume from history. */
    ServerMessage.OverflowGap notice() {
        return new ServerMessage.OverflowGap(category, missed, firstMissed, lastMissed, resumeFrom);
    }
}

package io.eventstreamer.core.internal.fanout;

/**
 * A queue's size as one long, the count in the high bits and the bytes in the low 40, so that one
 * atomic addition counts a message and its bytes.
 */
final class QueueCounts {
    static final int COUNT_SHIFT = 40;
    /** One message of no bytes. */
    static final long ONE = 1L << COUNT_SHIFT;
    static final long BYTES_MASK = ONE - 1;
    private static final byte[] NO_SUFFIX = new byte[0];

    private QueueCounts() {
    }

    /** What one event costs in a queue: one, and its encoded length (without the recipient's clientId). */
    static long cost(EncodedEvent event) {
        return ONE + event.length(NO_SUFFIX);
    }

    /** What one control message costs: one, and its length. */
    static long cost(byte[] message) {
        return ONE + message.length;
    }

    static int countOf(long packed) {
        return (int) (packed >> COUNT_SHIFT);
    }

    static long bytesOf(long packed) {
        return packed & BYTES_MASK;
    }
}

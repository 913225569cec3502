package io.eventstreamer.core.internal.ws;

/**
 * A token bucket per connection for inbound messages, or for inbound frames. Used only from the
 * connection's reading thread (Jetty delivers one frame at a time), so it needs no locking.
 */
final class MessageRateLimiter {
    /** What to do with a message. */
    enum Verdict { ACCEPT, REFUSE_AND_TELL, REFUSE, CLOSE }

    private final double perNano;
    private final int burst;
    private double tokens;
    private long lastNanos;
    private int refusedInARow;

    MessageRateLimiter(int perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = System.nanoTime();
    }

    Verdict onMessage(long nowNanos) {
        if (take(nowNanos)) {
            refusedInARow = 0;
            return Verdict.ACCEPT;
        }
        refusedInARow++;
        if (refusedInARow == 1) {
            return Verdict.REFUSE_AND_TELL;
        }
        // A client that keeps going for another burst's worth after being told is abusive.
        return refusedInARow > burst ? Verdict.CLOSE : Verdict.REFUSE;
    }

    /** Takes a token; false when the bucket is empty (the caller decides what a refusal means). */
    boolean take(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * perNano);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}

package io.eventstreamer.client.internal;

import static java.util.Objects.requireNonNull;

import java.util.Random;

/**
 * Reconnect delays: exponential backoff with full jitter. After the {@code n}-th consecutive failed
 * attempt (counting from 0) the delay is uniformly random in {@code [0, min(max, min * 2^n)]}
 * milliseconds, so that many clients dropped at once don't come back at once.
 *
 * <p>Not thread-safe: it uses the client's {@link Random}, which only the client's own thread
 * touches.
 */
public final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private final Random random;

    public Backoff(long minMillis, long maxMillis, Random random) {
        if (minMillis <= 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException(String.format(
                    "reconnect delays must satisfy 0 < min <= max, but were min = %d ms, max = %d ms", minMillis, maxMillis));
        }
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = requireNonNull(random, "random is null");
    }

    /** The upper bound of the delay after {@code attempt} consecutive failures: {@code min(max, min * 2^attempt)}. */
    public long ceilingMillis(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt was " + attempt + " but must be >= 0");
        }
        if (attempt >= Long.numberOfLeadingZeros(minMillis)) {
            return maxMillis; // min * 2^attempt would overflow a long, so it is above max
        }
        return Math.min(maxMillis, minMillis << attempt);
    }

    /** A delay in {@code [0, ceilingMillis(attempt)]}. */
    public long delayMillis(int attempt) {
        long bound = ceilingMillis(attempt);
        if (bound < Long.MAX_VALUE) {
            bound++; // the ceiling itself is a possible delay
        }
        return random.nextLong(bound);
    }

    /**
     * The delay after the server closed with 1012 (service restart) while draining: short, since
     * the server asked the client to come back, but jittered over {@code [0, min]} so that the
     * clients of a batch spread out.
     */
    public long afterRestartMillis() {
        return random.nextLong(minMillis + 1);
    }
}

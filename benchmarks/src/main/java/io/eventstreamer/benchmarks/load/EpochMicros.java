package io.eventstreamer.benchmarks.load;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the epoch, read from the monotonic clock: the real-time
 * clock is read once and {@link System#nanoTime()} advances it, so stamps never go backwards within
 * a process and stay comparable with another process on the same machine to within clock-sync error.
 */
final class EpochMicros {
    private static final long BASE_NANOS;
    private static final long BASE_MICROS;

    static {
        Instant now = Instant.now();
        BASE_NANOS = System.nanoTime();
        BASE_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private EpochMicros() {
    }

    static long now() {
        return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1_000;
    }

    /** The epoch-micros value of a {@link System#nanoTime()} reading of this process. */
    static long ofNanoTime(long nanoTime) {
        return BASE_MICROS + (nanoTime - BASE_NANOS) / 1_000;
    }
}

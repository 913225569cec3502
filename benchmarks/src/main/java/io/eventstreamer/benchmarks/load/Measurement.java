package io.eventstreamer.benchmarks.load;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the counted connections received of the events numbered {@code startSeq} and later: one
 * measurement window. Written by the client's selector threads, read by the scenario when it ends.
 */
final class Measurement {
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final long startSeq;
    private final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    private final LongAdder received = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    Measurement(long startSeq) {
        this.startSeq = startSeq;
    }

    long startSeq() {
        return startSeq;
    }

    void record(long seq, long latencyMicros, int frameBytes) {
        if (seq < startSeq) {
            return;
        }
        received.increment();
        bytes.add(frameBytes);
        latency.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, latencyMicros)));
    }

    long received() {
        return received.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    /** The latencies recorded so far, in microseconds (call once, at the end). */
    Histogram latencies() {
        return latency.getIntervalHistogram();
    }
}

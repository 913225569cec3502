package io.eventstreamer.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes events at a fixed rate through {@code POST /api/events}, in batches.
 *
 * <p>Every event carries {@code "bench":"<epoch micros>:<sequence>"} as the first field of its data.
 * The stamp is the time the event was <em>due</em>, not the time it went out, so a publisher that
 * falls behind shows up as latency instead of hiding it (no coordinated omission). Sequences are
 * consecutive, so a measurement window is a range of them.
 */
final class Publisher implements AutoCloseable {
    private final Options options;
    private final HttpPoster http;
    private final EventBodies bodies;
    private final AtomicLong nextSeq = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final List<long[]> failedRanges = new ArrayList<>();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    Publisher(Options options) {
        this.options = options;
        this.http = new HttpPoster(options.target.resolve("/api/events"), options.publishConcurrency);
        this.bodies = new EventBodies(options.categories, options.payloadBytes);
    }

    /** The sequence number the next event will get. */
    long nextSeq() {
        return nextSeq.get();
    }

    long accepted() {
        return accepted.get();
    }

    String firstFailure() {
        return firstFailure.get();
    }

    /** Events in [from, to) that the server refused or that never got an answer. */
    synchronized long failedBetween(long from, long to) {
        long n = 0;
        for (long[] r : failedRanges) {
            n += Math.max(0, Math.min(to, r[1]) - Math.max(from, r[0]));
        }
        return n;
    }

    /**
     * Publishes at {@code eventsPerSecond} for {@code duration}, then waits for the answers to every
     * POST. Returns the seconds from the first due time to the last POST actually sent.
     */
    double run(double eventsPerSecond, Duration duration) throws InterruptedException {
        int batch = options.batchFor(eventsPerSecond);
        long intervalNanos = Math.max(1, Math.round(batch * 1e9 / eventsPerSecond));
        long batches = Math.max(1, duration.toNanos() / intervalNanos);
        long start = System.nanoTime();
        long lastSent = start;
        for (long k = 0; k < batches; k++) {
            long due = start + k * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send(batch, EpochMicros.ofNanoTime(due));
            lastSent = System.nanoTime();
        }
        if (!http.awaitIdle(60)) {
            failed(nextSeq.get(), nextSeq.get(), "POSTs still unanswered 60 s after the last one");
        }
        return Math.max(lastSent - start, duration.toNanos()) / 1e9;
    }

    private void send(int batch, long stampMicros) throws InterruptedException {
        long first = nextSeq.getAndAdd(batch);
        boolean array = batch > 1 || options.publish == Options.PublishMode.HTTP_BATCH;
        String body = bodies.body(first, batch, stampMicros, array);
        http.post(body.getBytes(StandardCharsets.UTF_8), (status, answer) -> {
            if (status == 202) {
                accepted.addAndGet(batch);
            } else {
                failed(first, first + batch, status == 0 ? answer : "HTTP " + status + " " + answer);
            }
        });
    }

    /** Closes the connections to the server. */
    @Override
    public void close() {
        http.close();
    }

    private synchronized void failed(long from, long to, String why) {
        failedRanges.add(new long[] {from, to});
        firstFailure.compareAndSet(null, why);
    }
}

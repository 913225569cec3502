package io.eventstreamer.core.internal.http;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket per publisher (a publish token, or a remote address): {@code perSecond} events a
 * second on average, {@code burst} at once. A request takes as many tokens as it has events, all
 * or none.
 *
 * <p>The buckets are bounded: a bucket that has filled up again is the same as a new one, so when
 * there are more than {@link #MAX_BUCKETS} the full ones are dropped. Should that not be enough
 * (that many publishers all busy at once), a new publisher is refused until some bucket fills.
 */
final class PublishRateLimiter {
    static final int MAX_BUCKETS = 10_000;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double perNano;
    private final int perSecond;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    PublishRateLimiter(int perSecond, int burst) {
        this.perSecond = perSecond;
        this.perNano = (double) perSecond / NANOS_PER_SECOND;
        this.burst = burst;
    }

    /**
     * Takes {@code events} tokens from {@code publisher}'s bucket.
     *
     * @return 0 when taken, otherwise the whole seconds to wait before the request could pass
     */
    long tryAcquire(String publisher, int events) {
        long now = System.nanoTime();
        Bucket bucket = buckets.get(publisher);
        if (bucket == null) {
            if (buckets.size() >= MAX_BUCKETS) {
                dropFull(now);
                if (buckets.size() >= MAX_BUCKETS) {
                    return 1;
                }
            }
            bucket = buckets.computeIfAbsent(publisher, p -> new Bucket(burst, now));
        }
        return bucket.take(events, now);
    }

    /**
     * Whether {@code publisher} could publish one event now, without taking it: lets a flood be
     * refused before its body is read.
     *
     * @return 0 when it could, otherwise the whole seconds to wait
     */
    long retryAfterForOne(String publisher) {
        Bucket bucket = buckets.get(publisher);
        return bucket == null ? 0 : bucket.waitFor(1, System.nanoTime());
    }

    /** How many publishers have a bucket (for tests and diagnostics). */
    int size() {
        return buckets.size();
    }

    private void dropFull(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (it.next().isFull(now)) {
                it.remove();
            }
        }
    }

    private final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        synchronized long take(int events, long now) {
            long wait = waitFor(events, now);
            if (wait == 0) {
                tokens -= events;
            }
            return wait;
        }

        synchronized long waitFor(int events, long now) {
            refill(now);
            if (tokens >= events) {
                return 0;
            }
            // A request larger than the burst never passes; its wait is what a burst-sized one would need.
            double missing = Math.min(events, burst) - tokens;
            return Math.max(1, (long) Math.ceil(missing / perSecond));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - updated) * perNano);
            updated = now;
        }
    }
}

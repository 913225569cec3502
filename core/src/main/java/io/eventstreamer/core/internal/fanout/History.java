package io.eventstreamer.core.internal.fanout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A category's recent events, bounded by count and age: a ring of the newest {@code capacity}
 * events. Sequences are contiguous, so finding the events after an id is arithmetic.
 * Not thread-safe: the owning {@link CategoryChannel} guards it with its lock.
 */
final class History {
    private final EncodedEvent[] ring;
    private final long maxAgeMillis;
    private int start;
    private int size;

    History(int capacity, long maxAgeMillis) {
        this.ring = new EncodedEvent[capacity];
        this.maxAgeMillis = maxAgeMillis;
    }

    void append(EncodedEvent event) {
        if (ring.length == 0) {
            return;
        }
        if (size == ring.length) {
            ring[start] = null;
            start = (start + 1) % ring.length;
            size--;
        }
        ring[(start + size) % ring.length] = event;
        size++;
    }

    /** Drops events older than the maximum age. */
    void expire(long nowMillis) {
        while (size > 0 && nowMillis - ring[start].publishedAtMillis() > maxAgeMillis) {
            ring[start] = null;
            start = (start + 1) % ring.length;
            size--;
        }
    }

    /** The sequence of the oldest event held, or -1 when empty. */
    long oldestSequence() {
        return size == 0 ? -1 : ring[start].sequence();
    }

    /** The events with a sequence greater than {@code sequence}, oldest first; the caller checks coverage. */
    List<EncodedEvent> after(long sequence) {
        if (size == 0) {
            return Collections.emptyList();
        }
        long oldest = ring[start].sequence();
        int skip = (int) Math.max(0, sequence - oldest + 1);
        List<EncodedEvent> events = new ArrayList<>(Math.max(0, size - skip));
        for (int i = skip; i < size; i++) {
            events.add(ring[(start + i) % ring.length]);
        }
        return events;
    }

    int size() {
        return size;
    }
}

package io.eventstreamer.core.internal.fanout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A category's recent events, bounded by count, bytes and age: a ring of the newest events, at
 * most {@code capacity} of them and at most {@code maxBytes} of their encoded bytes. The oldest
 * leave first, so sequences stay contiguous and finding the events after an id is arithmetic; an
 * event larger than {@code maxBytes} on its own leaves at once, with everything before it.
 * Not thread-safe: the owning {@link CategoryChannel} guards it with its lock.
 */
final class History {
    private static final byte[] NO_SUFFIX = new byte[0];

    private final EncodedEvent[] ring;
    private final long maxBytes;
    private final long maxAgeMillis;
    private int start;
    private int size;
    private long bytes;

    History(int capacity, long maxBytes, long maxAgeMillis) {
        this.ring = new EncodedEvent[capacity];
        this.maxBytes = maxBytes;
        this.maxAgeMillis = maxAgeMillis;
    }

    /** What an event costs in history: its encoded bytes, shared by all its recipients. */
    static long cost(EncodedEvent event) {
        return event.frameLength(NO_SUFFIX);
    }

    void append(EncodedEvent event) {
        if (ring.length == 0) {
            return;
        }
        if (size == ring.length) {
            removeOldest();
        }
        ring[(start + size) % ring.length] = event;
        size++;
        bytes += cost(event);
        // Each event is removed at most once, so appending is O(1) amortized.
        while (bytes > maxBytes) {
            removeOldest();
        }
    }

    /** Drops events older than the maximum age. */
    void expire(long nowMillis) {
        while (size > 0 && nowMillis - ring[start].publishedAtMillis() > maxAgeMillis) {
            removeOldest();
        }
    }

    private void removeOldest() {
        bytes -= cost(ring[start]);
        ring[start] = null;
        start = (start + 1) % ring.length;
        size--;
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
        int skip = (int) Math.min(size, Math.max(0, sequence - oldest + 1));
        List<EncodedEvent> events = new ArrayList<>(size - skip);
        for (int i = skip; i < size; i++) {
            events.add(ring[(start + i) % ring.length]);
        }
        return events;
    }

    int size() {
        return size;
    }

    /** The encoded bytes of the events held. */
    long bytes() {
        return bytes;
    }
}

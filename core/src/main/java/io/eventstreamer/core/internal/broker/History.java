package io.eventstreamer.core.internal.broker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A category's recent events in a memory broker, bounded by count, bytes and age: a ring of the
 * newest entries, at most {@code capacity} of them and at most {@code maxBytes} of their encoded
 * bytes. The oldest leave first, so sequences stay contiguous and finding the entries after one is
 * arithmetic; an entry larger than {@code maxBytes} on its own leaves at once, with everything
 * before it. Not thread-safe: its {@link MemoryBroker} log guards it.
 */
final class History {
    private final LogEntry[] ring;
    private final long[] sequences;
    private final long maxBytes;
    private final long maxAgeMillis;
    private int start;
    private int size;
    private long bytes;

    History(int capacity, long maxBytes, long maxAgeMillis) {
        this.ring = new LogEntry[capacity];
        this.sequences = new long[capacity];
        this.maxBytes = maxBytes;
        this.maxAgeMillis = maxAgeMillis;
    }

    void append(LogEntry entry, long sequence) {
        if (ring.length == 0) {
            return;
        }
        if (size == ring.length) {
            removeOldest();
        }
        int at = (start + size) % ring.length;
        ring[at] = entry;
        sequences[at] = sequence;
        size++;
        bytes += entry.cost();
        // Each entry is removed at most once, so appending is O(1) amortized.
        while (bytes > maxBytes) {
            removeOldest();
        }
    }

    /** Drops entries older than the maximum age. */
    void expire(long nowMillis) {
        while (size > 0 && nowMillis - ring[start].publishedAtMillis() > maxAgeMillis) {
            removeOldest();
        }
    }

    private void removeOldest() {
        bytes -= ring[start].cost();
        ring[start] = null;
        start = (start + 1) % ring.length;
        size--;
    }

    /** The sequence of the oldest entry held, or -1 when empty. */
    long oldestSequence() {
        return size == 0 ? -1 : sequences[start];
    }

    /** The entries with a sequence in {@code (after, upTo]}, oldest first; the caller checks coverage. */
    List<LogEntry> between(long after, long upTo) {
        if (size == 0) {
            return Collections.emptyList();
        }
        long oldest = sequences[start];
        int from = (int) Math.min(size, Math.max(0, after - oldest + 1));
        int to = (int) Math.min(size, Math.max(0, upTo - oldest + 1));
        List<LogEntry> entries = new ArrayList<>(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            entries.add(ring[(start + i) % ring.length]);
        }
        return entries;
    }

    int size() {
        return size;
    }

    /** The encoded bytes of the entries held. */
    long bytes() {
        return bytes;
    }
}

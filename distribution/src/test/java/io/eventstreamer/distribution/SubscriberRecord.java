package io.eventstreamer.distribution;

import java.util.BitSet;

/**
 * What one client received of the numbered events of {@link PacedPublisher}: which, how often,
 * in which order, and how many gap notices. Updated on the client's callback thread.
 */
final class SubscriberRecord {
    private final String name;
    private final BitSet received = new BitSet();
    private int last = -1;
    private long delivered;
    private long duplicated;
    private long outOfOrder;
    private long gaps;
    private volatile boolean subscribed;
    private volatile String startId;
    private volatile long subscribedAtNanos;

    SubscriberRecord(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** The first acknowledged subscription: where the server said the client starts. */
    void firstSubscribed(String lastId) {
        if (!subscribed) {
            startId = lastId;
            subscribedAtNanos = System.nanoTime();
            subscribed = true;
        }
    }

    boolean subscribed() {
        return subscribed;
    }

    /** The first ack's lastId for the category (null if it had none). */
    String startId() {
        return startId;
    }

    long subscribedAtNanos() {
        return subscribedAtNanos;
    }

    synchronized void event(int sequence) {
        delivered++;
        if (received.get(sequence)) {
            duplicated++;
            return;
        }
        if (sequence < last) {
            outOfOrder++;
        }
        received.set(sequence);
        last = Math.max(last, sequence);
    }

    synchronized void gap() {
        gaps++;
    }

    /** How many of {@code expected} have not arrived. */
    synchronized int missing(BitSet expected) {
        BitSet missing = (BitSet) expected.clone();
        missing.andNot(received);
        return missing.cardinality();
    }

    /** The received events that are not in {@code acknowledged}. */
    synchronized BitSet outside(BitSet acknowledged) {
        BitSet outside = (BitSet) received.clone();
        outside.andNot(acknowledged);
        return outside;
    }

    synchronized long delivered() {
        return delivered;
    }

    synchronized long duplicated() {
        return duplicated;
    }

    synchronized long outOfOrder() {
        return outOfOrder;
    }

    synchronized long gaps() {
        return gaps;
    }
}

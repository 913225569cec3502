package io.eventstreamer.core.internal.fanout;

import static io.eventstreamer.core.internal.fanout.QueueCounts.cost;
import static io.eventstreamer.core.internal.fanout.QueueCounts.countOf;
import static io.eventstreamer.core.internal.fanout.QueueCounts.bytesOf;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A client's control messages, drained before its events and never dropped: server messages
 * caused by the client itself (acks, errors, JSON pongs...) or by the host (gaps of a resume,
 * token warnings), in order; at most one transport control reply (a WebSocket PONG), which a newer
 * one replaces while it is not sent; and at most one heartbeat ping not sent yet.
 *
 * <p>Server messages are bounded in count and bytes ({@link ClientSession.Bounds}): past them,
 * {@link #offer} refuses, and the session closes a client that doesn't read its replies.
 */
final class ControlQueue {
    private static final AtomicLongFieldUpdater<ControlQueue> QUEUED =
            AtomicLongFieldUpdater.newUpdater(ControlQueue.class, "queued");
    private static final AtomicReferenceFieldUpdater<ControlQueue, byte[]> PENDING_PING =
            AtomicReferenceFieldUpdater.newUpdater(ControlQueue.class, byte[].class, "pendingPing");

    // Server messages (byte[], counted) and at most one control reply (ControlReply), in the order
    // they are to be sent.
    private final ConcurrentLinkedQueue<Object> messages = new ConcurrentLinkedQueue<>();
    private volatile long queued;
    // The control reply in the queue while it is not sent yet: a newer one replaces its payload.
    private volatile ControlReply queuedReply;
    private volatile byte[] pendingPing;

    /** Queues a server message; false, and nothing queued, when that would pass {@code bounds}. */
    boolean offer(byte[] message, ClientSession.Bounds bounds) {
        long total = QUEUED.addAndGet(this, cost(message));
        if (countOf(total) > bounds.controlMessages() || bytesOf(total) > bounds.controlBytes()) {
            QUEUED.addAndGet(this, -cost(message));
            return false;
        }
        messages.offer(message);
        return true;
    }

    /**
     * Queues the transport's control reply carrying {@code payload}, or replaces the payload of the
     * one not sent yet, which keeps its place. Called from the connection's reading thread only.
     */
    void offerReply(byte[] payload) {
        ControlReply reply = queuedReply;
        if (reply != null && reply.replace(payload)) {
            return;
        }
        reply = new ControlReply(payload);
        queuedReply = reply;
        messages.offer(reply);
    }

    /** Queues the heartbeat ping, once: a ping not sent yet is not queued again. */
    void offerPing(byte[] ping) {
        pendingPing = ping;
    }

    /** Whether nothing is waiting. */
    boolean isEmpty() {
        return messages.isEmpty() && pendingPing == null;
    }

    /** Server messages queued (not counting a pending control reply or ping). */
    int queuedMessages() {
        return Math.max(0, countOf(queued));
    }

    /** Moves what is queued into {@code batch}, up to {@code maxMessages} in it, then the ping. */
    void takeInto(OutboundBatch batch, int maxMessages) {
        Object next;
        long taken = 0;
        while (batch.size() < maxMessages && (next = messages.poll()) != null) {
            if (next instanceof ControlReply) {
                batch.addControlReply(((ControlReply) next).take());
            } else {
                byte[] message = (byte[]) next;
                batch.add(message);
                taken += cost(message);
            }
        }
        if (taken != 0) {
            QUEUED.addAndGet(this, -taken);
        }
        byte[] ping;
        if (pendingPing != null && (ping = PENDING_PING.getAndSet(this, null)) != null) {
            batch.add(ping);
        }
    }

    void clear() {
        messages.clear();
        queued = 0;
        queuedReply = null;
        pendingPing = null;
    }

    /** A control reply waiting in the queue; until it is taken, a newer one's payload replaces its own. */
    private static final class ControlReply {
        private static final AtomicReferenceFieldUpdater<ControlReply, byte[]> PAYLOAD =
                AtomicReferenceFieldUpdater.newUpdater(ControlReply.class, byte[].class, "payload");
        private volatile byte[] payload;

        ControlReply(byte[] payload) {
            this.payload = payload;
        }

        /** Replaces the payload; false when the reply was already taken to be sent. */
        boolean replace(byte[] newer) {
            byte[] current;
            do {
                current = payload;
                if (current == null) {
                    return false;
                }
            } while (!PAYLOAD.compareAndSet(this, current, newer));
            return true;
        }

        /** The payload to send; the reply can't be replaced any more. */
        byte[] take() {
            return PAYLOAD.getAndSet(this, null);
        }
    }
}

package io.eventstreamer.core.internal.fanout;

import static io.eventstreamer.core.internal.fanout.QueueCounts.bytesOf;
import static io.eventstreamer.core.internal.fanout.QueueCounts.cost;
import static io.eventstreamer.core.internal.fanout.QueueCounts.countOf;

import io.eventstreamer.core.internal.config.OverflowPolicy;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * A client's events on their way out, with their overflow strategy: the live queue, the replay of
 * a resume (sent first), and what was dropped since the client was last told.
 *
 * <p>Publishers add without a lock; the count is kept before an event is offered and after it is
 * taken, so it is never less than what is queued. Dropping, the pending gaps, a pause and the
 * flusher's taking of events happen under this queue's lock.
 *
 * <p>Bounds ({@link ClientSession.Bounds}): for a slow client (its socket has not taken a write for
 * {@link ClientSession#SLOW_AFTER_NANOS}), {@code message-queue-size} events and
 * {@code message-queue-bytes}; for any other, the burst allowance more. While a replay is queued,
 * live events get as much extra room as it holds, never more than the bounds again. Past them, the
 * event's overflow policy applies: drop the oldest (coalesce: first the older event of the same
 * thing), or disconnect.
 */
final class OutboundQueue {
    private static final AtomicLongFieldUpdater<OutboundQueue> QUEUED =
            AtomicLongFieldUpdater.newUpdater(OutboundQueue.class, "queued");

    private final ClientSession.Bounds bounds;
    private final ConcurrentLinkedQueue<EncodedEvent> events = new ConcurrentLinkedQueue<>();
    private volatile long queued;
    // Created by the first resume: most clients never replay. Changed with the lock held.
    private volatile ConcurrentLinkedQueue<EncodedEvent> replay;
    private volatile long replayQueued;
    private volatile long droppedTotal;
    // Counts the ends of pauses; read by the flusher before it polls the control queue, so that a
    // pass which polled before a subscription's ack was queued takes no event released after it.
    private volatile int pausesEnded;
    // Guarded by this.
    private Map<String, QueueGap> pendingGaps;
    private long droppedSinceNotice;
    private boolean paused;

    OutboundQueue(ClientSession.Bounds bounds) {
        this.bounds = bounds;
    }

    /** Adds {@code event}; true when the queue is now past its bounds for a client that is {@code slow}. */
    boolean add(EncodedEvent event, SlowCheck slow) {
        long total = QUEUED.addAndGet(this, cost(event));
        events.offer(event);
        return full(total, true) && (full(total, false) || slow.isSlow());
    }

    /** Whether a client is slow now: asked only once the queue is past the slow client's bounds. */
    interface SlowCheck {
        boolean isSlow();
    }

    private boolean full(long live, boolean slow) {
        long replayed = replayQueued;
        ClientSession.Bounds b = bounds;
        int count = b.events() + Math.min(countOf(replayed), b.events()) + (slow ? 0 : b.burstEvents());
        long bytes = b.eventBytes() + Math.min(bytesOf(replayed), b.eventBytes()) + (slow ? 0 : b.burstBytes());
        return countOf(live) > count || bytesOf(live) > bytes;
    }

    /**
     * Makes room for {@code newest}, which put the queue past its bounds, by its category's overflow
     * policy: false when the policy is to disconnect (the caller closes the client).
     */
    boolean makeRoom(EncodedEvent newest, boolean slow) {
        OverflowPolicy policy = newest.overflowPolicy();
        if (policy == OverflowPolicy.DISCONNECT) {
            return false;
        }
        synchronized (this) {
            if (policy == OverflowPolicy.COALESCE && newest.coalesceKey() != null) {
                for (EncodedEvent older : events) {
                    if (older != newest && older.sameThingAs(newest) && events.remove(older)) {
                        dropped(older);
                        break;
                    }
                }
            }
            // One event out for one in, unless the newest is larger than what it displaced.
            while (full(queued, slow)) {
                EncodedEvent oldest = events.poll();
                if (oldest == null) {
                    break;
                }
                dropped(oldest);
            }
        }
        return true;
    }

    // Called with the lock held.
    private void dropped(EncodedEvent event) {
        event.countDrop();
        QUEUED.addAndGet(this, -cost(event));
        droppedTotal++;
        droppedSinceNotice++;
        if (pendingGaps == null) {
            pendingGaps = new LinkedHashMap<>();
        }
        pendingGaps.computeIfAbsent(event.category(), QueueGap::new).add(event);
    }

    /**
     * Queues events replayed from history, in place of what is left of an earlier replay of their
     * category. They are not counted against the live queue's bounds (history bounds them).
     */
    void addReplay(List<EncodedEvent> replayed) {
        long added = 0;
        for (EncodedEvent event : replayed) {
            added += cost(event);
        }
        synchronized (this) {
            ConcurrentLinkedQueue<EncodedEvent> queue = replay;
            if (queue == null) {
                queue = new ConcurrentLinkedQueue<>();
                replay = queue;
            } else {
                removeReplay(replayed.get(0).category());
            }
            queue.addAll(replayed);
            replayQueued += added;
        }
    }

    synchronized void pause() {
        paused = true;
    }

    synchronized void resume() {
        paused = false;
        pausesEnded++;
    }

    /** How many pauses have ended: read before polling the control queue, given to {@link #takeInto}. */
    int pausesEnded() {
        return pausesEnded;
    }

    /** Drops the queued replay and live events of {@code category}. */
    synchronized void removeCategory(String category) {
        long removed = removeOfCategory(events, category);
        if (removed != 0) {
            QUEUED.addAndGet(this, -removed);
        }
        removeReplay(category);
    }

    // Called with the lock held.
    private void removeReplay(String category) {
        ConcurrentLinkedQueue<EncodedEvent> queue = replay;
        if (queue != null) {
            replayQueued -= removeOfCategory(queue, category);
        }
    }

    private static long removeOfCategory(ConcurrentLinkedQueue<EncodedEvent> queue, String category) {
        long removed = 0;
        for (Iterator<EncodedEvent> it = queue.iterator(); it.hasNext();) {
            EncodedEvent event = it.next();
            if (event.category().equals(category)) {
                it.remove();
                removed += cost(event);
            }
        }
        return removed;
    }

    /** Whether there is something to send: a drop to report, or events while not paused. */
    synchronized boolean hasWork() {
        return droppedSinceNotice > 0 || (!paused && (!noReplay() || !events.isEmpty()));
    }

    /** Whether no event is queued (live or replay). */
    boolean isEmpty() {
        return events.isEmpty() && noReplay();
    }

    private boolean noReplay() {
        ConcurrentLinkedQueue<EncodedEvent> queue = replay;
        return queue == null || queue.isEmpty();
    }

    /**
     * Moves into {@code batch} the notices of what was dropped, then replayed events, then live
     * events, while the batch has room; no event when paused, or when a pause ended after
     * {@code pausesEndedBefore} was read. Returns when the last live event taken was published
     * ({@link EncodedEvent#publishedAtNanos()}), 0 when none was taken.
     */
    long takeInto(OutboundBatch batch, byte[] clientIdSuffix, int maxMessages, int maxBytes, int pausesEndedBefore) {
        synchronized (this) {
            if (droppedSinceNotice > 0) {
                batch.add(ServerMessages.encode(new ServerMessage.EventsDropped(droppedSinceNotice)));
                for (QueueGap gap : pendingGaps.values()) {
                    batch.add(ServerMessages.encode(gap.notice()));
                }
                droppedSinceNotice = 0;
                pendingGaps = null;
            }
            if (paused || pausesEnded != pausesEndedBefore) {
                return 0;
            }
            EncodedEvent event;
            EncodedEvent lastEvent = null;
            ConcurrentLinkedQueue<EncodedEvent> replayed = replay;
            long taken = 0;
            while (replayed != null && batch.hasRoom(maxMessages, maxBytes) && (event = replayed.poll()) != null) {
                taken += cost(event);
                batch.add(event, clientIdSuffix);
                event.countDelivery();
            }
            if (taken != 0) {
                replayQueued -= taken;
                taken = 0;
            }
            while (batch.hasRoom(maxMessages, maxBytes) && (event = events.poll()) != null) {
                taken += cost(event);
                batch.add(event, clientIdSuffix);
                event.countDelivery();
                lastEvent = event;
            }
            if (taken != 0) {
                // After taking: the count is never below what is queued.
                QUEUED.addAndGet(this, -taken);
            }
            return lastEvent == null ? 0 : lastEvent.publishedAtNanos();
        }
    }

    void clear() {
        events.clear();
        ConcurrentLinkedQueue<EncodedEvent> queue = replay;
        if (queue != null) {
            queue.clear();
        }
        replayQueued = 0;
        queued = 0;
    }

    /** Live events queued (not counting a replay). */
    int queuedEvents() {
        return Math.max(0, countOf(queued));
    }

    /** Bytes of the live events queued. */
    long queuedBytes() {
        return Math.max(0, bytesOf(queued));
    }

    int queuedReplay() {
        return countOf(replayQueued);
    }

    long droppedTotal() {
        return droppedTotal;
    }
}

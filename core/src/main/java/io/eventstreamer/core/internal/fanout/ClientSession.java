package io.eventstreamer.core.internal.fanout;

import io.eventstreamer.core.internal.auth.Principal;
import io.eventstreamer.core.internal.config.OverflowPolicy;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.protocol.ErrorCode;
import io.eventstreamer.core.internal.protocol.EventEnvelope;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.LongConsumer;

/**
 * One connected client: its id, its categories and its bounded outbound queue.
 *
 * <p>Publishers only enqueue (never block, never touch the socket). A flusher thread drains the
 * queue and hands the messages to the connection as one batch, with one batch in flight per client;
 * the next drain starts when the batch has been written. So a client that does not
 * read simply accumulates queued events until its queue is full, and then the overflow policy
 * applies to it alone.
 *
 * <p>A client is slow when its socket does not take bytes: a batch handed to it has not been
 * written for {@link #SLOW_AFTER_NANOS}. Only then do the queue's bounds apply. Events that wait
 * because the server has not written them yet (a whole POST is queued to every subscriber before
 * the flushers wake, see {@link FlusherThreads#deferWakeUps()}), or because the client reads a
 * burst a little slower than the server writes it, are not dropped: a client that is not slow may
 * go beyond its bounds by {@link #BURST_BATCHES} publish batches ({@link Bounds#burstEvents()}).
 * Once it is slow, the next event cuts its queue back to the bounds.
 *
 * <p>Every queue is bounded in count and in bytes ({@link Bounds}):
 * <ul>
 * <li>Live events: at most {@code message-queue-size} events and {@code message-queue-bytes} of
 * encoded events for a slow client; beyond either, the overflow policy applies (drop with a gap,
 * or close 1008). For any other, the burst allowance more. While a replay is queued,
 * live events wait behind it and get as much extra room as the replay holds, but never more than
 * the bounds again: at most twice each bound in all.
 * <li>Replay: at most one per category (a new resume of the category replaces what is left of the
 * previous one); history bounds each. Unsubscribing drops a category's replay and live events.
 * <li>Control messages have their own queue, drained first and never dropped: they are caused by
 * the client itself or by the heartbeat. The transport's control reply (a WebSocket PONG) and the
 * heartbeat ping are each kept once (a newer ping's reply replaces an unsent one); the other messages (acks, errors, JSON pongs...)
 * are bounded in count and bytes, and a client that lets them pile up beyond that does not read:
 * it is closed with 1008.
 * </ul>
 */
public final class ClientSession {
    private static final int IDLE = 0;
    private static final int SCHEDULED = 1;
    private static final int CLOSED = 2;
    private static final int MAX_MESSAGES_PER_DRAIN = 256;
    /**
     * A drain pass stops taking events once its batch holds this many bytes (the first event always
     * goes): the batch is a copy that a client which doesn't read keeps until it is closed, so it
     * must not be 256 large events. 256 KiB is the most a flusher's reusable buffer keeps, and more
     * than 256 messages of a typical 355-byte event: small events still go 256 to a write (64 KiB, 180
     * of them, cost 12% of the ingest rate and lost events at 200,000 events/s).
     */
    static final int MAX_BYTES_PER_DRAIN = 256 * 1024;
    /**
     * A client is slow once its socket has not taken a batch for this long. A client that reads as
     * fast as it can still falls behind the server for a few milliseconds when four POSTs of 1,000
     * events arrive at once; one that has not read for a second is behind the stream.
     */
    static final long SLOW_AFTER_NANOS = 1_000_000_000L;
    /** Publish batches (limits.max-events-per-publish, publish.max-body-size) a client that is not slow may have queued beyond its bounds. */
    public static final int BURST_BATCHES = 4;
    private static final String[] NO_CATEGORIES = new String[0];
    private static final byte[] NO_SUFFIX = new byte[0];
    // Queue sizes are kept as one long, the count in the high bits and the bytes in the low 40, so
    // that one atomic addition counts an event and its bytes.
    private static final int COUNT_SHIFT = 40;
    private static final long ONE = 1L << COUNT_SHIFT;
    private static final long BYTES_MASK = ONE - 1;
    private static final AtomicLongFieldUpdater<ClientSession> QUEUED =
            AtomicLongFieldUpdater.newUpdater(ClientSession.class, "queued");
    private static final AtomicLongFieldUpdater<ClientSession> CONTROL_QUEUED =
            AtomicLongFieldUpdater.newUpdater(ClientSession.class, "controlQueued");
    private static final AtomicReferenceFieldUpdater<ClientSession, byte[]> PENDING_PING =
            AtomicReferenceFieldUpdater.newUpdater(ClientSession.class, byte[].class, "pendingPing");
    private static final AtomicIntegerFieldUpdater<ClientSession> STATE =
            AtomicIntegerFieldUpdater.newUpdater(ClientSession.class, "state");
    private static final AtomicLongFieldUpdater<ClientSession> DROPPED_TOTAL =
            AtomicLongFieldUpdater.newUpdater(ClientSession.class, "droppedTotal");
    private static final int NOTHING_SENT = 0;
    private static final int WRITTEN = 1;
    private static final int WRITING = 2;

    private final long connectionNumber;
    // A SocketAddress the connection holds anyway (formatted when asked), or a String.
    private final Object remoteAddress;
    private final Transport transport;
    // The transport's, read once: null when it takes one message at a time.
    private final Framing framing;
    private final Executor flusher;
    // Shared by every connection of a host (one reference here instead of six fields).
    private final Bounds bounds;
    private final long connectedAtMillis;
    private final LongConsumer writeLatency;

    private final ConcurrentLinkedQueue<EncodedEvent> events = new ConcurrentLinkedQueue<>();
    // Counted before an event is offered and after it is taken, so never less than what is queued.
    private volatile long queued;
    // Created by the first resume: most clients never replay. Changed with queueLock held.
    private volatile ConcurrentLinkedQueue<EncodedEvent> replay;
    private volatile long replayQueued;
    // Server messages (byte[], counted like the events) and at most one control reply
    // (ControlReply), in the order they are to be sent.
    private final ConcurrentLinkedQueue<Object> control = new ConcurrentLinkedQueue<>();
    private volatile long controlQueued;
    // The control reply in the control queue while it is not sent yet: a newer one replaces its payload.
    private volatile ControlReply queuedReply;
    // The heartbeat ping not sent yet.
    private volatile byte[] pendingPing;
    private volatile int state = IDLE;
    private volatile long droppedTotal;
    // Guards dropping, the pending gaps, the pause and the flusher's taking of events.
    private final Object queueLock = new Object();
    private Map<String, QueueGap> pendingGaps;
    private long droppedSinceNotice;
    private boolean paused;
    // Counts the ends of pauses; read by the flusher before it polls the control queue, so that a
    // pass which polled before a subscription's ack was queued takes no event released after it.
    private volatile int pausesEnded;
    private String[] categories = NO_CATEGORIES;
    private final WriteCallback lastWrite = new WriteCallback();
    private final Runnable drainTask = this::drain;

    private volatile String clientId;
    private volatile byte[] clientIdSuffix;
    private volatile long lastSeenNanos;
    private volatile long pingSentNanos;
    private volatile long lastPongRoundTripMillis = -1;
    private volatile boolean closing;
    private volatile CloseCause closeCause;
    private volatile Principal principal;
    private volatile boolean expiryWarned;

    /**
     * @param writeLatency receives, for each write of events, the time from publishing the last
     *        event in it until the write completed
     */
    public ClientSession(long connectionNumber, Object remoteAddress, Transport transport, Executor flusher,
            Bounds bounds, LongConsumer writeLatency) {
        this.writeLatency = writeLatency;
        this.connectionNumber = connectionNumber;
        this.remoteAddress = remoteAddress;
        this.transport = transport;
        this.framing = transport.framing();
        this.flusher = flusher;
        this.bounds = bounds;
        this.connectedAtMillis = System.currentTimeMillis();
        this.lastSeenNanos = System.nanoTime();
        setClientId("client-" + connectionNumber);
    }

    public long connectionNumber() {
        return connectionNumber;
    }

    /** The name of the connection's transport: "websocket", "sse". */
    public String transportName() {
        return transport.name();
    }

    public String remoteAddress() {
        return describe(remoteAddress);
    }

    /** "host:port" for a socket address; anything else as its string. */
    public static String describe(Object address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    public String clientId() {
        return clientId;
    }

    public void setClientId(String id) {
        this.clientIdSuffix = EventEnvelope.clientIdSuffix(id);
        this.clientId = id;
    }

    byte[] clientIdSuffix() {
        return clientIdSuffix;
    }

    /** Records a sign of life from the client. */
    public void touch() {
        lastSeenNanos = System.nanoTime();
    }

    public long lastSeenNanos() {
        return lastSeenNanos;
    }

    /**
     * Queues a heartbeat ping and notes when, to measure the round trip when the pong comes. A ping
     * not sent yet is not queued again: one is enough to measure the backlog.
     */
    public void sendPing(byte[] ping) {
        if (state == CLOSED || closing) {
            return;
        }
        if (pingSentNanos == 0) {
            pingSentNanos = System.nanoTime();
        }
        pendingPing = ping;
        schedule();
    }

    /** The client answered a ping; its round trip includes the time the ping waited in the queue. */
    public void pongReceived() {
        long sent = pingSentNanos;
        if (sent != 0) {
            lastPongRoundTripMillis = (System.nanoTime() - sent) / 1_000_000;
            pingSentNanos = 0;
        }
    }

    /** The round trip of the last answered ping in milliseconds, or -1 when none was answered yet. */
    public long lastPongRoundTripMillis() {
        return lastPongRoundTripMillis;
    }

    public boolean isClosed() {
        return state == CLOSED;
    }

    /** Whether the server has started closing this client (or it is closed). */
    public boolean isClosing() {
        return closing || state == CLOSED;
    }

    /** Live events queued (not counting a replay). */
    public int queuedEvents() {
        return Math.max(0, countOf(queued));
    }

    /** Bytes of the live events queued (their encoded length). */
    public long queuedBytes() {
        return Math.max(0, bytesOf(queued));
    }

    /** Replayed events queued. */
    public int queuedReplay() {
        return countOf(replayQueued);
    }

    /** Control messages queued (not counting a pending control reply or heartbeat ping). */
    public int queuedControlMessages() {
        return Math.max(0, countOf(controlQueued));
    }

    public long droppedEvents() {
        return droppedTotal;
    }

    /** Whether nothing is waiting to be written (used when draining on shutdown). */
    public boolean isFlushed() {
        return closing || (state != SCHEDULED && control.isEmpty() && pendingPing == null
                && events.isEmpty() && noReplay());
    }

    // Categories are changed by the client's own messages, which Jetty delivers one at a time.
    // A plain array: a set per client would cost more memory than all its queues when idle.
    public synchronized boolean addCategory(String category) {
        if (List.of(categories).contains(category)) {
            return false;
        }
        String[] more = Arrays.copyOf(categories, categories.length + 1);
        more[categories.length] = category;
        categories = more;
        return true;
    }

    /** Removes a category, and drops its queued replay and live events: the client no longer wants them. */
    public boolean removeCategory(String category) {
        synchronized (this) {
            List<String> current = new ArrayList<>(List.of(categories));
            if (!current.remove(category)) {
                return false;
            }
            categories = current.toArray(NO_CATEGORIES);
        }
        dropQueued(category);
        return true;
    }

    private void dropQueued(String category) {
        synchronized (queueLock) {
            long removed = removeOfCategory(events, category);
            if (removed != 0) {
                QUEUED.addAndGet(this, -removed);
            }
            removeReplay(category);
        }
    }

    // Called with queueLock held.
    private void removeReplay(String category) {
        ConcurrentLinkedQueue<EncodedEvent> queue = replay;
        if (queue != null) {
            replayQueued -= removeOfCategory(queue, category);
        }
    }

    /** Removes the events of {@code category} from {@code queue}; returns what they cost (see {@link #cost}). */
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

    public synchronized List<String> categories() {
        return List.of(categories);
    }

    /** Queues an event; applies its category's overflow policy when the queue is full. Never blocks. */
    public void enqueue(EncodedEvent event) {
        if (state == CLOSED || closing) {
            return;
        }
        long total = QUEUED.addAndGet(this, cost(event));
        events.offer(event);
        if (full(total, true) && (full(total, false) || lastWrite.slow()) && !overflow(event)) {
            return;
        }
        schedule();
    }

    /**
     * Whether live events are over their bounds: the queue's own for a slow client (its socket has
     * not taken a write for {@link #SLOW_AFTER_NANOS}), the burst allowance more for any other.
     * While a replay is being sent, live events wait behind it: they get as much extra room as the
     * replay holds, up to the bounds again.
     */
    private boolean full(long live, boolean slow) {
        long replayed = replayQueued;
        Bounds b = bounds;
        int count = b.events + Math.min(countOf(replayed), b.events) + (slow ? 0 : b.burstEvents);
        long bytes = b.eventBytes + Math.min(bytesOf(replayed), b.eventBytes) + (slow ? 0 : b.burstBytes);
        return countOf(live) > count || bytesOf(live) > bytes;
    }

    /**
     * Queues events replayed from history for a resuming client, in place of what is left of an
     * earlier replay of their category. They are not counted against the live queue's bounds
     * (history bounds them) and are sent before the events queued after them.
     */
    void enqueueReplay(List<EncodedEvent> replayed) {
        if (state == CLOSED || closing || replayed.isEmpty()) {
            return;
        }
        long added = 0;
        for (EncodedEvent event : replayed) {
            added += cost(event);
        }
        synchronized (queueLock) {
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

    /**
     * Holds back events (not control messages) while a subscription is set up, so that its ack
     * reaches the client before the events it replays.
     */
    public void pauseEvents() {
        synchronized (queueLock) {
            paused = true;
        }
    }

    /** Ends {@link #pauseEvents()}. */
    public void resumeEvents() {
        synchronized (queueLock) {
            paused = false;
            pausesEnded++;
        }
        schedule();
    }

    /**
     * Queues a control message (ack, JSON pong, error...), which is never dropped; closes the client
     * with 1008 instead when its control messages are over their bounds: it does not read them.
     */
    public void send(byte[] message) {
        if (state == CLOSED || closing) {
            return;
        }
        long total = CONTROL_QUEUED.addAndGet(this, ONE + message.length);
        if (countOf(total) > bounds.controlMessages || bytesOf(total) > bounds.controlBytes) {
            closeWith(CloseCause.POLICY, ServerMessages.error(ErrorCode.NOT_READING, String.format(
                    "More than %d replies (or %d bytes) waiting: this client does not read its messages",
                    bounds.controlMessages, bounds.controlBytes)), Transport.POLICY_VIOLATION, "replies not read");
            return;
        }
        control.offer(message);
        schedule();
    }

    /** Whether the connection has a {@link Framing}: its batches go out laid out by it, in one write each. */
    public boolean hasFraming() {
        return framing != null;
    }

    /** Whether this client can answer the heartbeat, so that its silence means it is stale ({@link Transport#clientsAnswerPings()}). */
    public boolean answersPings() {
        return transport.clientsAnswerPings();
    }

    /**
     * The client started closing: nothing more is sent, and {@code reply} (which lets the
     * transport's library answer the close) runs once no write is in flight.
     */
    public void closedByPeer(Runnable reply) {
        closing = true;
        clearQueues();
        transport.afterWrites(reply);
    }

    /**
     * Queues the transport's control reply carrying {@code payload} (WebSocket: the PONG to a PING),
     * laid out by {@link Framing#controlReply}, for a connection that {@link #hasFraming() has a
     * framing}: its writes go out as whole batches, so the reply takes its turn among them. It
     * replaces the payload of a reply not sent yet, which keeps its place: only the latest ping needs
     * an answer (RFC 6455 §5.5.3). Called from the connection's reading thread only.
     */
    public void sendControlReply(byte[] payload) {
        if (framing == null) {
            throw new IllegalStateException(this + " has no framing: its transport answers by itself");
        }
        if (state == CLOSED || closing) {
            return;
        }
        ControlReply queued = queuedReply;
        if (queued != null && queued.replace(payload)) {
            return;
        }
        queued = new ControlReply(payload);
        queuedReply = queued;
        control.offer(queued);
        schedule();
    }

    /**
     * Closes the connection, the close queued behind what was already handed to the connection;
     * nothing more is sent after it (a later message could only fail and cut the close off).
     */
    public void close(CloseCause cause, int statusCode, String reason) {
        if (closeCause == null) {
            closeCause = cause;
        }
        closing = true;
        clearQueues();
        transport.close(statusCode, reason);
    }

    private void clearQueues() {
        events.clear();
        ConcurrentLinkedQueue<EncodedEvent> queue = replay;
        if (queue != null) {
            queue.clear();
        }
        replayQueued = 0;
        control.clear();
        controlQueued = 0;
        queuedReply = null;
        pendingPing = null;
        queued = 0;
    }

    /** Who the client authenticated as, or null. */
    public Principal principal() {
        return principal;
    }

    /** Sets the client's (new) verified token. */
    public void authenticate(Principal newPrincipal) {
        this.principal = newPrincipal;
        this.expiryWarned = false;
    }

    /** Marks the token-expiring warning as sent; false when it already was. */
    public boolean warnExpiryOnce() {
        if (expiryWarned) {
            return false;
        }
        expiryWarned = true;
        return true;
    }

    /**
     * Tells the client why, then closes it: the message goes straight to the connection, ahead of
     * the close, dropping whatever was still queued.
     */
    public void closeWith(CloseCause cause, byte[] message, int statusCode, String reason) {
        if (closing || state == CLOSED) {
            return;
        }
        if (closeCause == null) {
            closeCause = cause;
        }
        closing = true;
        clearQueues();
        transport.closeWith(message, statusCode, reason);
    }

    public CloseCause closeCause() {
        return closeCause;
    }

    /** Drops the connection at once. */
    public void disconnect() {
        transport.disconnect();
    }

    /** Called when the connection has closed: frees the queues. */
    public void closed() {
        state = CLOSED;
        clearQueues();
    }

    /**
     * Makes room for {@code newest} until the queue is within its bounds again; false when the
     * client is being disconnected instead.
     */
    private boolean overflow(EncodedEvent newest) {
        OverflowPolicy policy = newest.overflowPolicy();
        if (policy == OverflowPolicy.DISCONNECT) {
            closeSlow();
            return false;
        }
        synchronized (queueLock) {
            if (policy == OverflowPolicy.COALESCE && newest.coalesceKey() != null) {
                for (EncodedEvent older : events) {
                    if (older != newest && older.sameThingAs(newest) && events.remove(older)) {
                        dropped(older);
                        break;
                    }
                }
            }
            // One event out for one in, unless the newest is larger than what it displaced.
            boolean slow = lastWrite.slow();
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

    private void closeSlow() {
        close(CloseCause.OVERFLOW, Transport.POLICY_VIOLATION, "outbound queue overflow: client too slow");
    }

    // Called with queueLock held.
    private void dropped(EncodedEvent event) {
        event.countDrop();
        QUEUED.addAndGet(this, -cost(event));
        DROPPED_TOTAL.incrementAndGet(this);
        droppedSinceNotice++;
        if (pendingGaps == null) {
            pendingGaps = new LinkedHashMap<>();
        }
        pendingGaps.computeIfAbsent(event.category(), QueueGap::new).add(event);
    }

    private void schedule() {
        if (STATE.compareAndSet(this, IDLE, SCHEDULED)) {
            flusher.execute(drainTask);
        }
    }

    /** Runs on a flusher thread; at most one drain per client at a time. */
    void drain() {
        while (true) {
            if (state == CLOSED || closing) {
                return;
            }
            int sent = sendBatch();
            if (sent == WRITING) {
                return; // the write's callback schedules the next drain
            }
            // Usually the socket takes the whole batch at once, so the write completed inside
            // sendBatch. Go idle from here without another flusher task; when more is queued, go
            // back through the flusher's queue, to be fair to the other clients.
            if (sent == WRITTEN && hasWork()) {
                flusher.execute(drainTask);
                return;
            }
            if (!STATE.compareAndSet(this, SCHEDULED, IDLE)) {
                return;
            }
            if (!hasWork() || !STATE.compareAndSet(this, IDLE, SCHEDULED)) {
                return;
            }
        }
    }

    private boolean noReplay() {
        ConcurrentLinkedQueue<EncodedEvent> queue = replay;
        return queue == null || queue.isEmpty();
    }

    private boolean hasWork() {
        if (!control.isEmpty() || pendingPing != null) {
            return true;
        }
        synchronized (queueLock) {
            return droppedSinceNotice > 0 || (!paused && (!noReplay() || !events.isEmpty()));
        }
    }

    /**
     * Hands up to one batch to the connection: {@link #NOTHING_SENT}, {@link #WRITTEN}
     * when the write completed during the call, or {@link #WRITING} when it is still pending.
     */
    private int sendBatch() {
        OutboundBatch batch = OutboundBatch.start(framing);
        collect(batch);
        int count = batch.size();
        if (count == 0) {
            batch.written();
            return NOTHING_SENT;
        }
        if (framing != null) {
            lastWrite.sending();
            transport.write(batch.laidOut(), lastWrite);
        } else {
            for (int i = 0; i < count - 1; i++) {
                transport.send(batch.message(i), true, Transport.WriteCallback.NOOP);
            }
            lastWrite.sending();
            transport.send(batch.message(count - 1), false, lastWrite);
        }
        if (lastWrite.completedWhileSending()) {
            batch.written();
            return WRITTEN;
        }
        batch.handedOver();
        return WRITING;
    }

    private void collect(OutboundBatch batch) {
        Object queued;
        long taken = 0;
        // A pause that ended after this pass polled the control queue queued its ack there too late
        // for this pass: its events wait for the next pass, behind the ack.
        int pausesEndedBefore = pausesEnded;
        while (batch.size() < MAX_MESSAGES_PER_DRAIN && (queued = control.poll()) != null) {
            if (queued instanceof ControlReply) {
                batch.addControlReply(((ControlReply) queued).take());
            } else {
                byte[] message = (byte[]) queued;
                batch.add(message);
                taken += ONE + message.length;
            }
        }
        if (taken != 0) {
            CONTROL_QUEUED.addAndGet(this, -taken);
        }
        byte[] ping;
        if (pendingPing != null && (ping = PENDING_PING.getAndSet(this, null)) != null) {
            batch.add(ping);
        }
        byte[] suffix = clientIdSuffix;
        synchronized (queueLock) {
            if (droppedSinceNotice > 0) {
                batch.add(ServerMessages.encode(new ServerMessage.EventsDropped(droppedSinceNotice)));
                for (QueueGap gap : pendingGaps.values()) {
                    batch.add(ServerMessages.encode(gap.notice()));
                }
                droppedSinceNotice = 0;
                pendingGaps = null;
            }
            EncodedEvent event;
            EncodedEvent lastEvent = null;
            ConcurrentLinkedQueue<EncodedEvent> replayed = replay;
            taken = 0;
            boolean takeEvents = !paused && pausesEnded == pausesEndedBefore;
            while (takeEvents && replayed != null && batch.hasRoom(MAX_MESSAGES_PER_DRAIN, MAX_BYTES_PER_DRAIN)
                    && (event = replayed.poll()) != null) {
                taken += cost(event);
                batch.add(event, suffix);
                event.countDelivery();
            }
            if (taken != 0) {
                replayQueued -= taken;
                taken = 0;
            }
            while (takeEvents && batch.hasRoom(MAX_MESSAGES_PER_DRAIN, MAX_BYTES_PER_DRAIN)
                    && (event = events.poll()) != null) {
                taken += cost(event);
                batch.add(event, suffix);
                event.countDelivery();
                lastEvent = event;
            }
            if (taken != 0) {
                // After taking: the count is never below what is queued.
                QUEUED.addAndGet(this, -taken);
            }
            lastWrite.lastEventPublishedNanos = lastEvent == null ? 0 : lastEvent.publishedAtNanos();
        }
    }

    @Override
    public String toString() {
        return "client " + clientId + " #" + connectionNumber + " (" + remoteAddress() + ")";
    }

    /** A control reply waiting in the control queue; until it is taken, a newer one's payload replaces its own. */
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

    /** What one event costs in a queue: one, and its encoded length (without the recipient's clientId). */
    private static long cost(EncodedEvent event) {
        return ONE + event.length(NO_SUFFIX);
    }

    private static int countOf(long packed) {
        return (int) (packed >> COUNT_SHIFT);
    }

    private static long bytesOf(long packed) {
        return packed & BYTES_MASK;
    }

    /**
     * A connection's queue bounds.
     *
     * @param events live events queued (message-queue-size)
     * @param eventBytes bytes of live events queued, their encoded length (message-queue-bytes)
     * @param controlMessages control messages (acks, errors, JSON pongs...) queued
     * @param controlBytes bytes of control messages queued
     * @param burstEvents live events that may be queued beyond {@code events} while the client is
     *        not slow: {@link #BURST_BATCHES} publish batches (limits.max-events-per-publish)
     * @param burstBytes bytes that may be queued beyond {@code eventBytes} while the client is not
     *        slow: {@link #BURST_BATCHES} times publish.max-body-size
     */
    public record Bounds(int events, long eventBytes, int controlMessages, long controlBytes, int burstEvents,
            long burstBytes) {
        /** The least bound on control messages; see {@link #controlMessagesFor}. */
        public static final int MIN_CONTROL_MESSAGES = 128;
        /** Bytes allowed per control message on average: most are under 200, an ack listing many categories a few KiB. */
        public static final int CONTROL_BYTES_PER_MESSAGE = 512;
        private static final long MAX_EVENT_BYTES = BYTES_MASK >> 1;

        public Bounds {
            if (events < 1 || eventBytes < 1 || eventBytes > MAX_EVENT_BYTES || controlMessages < 1 || controlBytes < 1
                    || burstEvents < 0 || burstBytes < 0 || burstBytes > MAX_EVENT_BYTES) {
                throw new IllegalArgumentException(String.format(
                        "queue bounds must be >= 1, bursts >= 0 (and bytes <= %d): %d, %d, %d, %d, %d, %d",
                        MAX_EVENT_BYTES, events, eventBytes, controlMessages, controlBytes, burstEvents, burstBytes));
            }
        }

        /** Bounds without a burst allowance: the queue's bounds apply whether or not a write is pending. */
        public Bounds(int events, long eventBytes, int controlMessages, long controlBytes) {
            this(events, eventBytes, controlMessages, controlBytes, 0, 0);
        }

        /** The bounds the settings give a connection. */
        public static Bounds from(Settings settings) {
            int control = controlMessagesFor(settings.security().messageBurst(),
                    settings.security().maxCategoriesPerSubscribe());
            return new Bounds(settings.messageQueueSize(), settings.messageQueueBytes(), control,
                    (long) control * CONTROL_BYTES_PER_MESSAGE, BURST_BATCHES * settings.security().maxEventsPerPublish(),
                    (long) BURST_BATCHES * settings.publishMaxBodySize());
        }

        /** Only an event count; generous defaults for the rest (tests, benchmarks). */
        public static Bounds ofEvents(int events) {
            return new Bounds(events, MAX_EVENT_BYTES, MIN_CONTROL_MESSAGES,
                    (long) MIN_CONTROL_MESSAGES * CONTROL_BYTES_PER_MESSAGE);
        }

        /**
         * Control messages a client may leave unread: a whole message burst answered, plus one
         * subscribe whose resumes all failed (an ack and a gap per category); at least
         * {@link #MIN_CONTROL_MESSAGES}, which leaves room for the token warning and the rate-limit
         * error with the defaults (50 + 32 + 1 = 83).
         */
        public static int controlMessagesFor(int messageBurst, int maxCategoriesPerSubscribe) {
            long needed = (long) messageBurst + maxCategoriesPerSubscribe + 1;
            return (int) Math.min(Integer.MAX_VALUE / CONTROL_BYTES_PER_MESSAGE, Math.max(MIN_CONTROL_MESSAGES, needed));
        }
    }

    /** Why the server closed a client (for metrics). */
    public enum CloseCause {
        /** Nothing arrived for connection-timeout. */
        STALE,
        /** Its queue overflowed with overflow-policy = disconnect. */
        OVERFLOW,
        /** The host is shutting down. */
        SHUTDOWN,
        /** It broke a rule: no or an expired token, or too many messages. */
        POLICY
    }

    private final class WriteCallback implements Transport.WriteCallback {
        private static final int SENDING = 1;
        private static final int PENDING = 2;
        private static final int DONE = 3;
        private static final AtomicIntegerFieldUpdater<WriteCallback> WRITE =
                AtomicIntegerFieldUpdater.newUpdater(WriteCallback.class, "write");

        // Written by the flusher before the write starts, read when it completes: one batch at a time.
        long lastEventPublishedNanos;
        private volatile int write = DONE;

        // When the pending write started; written before the write becomes PENDING, read only then.
        private volatile long sentAtNanos;

        void sending() {
            write = SENDING;
        }

        /** Whether the socket has not taken all of the last batch for {@link #SLOW_AFTER_NANOS}: the client is slow. */
        boolean slow() {
            return write == PENDING && System.nanoTime() - sentAtNanos > SLOW_AFTER_NANOS;
        }

        /**
         * Called by the sender once the send call returned: true when the write already completed,
         * so the sender goes on draining; false when it is still pending and {@link #written()}
         * will schedule the next drain.
         */
        boolean completedWhileSending() {
            // Most writes complete inside the send call: no clock read for them.
            if (write != SENDING) {
                return true;
            }
            sentAtNanos = System.nanoTime();
            return !WRITE.compareAndSet(this, SENDING, PENDING);
        }

        @Override
        public void written() {
            long published = lastEventPublishedNanos;
            if (published != 0) {
                writeLatency.accept(System.nanoTime() - published);
            }
            if (WRITE.getAndSet(this, DONE) == SENDING) {
                return; // completed inside the send call: the sender goes on
            }
            if (state != CLOSED && !closing) {
                flusher.execute(drainTask);
            }
        }

        @Override
        public void failed(Throwable cause) {
            if (!closing) {
                closed();
                transport.disconnect();
            }
        }
    }
}

package io.eventstreamer.core.internal.fanout;

import io.eventstreamer.core.internal.auth.Principal;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.protocol.ErrorCode;
import io.eventstreamer.core.internal.protocol.EventEnvelope;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.LongConsumer;

/**
 * One connected client: who it is (id, address, token, categories), its queues, and the drain that
 * hands them to its {@link Transport}. The queues are their own classes: {@link OutboundQueue}
 * (events and replay, with the overflow policy) and {@link ControlQueue} (server messages, the
 * control reply, the heartbeat ping).
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
    private static final AtomicIntegerFieldUpdater<ClientSession> STATE =
            AtomicIntegerFieldUpdater.newUpdater(ClientSession.class, "state");
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

    private final OutboundQueue events;
    private final ControlQueue control = new ControlQueue();
    private volatile int state = IDLE;
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
        this.events = new OutboundQueue(bounds);
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
        control.offerPing(ping);
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
        return events.queuedEvents();
    }

    /** Bytes of the live events queued (their encoded length). */
    public long queuedBytes() {
        return events.queuedBytes();
    }

    /** Replayed events queued. */
    public int queuedReplay() {
        return events.queuedReplay();
    }

    /** Control messages queued (not counting a pending control reply or heartbeat ping). */
    public int queuedControlMessages() {
        return control.queuedMessages();
    }

    public long droppedEvents() {
        return events.droppedTotal();
    }

    /** Whether nothing is waiting to be written (used when draining on shutdown). */
    public boolean isFlushed() {
        return closing || (state != SCHEDULED && control.isEmpty() && events.isEmpty());
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
        events.removeCategory(category);
        return true;
    }

    public synchronized List<String> categories() {
        return List.of(categories);
    }

    /** Queues an event; applies its category's overflow policy when the queue is full. Never blocks. */
    public void enqueue(EncodedEvent event) {
        if (state == CLOSED || closing) {
            return;
        }
        if (events.add(event, lastWrite) && !events.makeRoom(event, lastWrite.isSlow())) {
            closeSlow();
            return;
        }
        schedule();
    }

    /**
     * Queues events replayed from history for a resuming client, in place of what is left of an
     * earlier replay of their category; they are sent before the events queued after them.
     */
    void enqueueReplay(List<EncodedEvent> replayed) {
        if (state == CLOSED || closing || replayed.isEmpty()) {
            return;
        }
        events.addReplay(replayed);
    }

    /**
     * Holds back events (not control messages) while a subscription is set up, so that its ack
     * reaches the client before the events it replays.
     */
    public void pauseEvents() {
        events.pause();
    }

    /** Ends {@link #pauseEvents()}. */
    public void resumeEvents() {
        events.resume();
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
        if (!control.offer(message, bounds)) {
            closeWith(CloseCause.POLICY, ServerMessages.error(ErrorCode.NOT_READING, String.format(
                    "More than %d replies (or %d bytes) waiting: this client does not read its messages",
                    bounds.controlMessages, bounds.controlBytes)), Transport.POLICY_VIOLATION, "replies not read");
            return;
        }
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
        control.offerReply(payload);
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
        control.clear();
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

    private void closeSlow() {
        close(CloseCause.OVERFLOW, Transport.POLICY_VIOLATION, "outbound queue overflow: client too slow");
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

    private boolean hasWork() {
        return !control.isEmpty() || events.hasWork();
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

    /** Control messages first, then what the event queue has (see {@link OutboundQueue#takeInto}). */
    private void collect(OutboundBatch batch) {
        // Read before the control queue is polled: see OutboundQueue#takeInto.
        int pausesEndedBefore = events.pausesEnded();
        control.takeInto(batch, MAX_MESSAGES_PER_DRAIN);
        lastWrite.lastEventPublishedNanos = events.takeInto(batch, clientIdSuffix, MAX_MESSAGES_PER_DRAIN,
                MAX_BYTES_PER_DRAIN, pausesEndedBefore);
    }

    @Override
    public String toString() {
        return "client " + clientId + " #" + connectionNumber + " (" + remoteAddress() + ")";
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
        private static final long MAX_EVENT_BYTES = QueueCounts.BYTES_MASK >> 1;

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

    private final class WriteCallback implements Transport.WriteCallback, OutboundQueue.SlowCheck {
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
        @Override
        public boolean isSlow() {
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

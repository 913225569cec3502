package io.eventstreamer.core.internal.fanout;

import io.eventstreamer.core.internal.config.OverflowPolicy;
import io.eventstreamer.core.internal.json.Json;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One connected client: its id, its categories and its bounded outbound queue.
 *
 * <p>Publishers only enqueue (never block, never touch the socket). A flusher thread drains the
 * queue and hands the frames to the connection as one batch, with one batch in flight per client;
 * the next drain starts when the last frame of a batch has been written. So a client that does not
 * read simply accumulates queued events until its queue is full, and then the overflow policy
 * applies to it alone.
 *
 * <p>Control messages (acks, pongs, pings, errors) have their own small queue, drained first and
 * never dropped: they are caused by the client itself or by the heartbeat.
 */
public final class ClientSession {
    private static final int IDLE = 0;
    private static final int SCHEDULED = 1;
    private static final int CLOSED = 2;
    private static final int MAX_FRAMES_PER_DRAIN = 256;

    private final long connectionNumber;
    private final String remoteAddress;
    private final FrameSink sink;
    private final Executor flusher;
    private final int queueCapacity;
    private final OverflowPolicy overflowPolicy;
    private final long connectedAtMillis;

    private final ConcurrentLinkedQueue<EncodedEvent> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final ConcurrentLinkedQueue<byte[]> control = new ConcurrentLinkedQueue<>();
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final AtomicLong droppedSinceNotice = new AtomicLong();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final Set<String> categories = new LinkedHashSet<>();
    private final WriteCallback lastWrite = new WriteCallback();

    private volatile String clientId;
    private volatile byte[] clientIdSuffix;
    private volatile long lastSeenNanos;
    private volatile boolean closing;

    public ClientSession(long connectionNumber, String remoteAddress, FrameSink sink, Executor flusher,
            int queueCapacity, OverflowPolicy overflowPolicy) {
        this.connectionNumber = connectionNumber;
        this.remoteAddress = remoteAddress;
        this.sink = sink;
        this.flusher = flusher;
        this.queueCapacity = queueCapacity;
        this.overflowPolicy = overflowPolicy;
        this.connectedAtMillis = System.currentTimeMillis();
        this.lastSeenNanos = System.nanoTime();
        setClientId("client-" + connectionNumber);
    }

    public long connectionNumber() {
        return connectionNumber;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    public String clientId() {
        return clientId;
    }

    public void setClientId(String id) {
        this.clientIdSuffix = concat(Json.escapedUtf8(id), new byte[] {'"', '}'});
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

    public boolean isClosed() {
        return state.get() == CLOSED;
    }

    public int queuedEvents() {
        return queuedEvents.get();
    }

    public long droppedEvents() {
        return droppedTotal.get();
    }

    /** Whether nothing is waiting to be written (used when draining on shutdown). */
    public boolean isFlushed() {
        return closing || (state.get() != SCHEDULED && control.isEmpty() && events.isEmpty());
    }

    // Categories are changed by the client's own messages, which Jetty delivers one at a time.
    public synchronized boolean addCategory(String category) {
        return categories.add(category);
    }

    public synchronized boolean removeCategory(String category) {
        return categories.remove(category);
    }

    public synchronized List<String> categories() {
        return new ArrayList<>(categories);
    }

    /** Queues an event; applies the overflow policy when the queue is full. Never blocks. */
    public void enqueue(EncodedEvent event) {
        if (state.get() == CLOSED || closing) {
            return;
        }
        events.offer(event);
        if (queuedEvents.incrementAndGet() > queueCapacity) {
            if (overflowPolicy == OverflowPolicy.DISCONNECT) {
                overflow();
                return;
            }
            if (events.poll() != null) {
                queuedEvents.decrementAndGet();
                droppedSinceNotice.incrementAndGet();
                droppedTotal.incrementAndGet();
            }
        }
        schedule();
    }

    /** Queues a control message (ack, pong, ping, error), which is never dropped. */
    public void send(byte[] message) {
        if (state.get() == CLOSED || closing) {
            return;
        }
        control.offer(message);
        schedule();
    }

    /**
     * Closes the connection with a close frame queued behind what was already handed to the
     * connection; nothing more is sent after it (a later frame could only fail and cut the close off).
     */
    public void close(int statusCode, String reason) {
        closing = true;
        events.clear();
        control.clear();
        queuedEvents.set(0);
        sink.close(statusCode, reason);
    }

    /** Drops the connection at once. */
    public void disconnect() {
        sink.disconnect();
    }

    /** Called when the connection has closed: frees the queues. */
    public void closed() {
        state.set(CLOSED);
        events.clear();
        control.clear();
        queuedEvents.set(0);
    }

    private void overflow() {
        close(1008, "outbound queue overflow: client too slow");
    }

    private void schedule() {
        if (state.compareAndSet(IDLE, SCHEDULED)) {
            flusher.execute(this::drain);
        }
    }

    /** Runs on a flusher thread; at most one drain per client at a time. */
    void drain() {
        while (true) {
            if (state.get() == CLOSED || closing) {
                return;
            }
            int sent = sendBatch();
            if (sent > 0) {
                return; // the last frame's callback schedules the next drain
            }
            if (!state.compareAndSet(SCHEDULED, IDLE)) {
                return;
            }
            if ((control.isEmpty() && events.isEmpty() && droppedSinceNotice.get() == 0)
                    || !state.compareAndSet(IDLE, SCHEDULED)) {
                return;
            }
        }
    }

    private int sendBatch() {
        ByteBuffer pending = null;
        int count = 0;
        long dropped = droppedSinceNotice.getAndSet(0);
        if (dropped > 0) {
            pending = ByteBuffer.wrap(droppedNotice(dropped));
        }
        byte[] suffix = clientIdSuffix;
        while (count < MAX_FRAMES_PER_DRAIN) {
            ByteBuffer next;
            byte[] message = control.poll();
            if (message != null) {
                next = ByteBuffer.wrap(message);
            } else {
                EncodedEvent event = events.poll();
                if (event == null) {
                    break;
                }
                queuedEvents.decrementAndGet();
                next = event.frameFor(suffix);
            }
            if (pending != null) {
                sink.send(pending, true, FrameSink.WriteCallback.NOOP);
                count++;
            }
            pending = next;
        }
        if (pending == null) {
            return count;
        }
        sink.send(pending, false, lastWrite);
        return count + 1;
    }

    private static byte[] droppedNotice(long dropped) {
        ObjectNode data = Json.object();
        data.put("error", String.format("%d event%s dropped because this client did not read fast enough",
                dropped, dropped == 1 ? " was" : "s were"));
        data.put("code", "events-dropped");
        data.put("dropped", dropped);
        return Json.message("error", data);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        return "client " + clientId + " #" + connectionNumber + " (" + remoteAddress + ")";
    }

    private final class WriteCallback implements FrameSink.WriteCallback {
        @Override
        public void written() {
            if (state.get() != CLOSED && !closing) {
                flusher.execute(ClientSession.this::drain);
            }
        }

        @Override
        public void failed(Throwable cause) {
            if (!closing) {
                closed();
                sink.disconnect();
            }
        }
    }
}

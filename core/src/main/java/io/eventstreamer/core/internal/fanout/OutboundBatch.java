package io.eventstreamer.core.internal.fanout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What one flusher thread hands to one connection in a drain pass.
 *
 * <p>For a connection with a {@link Framing framing}, the batch is laid out by that framing, one
 * message after the other, into a buffer that the thread reuses for its next batch when the
 * connection has written the whole batch by the time the write call returns, which is the usual
 * case. Otherwise the connection still reads from the buffer, so the thread leaves it behind and
 * takes a new one. So a delivery copies its bytes once and allocates no array of its own in steady
 * state, and a batch goes out as one buffer in one write.
 *
 * <p>For a connection without a framing, each message is a separate buffer (the events' spliced
 * into the reused buffer while it has room), sent on its own.
 */
public final class OutboundBatch implements Framing.Output {
    private static final int BUFFER_SIZE = 64 * 1024;
    /** A buffer grown beyond this for a large batch is not kept for the next one. */
    private static final int MAX_KEPT_BUFFER_SIZE = 256 * 1024;
    private static final ThreadLocal<OutboundBatch> CURRENT = ThreadLocal.withInitial(OutboundBatch::new);

    private final List<ByteBuffer> messages = new ArrayList<>();
    private Framing framing;
    private int count;
    private long bytes;
    private byte[] buffer;
    private int used;

    private OutboundBatch() {
    }

    /** The calling thread's batch, emptied, laid out by {@code framing} (null: a buffer per message). */
    static OutboundBatch start(Framing framing) {
        OutboundBatch batch = CURRENT.get();
        batch.framing = framing;
        return batch;
    }

    int size() {
        return count;
    }

    /** Whether another message may join: fewer than {@code maxMessages} so far, and fewer than {@code maxBytes} of their JSON. */
    boolean hasRoom(int maxMessages, long maxBytes) {
        return count < maxMessages && bytes < maxBytes;
    }

    /** Message {@code index} (without a framing). */
    ByteBuffer message(int index) {
        return messages.get(index);
    }

    /** The whole batch as the framing laid it out (with a framing). */
    ByteBuffer laidOut() {
        return ByteBuffer.wrap(buffer, 0, used);
    }

    /** Adds a server message. */
    void add(byte[] message) {
        count++;
        bytes += message.length;
        if (framing == null) {
            messages.add(ByteBuffer.wrap(message));
            return;
        }
        framing.message(message, this);
    }

    /** Adds the transport's control reply (with a framing only: see {@link ClientSession#sendControlReply}). */
    void addControlReply(byte[] payload) {
        count++;
        bytes += payload.length;
        framing.controlReply(payload, this);
    }

    /** Adds {@code event} for the recipient whose clientId suffix is {@code clientIdSuffix}. */
    void add(EncodedEvent event, byte[] clientIdSuffix) {
        count++;
        int length = event.length(clientIdSuffix);
        bytes += length;
        if (framing != null) {
            framing.event(event, clientIdSuffix, this);
            return;
        }
        if (buffer == null) {
            buffer = new byte[BUFFER_SIZE];
        }
        if (used + length > buffer.length) {
            messages.add(event.messageFor(clientIdSuffix));
            return;
        }
        event.writeTo(buffer, used, clientIdSuffix);
        messages.add(ByteBuffer.wrap(buffer, used, length));
        used += length;
    }

    /** Makes room for {@code length} more bytes, growing the buffer (a laid-out batch is contiguous). */
    @Override
    public int reserve(int length) {
        if (buffer == null) {
            buffer = new byte[Math.max(BUFFER_SIZE, length)];
        } else if (used + length > buffer.length) {
            byte[] larger = new byte[Math.max(buffer.length * 2, used + length)];
            System.arraycopy(buffer, 0, larger, 0, used);
            buffer = larger;
        }
        int start = used;
        used += length;
        return start;
    }

    @Override
    public byte[] array() {
        return buffer;
    }

    /** The connection has written all of this batch: the buffer is free again. */
    void written() {
        if (buffer != null && buffer.length > MAX_KEPT_BUFFER_SIZE) {
            buffer = null;
        }
        clear();
    }

    /** The connection may still read this batch: keep the buffer away from the next batch. */
    void handedOver() {
        if (used > 0) {
            buffer = null;
        }
        clear();
    }

    private void clear() {
        messages.clear();
        framing = null;
        count = 0;
        bytes = 0;
        used = 0;
    }
}

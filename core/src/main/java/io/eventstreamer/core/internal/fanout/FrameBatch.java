package io.eventstreamer.core.internal.fanout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames one flusher thread hands to one connection in a drain pass. Event frames (the shared
 * encoded event followed by the recipient's clientId) are spliced into a buffer that the thread
 * reuses for its next batch when the connection has written the whole batch by the time the send
 * call returns, which is the usual case. Otherwise the connection still reads from the buffer, so
 * the thread leaves it behind and takes a new one. So a delivery copies its bytes once and
 * allocates no array of its own in steady state.
 */
final class FrameBatch {
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final ThreadLocal<FrameBatch> CURRENT = ThreadLocal.withInitial(FrameBatch::new);

    private final List<ByteBuffer> frames = new ArrayList<>();
    private byte[] buffer;
    private int used;

    static FrameBatch current() {
        return CURRENT.get();
    }

    int size() {
        return frames.size();
    }

    ByteBuffer frame(int index) {
        return frames.get(index);
    }

    void add(byte[] message) {
        frames.add(ByteBuffer.wrap(message));
    }

    void add(EncodedEvent event, byte[] clientIdSuffix) {
        int length = event.frameLength(clientIdSuffix);
        if (buffer == null) {
            buffer = new byte[BUFFER_SIZE];
        }
        if (used + length > buffer.length) {
            frames.add(event.frameFor(clientIdSuffix));
            return;
        }
        event.spliceInto(buffer, used, clientIdSuffix);
        frames.add(ByteBuffer.wrap(buffer, used, length));
        used += length;
    }

    /** The connection has written every frame of this batch: the buffer is free again. */
    void written() {
        frames.clear();
        used = 0;
    }

    /** The connection may still read this batch's frames: keep the buffer away from the next batch. */
    void handedOver() {
        frames.clear();
        if (used > 0) {
            buffer = null;
        }
        used = 0;
    }
}

package io.eventstreamer.core.internal.fanout;

import java.nio.ByteBuffer;

/** Where a client's text frames go: the WebSocket connection, or a fake in tests. */
public interface FrameSink {

    /**
     * Sends one text frame. With {@code batch} the frame may wait in the output buffer for the
     * next non-batched frame, so that many go out in one system call.
     */
    void send(ByteBuffer payload, boolean batch, WriteCallback callback);

    /**
     * Whether this sink takes complete WebSocket frames through {@link #writeFrames}, so that a
     * batch goes out as one buffer without being framed again frame by frame.
     */
    default boolean takesFramedBytes() {
        return false;
    }

    /**
     * Writes complete, unmasked server frames (header and payload) as they are, in one write; the
     * callback completes when all of them are written. Only when {@link #takesFramedBytes()}.
     */
    default void writeFrames(ByteBuffer frames, WriteCallback callback) {
        throw new UnsupportedOperationException("this sink frames payloads itself");
    }

    /** Starts a close handshake; the close frame is queued behind data already sent. */
    void close(int statusCode, String reason);

    /** Sends {@code message} as a text frame behind data already sent, then closes. */
    default void closeWith(byte[] message, int statusCode, String reason) {
        send(ByteBuffer.wrap(message), false, WriteCallback.NOOP);
        close(statusCode, reason);
    }

    /**
     * Runs {@code action}, which lets the WebSocket library answer the client's close, once no
     * write of framed bytes is in flight (at once for a sink that takes none), so that the answer
     * doesn't collide with it; framed bytes handed over afterwards are refused, as nothing may
     * follow a close frame.
     */
    default void afterWrites(Runnable action) {
        action.run();
    }

    /** Drops the connection at once, failing whatever is still pending. */
    void disconnect();

    /** Completion of a write. */
    interface WriteCallback {
        WriteCallback NOOP = new WriteCallback() {
            @Override
            public void written() {
            }

            @Override
            public void failed(Throwable cause) {
            }
        };

        void written();

        void failed(Throwable cause);
    }
}

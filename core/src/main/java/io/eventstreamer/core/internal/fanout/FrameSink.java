package io.eventstreamer.core.internal.fanout;

import java.nio.ByteBuffer;

/** Where a client's text frames go: the WebSocket connection, or a fake in tests. */
public interface FrameSink {

    /**
     * Sends one text frame. With {@code batch} the frame may wait in the output buffer for the
     * next non-batched frame, so that many go out in one system call.
     */
    void send(ByteBuffer payload, boolean batch, WriteCallback callback);

    /** Starts a close handshake; the close frame is queued behind data already sent. */
    void close(int statusCode, String reason);

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

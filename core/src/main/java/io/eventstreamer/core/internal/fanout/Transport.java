package io.eventstreamer.core.internal.fanout;

import java.nio.ByteBuffer;

/**
 * Where a client's messages go: one connection of a transport (WebSocket, or a fake in tests).
 *
 * <p>A transport with a {@link #framing() framing} gets each batch the engine drains for the
 * connection as one buffer, laid out by that framing, through {@link #write}: one write per batch.
 * One without (a WebSocket connection that negotiated permessage-deflate, which Jetty must frame
 * and compress) gets each message on its own through {@link #send}.
 */
public interface Transport {
    /**
     * The close codes the engine and the session manager give {@link #close}: WebSocket's (RFC 6455
     * §7.4.1), which a transport without codes ignores. Normal closure: a stale client.
     */
    int NORMAL_CLOSURE = 1000;
    /** Going away: the host shuts down. */
    int GOING_AWAY = 1001;
    /** Policy violation: a client that broke a rule or doesn't read. */
    int POLICY_VIOLATION = 1008;

    /** The transport's name as status, metrics and the console show it: "websocket", "sse". */
    String name();

    /**
     * How this connection lays out its batches, or null when it takes one message at a time
     * through {@link #send}. The same instance for the connection's whole life.
     */
    default Framing framing() {
        return null;
    }

    /**
     * Writes a batch laid out by {@link #framing()} as it is, in one write; the callback completes
     * when all of it is written. Only when there is a framing.
     */
    default void write(ByteBuffer batch, WriteCallback callback) {
        throw new UnsupportedOperationException("this transport frames each message itself");
    }

    /**
     * Sends one message (the UTF-8 JSON of a server message or an event), for a transport without
     * a framing. With {@code batch} the message may wait in the output buffer for the next one sent
     * without, so that many go out in one system call.
     */
    void send(ByteBuffer message, boolean batch, WriteCallback callback);

    /**
     * Whether the clients of this transport answer the heartbeat (a WebSocket client sends pongs
     * and messages; a browser's EventSource sends nothing after its request). Only a client that
     * can is closed as stale when nothing arrived from it for the connection timeout.
     */
    default boolean clientsAnswerPings() {
        return true;
    }

    /** Starts closing; the close is queued behind what was already written. */
    void close(int statusCode, String reason);

    /** Sends {@code message} behind what was already written, then closes. */
    default void closeWith(byte[] message, int statusCode, String reason) {
        send(ByteBuffer.wrap(message), false, WriteCallback.NOOP);
        close(statusCode, reason);
    }

    /**
     * Runs {@code action}, which lets the transport's library answer the client's close, once no
     * {@link #write} is in flight (at once for a transport without a framing), so that the answer
     * doesn't collide with it; batches handed over afterwards are refused, as nothing may follow a
     * close.
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

package io.eventstreamer.client;

/**
 * Where an {@link EventStreamClient} is in its life. Reported to
 * {@link EventStreamClient.Builder#onStateChange} on the client's callback thread, each change once.
 */
public enum ConnectionState {
    /** Opening a WebSocket connection, or waiting for the server to acknowledge the subscription. */
    CONNECTING,
    /** Connected, and the server acknowledged the subscription: events are flowing. */
    CONNECTED,
    /**
     * Not connected (before {@link EventStreamClient#start()}, or after a connection was lost or
     * an attempt failed); a new attempt is scheduled after the reconnect delay.
     */
    DISCONNECTED,
    /** {@link EventStreamClient#close()} was called: the client no longer connects. Final. */
    CLOSED
}

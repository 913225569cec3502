package io.eventstreamer.core.internal.fanout;

/**
 * How a transport lays out what the engine sends one connection, in the bytes that go on its wire:
 * a server message, an event for this recipient, and the transport's own control reply. One
 * instance per connection (a stateless framing may share one), obtained from the connection's
 * {@link Transport#framing()}.
 *
 * <p>A flusher thread calls it while it fills a {@link OutboundBatch}: each method reserves room in
 * the batch's {@link Output} and writes there, so that a whole batch goes to the connection as one
 * buffer in one write. It must not allocate per event: the batch is the only copy of a delivery
 * (see docs/benchmarks.md). Called by one flusher thread at a time per connection.
 *
 * <pre>{@code
 * public void event(EncodedEvent event, byte[] clientIdSuffix, Output out) {
 *     int length = event.length(clientIdSuffix);
 *     int at = out.reserve(HEADER + length);
 *     byte[] to = out.array();
 *     writeHeader(to, at, length);
 *     event.writeTo(to, at + HEADER, clientIdSuffix);
 * }
 * }</pre>
 */
public interface Framing {

    /**
     * Lays out a server message: the protocol's UTF-8 JSON, whose first field is its type,
     * {@code {"type":"<type>",...}} ({@link io.eventstreamer.core.internal.protocol.ServerMessages#typeOf}
     * reads it for a framing that names messages on the wire). The heartbeat's ping is one of them.
     */
    void message(byte[] message, Output out);

    /**
     * Lays out {@code event} for one recipient: its JSON is the event's shared bytes followed by
     * {@code clientIdSuffix} ({@link EncodedEvent#length}, {@link EncodedEvent#writeTo}); its
     * {@link EncodedEvent#category() category}, {@link EncodedEvent#id() id} and
     * {@link EncodedEvent#eventType() type} are there for a framing that puts them on the wire too.
     */
    void event(EncodedEvent event, byte[] clientIdSuffix, Output out);

    /**
     * Lays out the transport's replaceable control reply (WebSocket: the PONG to the client's
     * latest PING), queued by {@link ClientSession#sendControlReply}. A transport whose clients
     * send nothing of the kind never queues one: the default refuses it.
     */
    default void controlReply(byte[] payload, Output out) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no control reply");
    }

    /** Where a framing writes: room reserved at the end of the batch's buffer. */
    interface Output {
        /**
         * Reserves {@code length} more bytes at the end of the batch; returns the offset in
         * {@link #array()} where they start. The array may be a new one after this call.
         */
        int reserve(int length);

        /** The batch's buffer; read it after {@link #reserve}, which may replace it. */
        byte[] array();
    }
}

package io.eventstreamer.core.internal.fanout;

import io.eventstreamer.core.internal.config.OverflowPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One published event, encoded once for all its recipients. The bytes end with
 * {@code ,"clientId":"}; each recipient's JSON is these bytes followed by its own
 * {@link ClientSession#clientIdSuffix() suffix}, so the payload is never re-encoded per client.
 * A transport's {@link Framing} lays it out with {@link #length} and {@link #writeTo}.
 *
 * <p>It also carries what a client's queue needs to handle overflow without looking anything up:
 * the previous id of its category (where to resume from when this one is dropped), the category's
 * overflow policy, and the value of its coalescing key.
 */
public final class EncodedEvent {
    private final String category;
    private final String eventType;
    private final long sequence;
    private final String id;
    private final String previousId;
    private final byte[] prefix;
    private final OverflowPolicy overflowPolicy;
    private final String coalesceKey;
    private final long publishedAtMillis;
    private final long publishedAtNanos;
    private final CategoryChannel.Counters counters;
    // Worked out by the first recipient that asks (a framing that puts them on its wire), then shared
    // by the others; a race only works them out twice, to the same values.
    private byte[] idBytes;
    private byte[] eventTypeBytes;
    private byte lineBreaks;

    EncodedEvent(String category, String eventType, long sequence, String id, String previousId, byte[] prefix,
            OverflowPolicy overflowPolicy, String coalesceKey, long publishedAtMillis, CategoryChannel.Counters counters) {
        this.category = category;
        this.eventType = eventType;
        this.sequence = sequence;
        this.id = id;
        this.previousId = previousId;
        this.prefix = prefix;
        this.overflowPolicy = overflowPolicy;
        this.coalesceKey = coalesceKey;
        this.publishedAtMillis = publishedAtMillis;
        this.publishedAtNanos = System.nanoTime();
        this.counters = counters;
    }

    /** Counts a drop of this event from some client's queue, for the category's diagnostics. */
    void countDrop() {
        counters.drops.increment();
    }

    /** Counts one delivery of this event (handed to a recipient's connection). */
    void countDelivery() {
        counters.deliveries.increment();
    }

    long publishedAtNanos() {
        return publishedAtNanos;
    }

    public String category() {
        return category;
    }

    public String eventType() {
        return eventType;
    }

    public String id() {
        return id;
    }

    /** The id in ASCII, worked out once per event for every recipient. Do not modify. */
    public byte[] idBytes() {
        byte[] bytes = idBytes;
        if (bytes == null) {
            bytes = id.getBytes(StandardCharsets.US_ASCII);
            idBytes = bytes;
        }
        return bytes;
    }

    /** The event type in ASCII (catalog names are), worked out once per event for every recipient. Do not modify. */
    public byte[] eventTypeBytes() {
        byte[] bytes = eventTypeBytes;
        if (bytes == null) {
            bytes = eventType.getBytes(StandardCharsets.US_ASCII);
            eventTypeBytes = bytes;
        }
        return bytes;
    }

    /**
     * Whether the event's JSON holds a line break (published data keeps its whitespace): worked out
     * once per event, for a framing that must split lines.
     */
    public boolean hasLineBreak() {
        byte known = lineBreaks;
        if (known == 0) {
            known = 2;
            for (byte b : prefix) {
                if (b == '\n' || b == '\r') {
                    known = 1;
                    break;
                }
            }
            lineBreaks = known;
        }
        return known == 1;
    }

    long sequence() {
        return sequence;
    }

    /** The id of the event published just before this one in its category. */
    String previousId() {
        return previousId;
    }

    OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    /** The value of the coalescing key field, or null when events of this type can't be merged. */
    String coalesceKey() {
        return coalesceKey;
    }

    long publishedAtMillis() {
        return publishedAtMillis;
    }

    /** Whether {@code other} is about the same thing, so that the newer can replace the older. */
    boolean sameThingAs(EncodedEvent other) {
        return coalesceKey != null && coalesceKey.equals(other.coalesceKey)
                && eventType.equals(other.eventType) && category.equals(other.category);
    }

    /** The length of this event's JSON for a recipient whose clientId suffix is {@code suffix}. */
    public int length(byte[] suffix) {
        return prefix.length + suffix.length;
    }

    /**
     * Writes this event's JSON for a recipient whose clientId suffix is {@code suffix} at
     * {@code offset}: {@link #length} bytes.
     */
    public void writeTo(byte[] destination, int offset, byte[] suffix) {
        System.arraycopy(prefix, 0, destination, offset, prefix.length);
        System.arraycopy(suffix, 0, destination, offset + prefix.length, suffix.length);
    }

    /** This event's JSON for a recipient whose clientId suffix is {@code suffix}, in a buffer of its own. */
    ByteBuffer messageFor(byte[] suffix) {
        byte[] message = new byte[prefix.length + suffix.length];
        writeTo(message, 0, suffix);
        return ByteBuffer.wrap(message);
    }
}

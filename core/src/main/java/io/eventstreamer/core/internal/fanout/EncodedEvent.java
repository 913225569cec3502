package io.eventstreamer.core.internal.fanout;

import java.nio.ByteBuffer;

/**
 * One published event, encoded once for all its recipients. The bytes end with
 * {@code ,"clientId":"}; each recipient's frame is these bytes followed by its own
 * {@link ClientSession#clientIdSuffix() suffix}, so the payload is never re-encoded per client.
 */
public final class EncodedEvent {
    private final String category;
    private final String id;
    private final byte[] prefix;

    EncodedEvent(String category, String id, byte[] prefix) {
        this.category = category;
        this.id = id;
        this.prefix = prefix;
    }

    public String category() {
        return category;
    }

    public String id() {
        return id;
    }

    /** The complete frame payload for a recipient whose clientId suffix is {@code suffix}. */
    ByteBuffer frameFor(byte[] suffix) {
        byte[] frame = new byte[prefix.length + suffix.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(suffix, 0, frame, prefix.length, suffix.length);
        return ByteBuffer.wrap(frame);
    }

    int size() {
        return prefix.length;
    }
}

package io.eventstreamer.core.internal.fanout;

import io.eventstreamer.core.internal.config.OverflowPolicy;
import java.nio.charset.StandardCharsets;

/** Encoded events built by hand, for the tests of a transport's framing outside this package. */
public final class TestEvents {
    private TestEvents() {
    }

    /** An event of {@code category} and {@code eventType} numbered {@code id} whose shared bytes are {@code json}. */
    public static EncodedEvent encoded(String category, String eventType, String id, String json) {
        return new EncodedEvent(category, eventType, 1, id, null, json.getBytes(StandardCharsets.UTF_8),
                OverflowPolicy.DROP_OLDEST, null, 0, new CategoryChannel.Counters());
    }
}

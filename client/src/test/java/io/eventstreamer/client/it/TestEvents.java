package io.eventstreamer.client.it;

import io.eventstreamer.core.EventStreamer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Publishing core's test categories through a host, as an embedding application does. */
final class TestEvents {
    static final String ALPHA = "test-alpha";
    static final String BETA = "test-beta";

    private TestEvents() {
    }

    /** Publishes an {@code alpha-happened} with {@code count = seq}; returns its id. */
    static String alpha(EventStreamer host, int seq) {
        return host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "event " + seq, "count", seq));
    }

    /** Publishes {@code count} alpha events numbered from {@code firstSeq}; returns their ids in order. */
    static List<String> alphas(EventStreamer host, int firstSeq, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(alpha(host, firstSeq + i));
        }
        return ids;
    }

    /** Publishes a {@code beta-measured} with {@code value = seq} and an extra field {@code seq}; returns its id. */
    static String beta(EventStreamer host, int seq) {
        return host.emitter(BETA).emit("beta-measured",
                Map.of("value", seq, "measuredAt", Instant.now().toString(), "seq", seq));
    }
}

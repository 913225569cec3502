package io.eventstreamer.benchmarks.jmh;

import io.eventstreamer.core.internal.bench.EngineFixture;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.JsonType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What the benchmarks share: one category's catalog and payload, and the engine's fan-out classes
 * wired without Jetty through {@link EngineFixture}, the only way the benchmarks reach core's
 * internals (an architecture rule, {@code BenchmarksArchitectureTest}, keeps it so).
 */
final class Fixtures {
    static final String CATEGORY = "bench";
    static final String EVENT_TYPE = "thing-happened";
    static final Executor DIRECT = Runnable::run;
    static final int QUEUE_CAPACITY = 4096;

    private Fixtures() {
    }

    static EventCatalog catalog() {
        return EventCatalog.builder(CATEGORY)
                .add(EventType.builder(EVENT_TYPE, "A benchmark event")
                        .required("thingId", JsonType.STRING, "Id of the thing")
                        .required("attempt", JsonType.INTEGER, "Attempt number")
                        .optional("detail", JsonType.STRING, "Free text")
                        .build())
                .build();
    }

    static EventType eventType() {
        return catalog().eventTypes().get(0);
    }

    /** A payload whose JSON is about 200 bytes, like the end-to-end benchmarks' events. */
    static Map<String, Object> payload() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("thingId", "payment-capture-8812");
        p.put("attempt", 3);
        p.put("detail", "x".repeat(140));
        return p;
    }

    static EngineFixture.Channel channel() {
        return EngineFixture.channel(catalog());
    }

    static EngineFixture.Session session(long number, EngineFixture.Sink sink, Executor flusher) {
        return EngineFixture.session(number, sink, flusher, QUEUE_CAPACITY);
    }

    /** One real encoded event of {@link #EVENT_TYPE}, as the channel builds it. */
    static EngineFixture.Event encodedEvent() {
        return EngineFixture.encodedEvent(catalog(), EVENT_TYPE, payload());
    }
}

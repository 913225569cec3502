package io.eventstreamer.benchmarks.jmh;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.internal.broker.MemoryBroker;
import io.eventstreamer.core.internal.config.CategorySettings;
import io.eventstreamer.core.internal.config.OverflowPolicy;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.fanout.EncodedEvent;
import io.eventstreamer.core.internal.fanout.FrameSink;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.JsonType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * The engine's fan-out classes wired without Jetty: a category channel, client sessions whose
 * flusher is the calling thread, and fake sinks. Every internal constructor the benchmarks use is
 * called here, so a change of those signatures is fixed in this one file.
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

    static CategoryChannel channel() {
        CategorySettings settings = Settings.from(ConfigFactory.load()).category(CATEGORY);
        return new CategoryChannel(catalog(), settings, new MemoryBroker(1L, () -> 0), () -> true);
    }

    static ClientSession session(long number, FrameSink sink, Executor flusher) {
        return new ClientSession(number, "127.0.0.1:" + number, sink, flusher, QUEUE_CAPACITY,
                OverflowPolicy.DROP_OLDEST);
    }

    /**
     * One real {@link EncodedEvent}, as the channel builds it. Its constructor is not public, so it is
     * published to a session that never drains and taken back out of that session's queue.
     */
    static EncodedEvent encodedEvent() {
        CategoryChannel channel = channel();
        ClientSession holder = session(0, new CompletingSink(), task -> { });
        channel.subscribeFromNow(holder);
        channel.emit(EVENT_TYPE, payload());
        try {
            for (Field f : ClientSession.class.getDeclaredFields()) {
                if (Queue.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    for (Object o : (Queue<?>) f.get(holder)) {
                        if (o instanceof EncodedEvent) {
                            return (EncodedEvent) o;
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("could not take an EncodedEvent out of a ClientSession queue", e);
        }
        throw new IllegalStateException("no ClientSession queue held the published EncodedEvent");
    }

    /**
     * Like the server's connections (without permessage-deflate), a sink that takes each batch as
     * one buffer of whole frames; the subclasses decide when a write completes.
     */
    abstract static class FramedSink implements FrameSink {
        long writes;

        @Override
        public final boolean takesFramedBytes() {
            return true;
        }

        @Override
        public final void send(ByteBuffer payload, boolean batch, WriteCallback callback) {
            throw new IllegalStateException("this sink takes framed bytes");
        }

        @Override
        public final void close(int statusCode, String reason) {
        }

        @Override
        public final void disconnect() {
        }
    }

    /** A sink whose writes complete at once, like a socket that always has room. */
    static final class CompletingSink extends FramedSink {
        long bytes;

        @Override
        public void writeFrames(ByteBuffer frames, WriteCallback callback) {
            writes++;
            bytes += frames.remaining();
            callback.written();
        }
    }

    /**
     * A sink that holds each write (a drain pass's batch of whole frames) until {@link #release()},
     * like a socket write in progress: events queue up behind it meanwhile.
     */
    static final class HoldingSink extends FramedSink {
        private WriteCallback held;

        @Override
        public void writeFrames(ByteBuffer frames, WriteCallback callback) {
            writes++;
            held = callback;
        }

        void release() {
            WriteCallback c = held;
            held = null;
            if (c != null) {
                c.written();
            }
        }
    }
}

package io.eventstreamer.core.internal.bench;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.internal.broker.MemoryBroker;
import io.eventstreamer.core.internal.config.CategorySettings;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.fanout.EncodedEvent;
import io.eventstreamer.core.internal.fanout.Framing;
import io.eventstreamer.core.internal.fanout.Transport;
import io.eventstreamer.core.internal.http.PublishBody;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.ws.WebSocketFraming;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * The one entry point through which the JMH benchmarks ({@code benchmarks/}, package
 * {@code io.eventstreamer.benchmarks.jmh}) reach the engine's internals: the fan-out classes wired
 * without Jetty (a category channel on a memory broker, client sessions whose flusher the caller
 * chooses, fake connections) and the parser of {@code POST /api/events}.
 *
 * <p><b>For benchmarks only, not an API.</b> Nothing in the host uses it, plugins must not, and it
 * changes whenever the engine does. Every method only delegates: when an internal constructor or
 * method changes, this class is the one place to adapt, and the benchmarks keep compiling. An
 * architecture rule in {@code benchmarks/} keeps the benchmarks from using any other class of
 * {@code io.eventstreamer.core.internal}.
 *
 * <pre>{@code
 * EngineFixture.Channel channel = EngineFixture.channel(catalog);
 * channel.subscribe(EngineFixture.session(1, new EngineFixture.CompletingSink(), Runnable::run, 4096));
 * channel.emit("thing-happened", payload); // validated, encoded, numbered, framed and "written"
 * }</pre>
 */
public final class EngineFixture {

    private EngineFixture() {
    }

    /**
     * A channel for {@code catalog}'s category on a memory broker, with the category's settings from
     * {@code reference.conf} (and {@code application.conf}, if the class path has one).
     */
    public static Channel channel(EventCatalog catalog) {
        requireNonNull(catalog, "catalog is null");
        CategorySettings settings = Settings.from(ConfigFactory.load()).category(catalog.category());
        return new Channel(new CategoryChannel(catalog, settings, new MemoryBroker(1L, () -> 0), () -> true));
    }

    /**
     * A client session numbered {@code number} that writes to {@code sink}, drains its queue on
     * {@code flusher} ({@code Runnable::run}: the calling thread) and holds up to
     * {@code queueCapacity} events, dropping the oldest when full.
     */
    public static Session session(long number, Sink sink, Executor flusher, int queueCapacity) {
        requireNonNull(sink, "sink is null");
        requireNonNull(flusher, "flusher is null");
        return new Session(new ClientSession(number, "127.0.0.1:" + number, sink, flusher,
                ClientSession.Bounds.ofEvents(queueCapacity), nanos -> { }));
    }

    /**
     * One real encoded event, as a channel of {@code catalog} builds it for its subscribers.
     *
     * <p>An encoded event has no public constructor: it is published to a session whose flusher
     * never runs and taken back out of that session's queue.
     */
    public static Event encodedEvent(EventCatalog catalog, String eventType, Map<String, ?> payload) {
        Channel channel = channel(catalog);
        Session holder = session(0, new CompletingSink(), task -> { }, 1);
        channel.subscribe(holder);
        channel.emit(eventType, payload);
        try {
            for (Field f : ClientSession.class.getDeclaredFields()) {
                if (Queue.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    for (Object o : (Queue<?>) f.get(holder.session)) {
                        if (o instanceof EncodedEvent) {
                            return new Event((EncodedEvent) o);
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("could not take an EncodedEvent out of a ClientSession queue", e);
        }
        throw new IllegalStateException("no ClientSession queue held the published EncodedEvent");
    }

    /** Reads a {@code POST /api/events} body as the host does ({@code PublishBody.parse}). */
    public static Object parsePublishBody(byte[] body) throws IOException {
        return PublishBody.parse(body);
    }

    /** Jackson's data binding of {@code json} into maps and lists, with the host's {@code ObjectMapper}. */
    public static Object readWithHostMapper(byte[] json) throws IOException {
        return Json.MAPPER.readValue(json, Object.class);
    }

    /** One category's channel: its emitter and its subscribers. */
    public static final class Channel {
        private final CategoryChannel channel;

        private Channel(CategoryChannel channel) {
            this.channel = channel;
        }

        /** Validates, encodes and publishes an event to every subscriber; returns its id. */
        public String emit(String eventType, Map<String, ?> payload) {
            return channel.emit(eventType, payload);
        }

        /**
         * Encodes an already validated payload, once for all recipients. The result is opaque (so
         * that no wrapper is allocated per event): give it to {@link #publish}.
         */
        public Object encode(EventType type, Map<String, ?> payload) {
            return channel.prepare(type, payload);
        }

        /** Publishes what {@link #encode} returned; returns the event's id. */
        public String publish(Object encoded) {
            return channel.publish((CategoryChannel.Prepared) encoded);
        }

        /** Subscribes {@code session} to live events; returns the newest id published before (or null). */
        public String subscribe(Session session) {
            return channel.subscribeFromNow(session.session);
        }

        public boolean unsubscribe(Session session) {
            return channel.unsubscribe(session.session);
        }
    }

    /** A client's session: its queue, its drain and its connection. */
    public static final class Session {
        private final ClientSession session;

        private Session(ClientSession session) {
            this.session = session;
        }

        /** Queues an event, to be drained by the session's flusher. */
        public void enqueue(Event event) {
            session.enqueue(event.event);
        }

        public void setClientId(String clientId) {
            session.setClientId(clientId);
        }
    }

    /** An event encoded once for all its recipients, ready to be queued. */
    public static final class Event {
        private final EncodedEvent event;

        private Event(EncodedEvent event) {
            this.event = event;
        }
    }

    /**
     * A fake connection that, like the server's WebSocket connections (without permessage-deflate),
     * takes each batch as one buffer laid out by the WebSocket framing; the subclasses decide when a
     * write completes.
     */
    public abstract static class Sink implements Transport {
        @Override
        public String name() {
            return "bench";
        }

        long writes;
        long bytes;

        Sink() {
        }

        /** The writes handed to this connection so far. */
        public final long writes() {
            return writes;
        }

        /** The bytes of those writes. */
        public final long bytes() {
            return bytes;
        }

        @Override
        public final Framing framing() {
            return WebSocketFraming.INSTANCE;
        }

        @Override
        public final void send(ByteBuffer payload, boolean batch, WriteCallback callback) {
            throw new IllegalStateException("this sink has a framing: it takes whole batches");
        }

        @Override
        public final void close(int statusCode, String reason) {
        }

        @Override
        public final void disconnect() {
        }
    }

    /** A connection whose writes complete at once, like a socket that always has room. */
    public static final class CompletingSink extends Sink {
        @Override
        public void write(ByteBuffer frames, WriteCallback callback) {
            writes++;
            bytes += frames.remaining();
            callback.written();
        }
    }

    /**
     * A connection that holds each write (a drain pass's batch of whole frames) until
     * {@link #release()}, like a socket write in progress: events queue up behind it meanwhile.
     */
    public static final class HoldingSink extends Sink {
        private WriteCallback held;

        @Override
        public void write(ByteBuffer frames, WriteCallback callback) {
            writes++;
            held = callback;
        }

        /** Completes the write held, if any. */
        public void release() {
            WriteCallback c = held;
            held = null;
            if (c != null) {
                c.written();
            }
        }
    }
}

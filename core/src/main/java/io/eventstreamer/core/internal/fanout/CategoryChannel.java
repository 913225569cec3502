package io.eventstreamer.core.internal.fanout;

import static java.util.Objects.requireNonNull;

import io.eventstreamer.core.internal.broker.Broker;
import io.eventstreamer.core.internal.broker.BrokerUnavailableException;
import io.eventstreamer.core.internal.broker.CategoryLog;
import io.eventstreamer.core.internal.broker.LogEntry;
import io.eventstreamer.core.internal.broker.LogReader;
import io.eventstreamer.core.internal.broker.Replay;
import io.eventstreamer.core.internal.broker.StreamIds;
import io.eventstreamer.core.internal.config.CategorySettings;
import io.eventstreamer.core.internal.config.OverflowPolicy;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.protocol.EventEnvelope;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventEmitter;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.InvalidEventException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One category's emitter and subscribers: validates and encodes an event once, appends it to the
 * category's {@link CategoryLog} (the broker numbers it and keeps it for resumes), and enqueues
 * what the log delivers to every subscriber, in id order.
 *
 * <p>Delivering and subscribing (with or without resume) take this channel's lock, so a resuming
 * client gets the replayed events and then the live ones with nothing missing or doubled. There is
 * one publish path and one resume path, whichever the broker.
 */
public final class CategoryChannel implements EventEmitter, LogReader {
    private static final Logger LOG = LoggerFactory.getLogger(CategoryChannel.class);

    private final EventCatalog catalog;
    private final Subscribers subscribers = new Subscribers();
    private final BooleanSupplier running;
    private final OverflowPolicy overflowPolicy;
    private final CategoryLog log;
    private final int historyCapacity;
    private final Counters counters = new Counters();
    private final Map<String, LongAdder> publishedByType = new LinkedHashMap<>();
    private final Map<String, byte[]> envelopeStarts;
    /** Counts deliveries: orders a category's events in a client's queue (see {@link QueueGap}). */
    private long lastSequence;
    /** The id of the last event delivered, or where the log starts (null: nothing yet). */
    private String lastId;

    /** A channel whose events the broker numbers, keeps and delivers: it opens the category's log. */
    public CategoryChannel(EventCatalog catalog, CategorySettings settings, Broker broker, BooleanSupplier running) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.running = requireNonNull(running, "running is null");
        this.overflowPolicy = settings.overflowPolicy();
        this.historyCapacity = settings.historySize();
        for (EventType type : catalog.eventTypes()) {
            publishedByType.put(type.name(), new LongAdder());
        }
        this.envelopeStarts = envelopeStarts(catalog);
        // Last: the log may deliver from another thread as soon as the broker starts.
        this.log = broker.open(catalog.category(), settings, this);
    }

    @Override
    public String category() {
        return catalog.category();
    }

    @Override
    public EventCatalog catalog() {
        return catalog;
    }

    @Override
    public String emit(String eventType, Map<String, ?> payload) {
        EventType type = catalog.validate(eventType, payload);
        return publish(prepare(type, payload));
    }

    /**
     * Encodes a payload that has already been validated. Done before {@link #publish} so that a
     * batch can be encoded completely (and fail as a whole) before any of it is published.
     */
    public Prepared prepare(EventType type, Map<String, ?> payload) {
        // The object is left open: deliver() appends the id and the clientId field's opening, each
        // recipient its clientId and the closing brace.
        byte[] body;
        try {
            body = EventEnvelope.body(type.name(), catalog.category(), payload, Json.now());
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidEventException(InvalidEventException.Reason.INVALID_PAYLOAD, String.format(
                    "event '%s' of category '%s': the payload can't be written as JSON (%s)",
                    type.name(), catalog.category(), rootMessage(e)));
        }
        return new Prepared(type.name(), coalesceKey(type, payload), body);
    }

    /**
     * Encodes a validated payload whose JSON text is {@code source[dataStart, dataEnd)}, copying
     * that text instead of writing the payload again: the event is the same as {@link #prepare}'s
     * but for the data's whitespace, escapes and number spelling, which stay as published. The text
     * must be what the host's parser accepted, which refuses ill-formed UTF-8, so that it can go out
     * in a text frame unchanged. Falls back to {@link #prepare} when the offsets are unknown (-1).
     *
     * @param payload {@code source[dataStart, dataEnd)} as parsed, for the coalescing key
     */
    public Prepared prepareRaw(EventType type, Map<String, ?> payload, byte[] source, int dataStart, int dataEnd) {
        byte[] start = envelopeStarts.get(type.name());
        if (start == null || dataStart < 0) {
            return prepare(type, payload);
        }
        byte[] body = EventEnvelope.body(start, source, dataStart, dataEnd, Json.now());
        return new Prepared(type.name(), coalesceKey(type, payload), body);
    }

    private static String coalesceKey(EventType type, Map<String, ?> payload) {
        return type.coalesceKey().map(payload::get).map(String::valueOf).orElse(null);
    }

    /** Per event type, what {@link #prepare} writes before the data's value: the envelope up to {@code "data":}. */
    private static Map<String, byte[]> envelopeStarts(EventCatalog catalog) {
        Map<String, byte[]> starts = new HashMap<>();
        for (EventType type : catalog.eventTypes()) {
            starts.put(type.name(), EventEnvelope.start(type.name(), catalog.category()));
        }
        return Map.copyOf(starts);
    }

    /**
     * Where the log starts (redis: its newest entry when this host connected,
     * {@link StreamIds#BEFORE_EVERY_ENTRY} when there was none): the resume point given to clients
     * until something is delivered.
     */
    @Override
    public synchronized void startAfter(String id) {
        if (lastId == null) {
            lastId = id;
        }
    }

    /**
     * Hands an event of the log to every subscriber's queue; entries arrive in id order. Wakes
     * resumes waiting for this id.
     */
    @Override
    public void deliver(LogEntry entry) {
        String id = entry.id();
        byte[] prefix = EventEnvelope.withId(entry.body(), id);
        int recipients;
        synchronized (this) {
            long sequence = ++lastSequence;
            EncodedEvent event = new EncodedEvent(catalog.category(), entry.eventType(), sequence, id, lastId,
                    prefix, overflowPolicy, entry.coalesceKey(), entry.publishedAtMillis(), counters);
            lastId = id;
            recipients = enqueueToSubscribers(event);
            notifyAll();
        }
        LongAdder count = publishedByType.get(entry.eventType());
        if (count != null) {
            count.increment();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("delivered {} #{} to {} subscriber(s)", catalog.category(), id, recipients);
        }
    }

    /**
     * The shared log no longer holds every entry after the last one this host delivered: entries
     * were trimmed before the reader got to them (it was disconnected, or fell more than the
     * history behind). Tells every subscriber, with a {@code gap} (reason {@code history-expired},
     * and how many when the log can count them), and goes on with what the log still holds.
     */
    @Override
    public void trimmedBeforeRead(Long missed) {
        byte[] gap;
        synchronized (this) {
            gap = ServerMessages.encode(ServerMessage.Gap.trimmedBeforeRead(category(), lastId, missed));
            for (ClientSession client : subscribers.snapshot()) {
                client.send(gap);
            }
        }
        LOG.warn("{}: {} entries after {} left the shared log before this host read them; subscribers are told (gap,"
                + " history-expired)", category(), missed == null ? "some" : missed, lastId);
    }

    /**
     * Queues {@code event} for every subscriber; returns how many. Called with this channel's lock
     * held, so that queues receive events in id order. The flusher threads start once every
     * subscriber has it (see {@link FlusherThreads#deferWakeUps()}).
     */
    private int enqueueToSubscribers(EncodedEvent event) {
        ClientSession[] clients = subscribers.snapshot();
        try (FlusherThreads.WakeUpScope scope = FlusherThreads.deferWakeUps()) {
            for (ClientSession client : clients) {
                client.enqueue(event);
            }
        }
        return clients.length;
    }

    /**
     * Appends the event to the category's log, which numbers it and delivers it to this channel's
     * subscribers (with the memory broker before this returns; with redis, every host's reader).
     *
     * @throws IllegalStateException when the host is stopping
     * @throws BrokerUnavailableException when the log can't be reached
     */
    public String publish(Prepared prepared) {
        if (!running.getAsBoolean()) {
            throw new IllegalStateException("the event-streamer host is not running");
        }
        return publishAccepted(prepared);
    }

    /**
     * {@link #publish} for the events of a request that the host accepted before its first event
     * (see {@code PublishesInFlight}): a stop that begins in the middle doesn't cut the request
     * short, so that a request is published whole or refused whole.
     *
     * @throws BrokerUnavailableException when the log can't be reached
     */
    public String publishAccepted(Prepared prepared) {
        return log.append(prepared.eventType, prepared.coalesceKey, prepared.body);
    }

    /**
     * Subscribes a client to live events and returns the newest id published before it (null when
     * none): the point from which this client can resume the category later, even if it receives
     * nothing before its connection drops.
     */
    public synchronized String subscribeFromNow(ClientSession client) {
        subscribers.add(client);
        return lastId;
    }

    /**
     * Subscribes a client and, atomically with respect to delivery, queues the events it missed
     * after {@code lastSeenId}; or reports why that isn't possible.
     */
    public synchronized ResumeResult subscribeAfter(ClientSession client, String lastSeenId) {
        ResumeResult result = resume(client, lastSeenId);
        subscribers.add(client);
        return result;
    }

    /**
     * Replays from the log the entries after {@code lastSeenId} up to the last one delivered, with
     * the lock held (so nothing is delivered in between); live delivery continues after that
     * entry, so nothing is missed or doubled. An id a little ahead of this host (another node's
     * reader was faster) is waited for, as long as the log says.
     */
    private ResumeResult resume(ClientSession client, String lastSeenId) {
        String category = category();
        long deadline = System.nanoTime() + log.aheadWaitMillis() * 1_000_000L;
        while (StreamIds.isValid(lastSeenId) && (lastId == null || StreamIds.compare(lastSeenId, lastId) > 0)) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break; // the log says what this is: unknown, or of another epoch
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Replay replay = log.replay(lastSeenId, lastId);
        if (!replay.replayed()) {
            return ResumeResult.failed(category, lastSeenId, replay.failure(), lastId, replay.missed());
        }
        List<LogEntry> entries = replay.entries();
        List<EncodedEvent> events = new ArrayList<>(entries.size());
        String previous = lastSeenId;
        // Sequences before the next live event's, in order: a client's queue orders its drops by them.
        long sequence = lastSequence - entries.size();
        for (LogEntry entry : entries) {
            events.add(new EncodedEvent(category, entry.eventType(), ++sequence, entry.id(), previous,
                    EventEnvelope.withId(entry.body(), entry.id()), overflowPolicy, entry.coalesceKey(), entry.publishedAtMillis(),
                    counters));
            previous = entry.id();
        }
        client.enqueueReplay(events);
        return ResumeResult.resumed(category, lastSeenId, events);
    }

    public boolean unsubscribe(ClientSession client) {
        return subscribers.remove(client);
    }

    public int subscriberCount() {
        return subscribers.count();
    }

    /** Events of this category dropped from slow clients' queues since the start. */
    public long drops() {
        return counters.drops.sum();
    }

    /** Events of this category handed to subscribers' connections since the start. */
    public long deliveries() {
        return counters.deliveries.sum();
    }

    /** Events of a type published since the start. */
    public long published(String eventType) {
        LongAdder count = publishedByType.get(eventType);
        return count == null ? 0 : count.sum();
    }

    public java.util.Set<String> eventTypes() {
        return publishedByType.keySet();
    }

    public int historyCapacity() {
        return historyCapacity;
    }

    /** The newest id published, or null. */
    public synchronized String lastId() {
        return lastId;
    }

    /** Events currently held in this host's history (the memory broker's; 0 with redis). */
    public int historySize() {
        return log.historySize();
    }

    /** Encoded bytes of the events currently held in history (at most history.max-bytes). */
    public long historyBytes() {
        return log.historyBytes();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? "unsupported value" : m.split("\n", 2)[0];
    }

    /** The category's counters that its events update as they are delivered or dropped. */
    static final class Counters {
        final LongAdder deliveries = new LongAdder();
        final LongAdder drops = new LongAdder();
    }

    /** An event validated and encoded, not yet numbered or published. */
    public static final class Prepared {
        private final String eventType;
        private final String coalesceKey;
        private final byte[] body;

        Prepared(String eventType, String coalesceKey, byte[] body) {
            this.eventType = eventType;
            this.coalesceKey = coalesceKey;
            this.body = body;
        }

        /** The encoded event, the object left open (for tests). */
        byte[] body() {
            return body;
        }

        String coalesceKey() {
            return coalesceKey;
        }
    }
}

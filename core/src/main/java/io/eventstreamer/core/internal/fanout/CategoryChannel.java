package io.eventstreamer.core.internal.fanout;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventEmitter;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.InvalidEventException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One category's emitter and subscribers: validates, numbers, encodes once and enqueues to every
 * subscriber. Ids increase in the order events are enqueued, so every client sees a category's
 * events in publish order.
 */
public final class CategoryChannel implements EventEmitter {
    private static final Logger LOG = LoggerFactory.getLogger(CategoryChannel.class);

    private static final byte[] ID_START = ",\"id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_END_CLIENT_ID_START = "\",\"clientId\":\"".getBytes(StandardCharsets.US_ASCII);

    private final EventCatalog catalog;
    private final Subscribers subscribers = new Subscribers();
    private final BooleanSupplier running;
    private long lastId;

    public CategoryChannel(EventCatalog catalog, BooleanSupplier running) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.running = requireNonNull(running, "running is null");
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
        return publish(encode(type, payload));
    }

    /**
     * Encodes a payload that has already been validated. Done before {@link #publish} so that a
     * batch can be encoded completely (and fail as a whole) before any of it is published.
     */
    public byte[] encode(EventType type, Map<String, ?> payload) {
        ObjectNode body = Json.object();
        body.put("type", "event");
        body.put("event", type.name());
        body.put("category", catalog.category());
        try {
            body.set("data", Json.MAPPER.valueToTree(payload));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(InvalidEventException.Reason.INVALID_PAYLOAD, String.format(
                    "event '%s' of category '%s': the payload can't be written as JSON (%s)",
                    type.name(), catalog.category(), rootMessage(e)));
        }
        body.put("timestamp", Json.now());
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(body);
            // Drop the closing brace: publish() appends the id and the clientId field's opening.
            byte[] open = new byte[json.length - 1];
            System.arraycopy(json, 0, open, 0, open.length);
            return open;
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(InvalidEventException.Reason.INVALID_PAYLOAD, String.format(
                    "event '%s' of category '%s': the payload can't be written as JSON",
                    type.name(), catalog.category()));
        }
    }

    /** Assigns the next id and hands the event to every subscriber's queue. */
    public String publish(byte[] encodedBody) {
        if (!running.getAsBoolean()) {
            throw new IllegalStateException("the event-streamer host is not running");
        }
        ByteArrayOutputStream prefix = new ByteArrayOutputStream(encodedBody.length + 48);
        prefix.writeBytes(encodedBody);
        String id;
        synchronized (this) {
            id = Long.toString(++lastId);
            prefix.writeBytes(ID_START);
            prefix.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
            prefix.writeBytes(ID_END_CLIENT_ID_START);
            EncodedEvent event = new EncodedEvent(catalog.category(), id, prefix.toByteArray());
            for (ClientSession client : subscribers.snapshot()) {
                client.enqueue(event);
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("published {} #{} to {} subscriber(s)", catalog.category(), id, subscribers.count());
        }
        return id;
    }

    public boolean subscribe(ClientSession client) {
        return subscribers.add(client);
    }

    public boolean unsubscribe(ClientSession client) {
        return subscribers.remove(client);
    }

    public int subscriberCount() {
        return subscribers.count();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? "unsupported value" : m.split("\n", 2)[0];
    }
}

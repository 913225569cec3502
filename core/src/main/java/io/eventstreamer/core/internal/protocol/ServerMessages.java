package io.eventstreamer.core.internal.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.protocol.ServerMessage.ErrorMessage;
import io.eventstreamer.core.internal.protocol.ServerMessage.EventsDropped;
import io.eventstreamer.core.internal.protocol.ServerMessage.Gap;
import io.eventstreamer.core.internal.protocol.ServerMessage.OverflowGap;
import io.eventstreamer.core.internal.protocol.ServerMessage.Ping;
import io.eventstreamer.core.internal.protocol.ServerMessage.Pong;
import io.eventstreamer.core.internal.protocol.ServerMessage.RefreshAck;
import io.eventstreamer.core.internal.protocol.ServerMessage.StreamInterrupted;
import io.eventstreamer.core.internal.protocol.ServerMessage.StreamRestored;
import io.eventstreamer.core.internal.protocol.ServerMessage.SubscriptionAck;
import io.eventstreamer.core.internal.protocol.ServerMessage.TokenExpiring;
import io.eventstreamer.core.internal.protocol.ServerMessage.UnsubscriptionAck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The codec of {@link ServerMessage}s: each becomes the UTF-8 JSON of one text message,
 * {@code {"type":..,"timestamp":..,"data":{..}}} (no {@code data} for ping and pong). Every field
 * name of those messages is written here, in the order clients have always received them.
 *
 * <pre>{@code
 * byte[] ack = ServerMessages.encode(new ServerMessage.UnsubscriptionAck(List.of("dlq")));
 * byte[] refused = ServerMessages.error(ErrorCode.UNKNOWN_CATEGORY, "Unknown category 'billing'");
 * }</pre>
 */
public final class ServerMessages {
    static final String TYPE = "type";
    static final String TIMESTAMP = "timestamp";
    private static final String DATA = "data";
    private static final String CATEGORY = "category";
    private static final String CATEGORIES = "categories";
    private static final String REASON = "reason";
    private static final String MISSED = "missed";
    private static final String EXPIRES_AT = "expiresAt";
    /** How every encoded message starts; its type's wire name follows, then a quote. */
    private static final byte[] TYPE_PREFIX = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    /** What a stream-interrupted says: the broker could not be read. */
    private static final String INTERRUPTED_REASON = GapReason.BROKER_UNAVAILABLE.wireName();

    private ServerMessages() {
    }

    /** {@code message} as sent now: the bytes of a text message. */
    public static byte[] encode(ServerMessage message) {
        return encode(message, Json.now());
    }

    /** {@code message} with the given {@code timestamp} (ISO-8601 UTC with milliseconds, see {@link Json#now}). */
    public static byte[] encode(ServerMessage message, String timestamp) {
        requireNonNull(message, "message is null");
        requireNonNull(timestamp, "timestamp is null");
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator generator = Json.MAPPER.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField(TYPE, message.type().wireName());
            generator.writeStringField(TIMESTAMP, timestamp);
            if (!(message instanceof Ping || message instanceof Pong)) {
                generator.writeObjectFieldStart(DATA);
                writeData(generator, message);
                generator.writeEndObject();
            }
            generator.writeEndObject();
        } catch (IOException e) {
            // Into memory: only a bug gets here.
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The type of an encoded message, its first field ({@code {"type":"<type>",...}}), for a
     * transport that names messages on its wire; null when {@code message} doesn't start so.
     */
    public static String typeOf(byte[] message) {
        requireNonNull(message, "message is null");
        int start = TYPE_PREFIX.length;
        if (message.length <= start || !Arrays.equals(message, 0, start, TYPE_PREFIX, 0, start)) {
            return null;
        }
        for (int i = start; i < message.length; i++) {
            if (message[i] == '"') {
                return new String(message, start, i - start, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The {@code error} {@code code} with {@code text}, as sent now. */
    public static byte[] error(ErrorCode code, String text) {
        return encode(new ErrorMessage(code, text));
    }

    private static void writeData(JsonGenerator out, ServerMessage message) throws IOException {
        if (message instanceof SubscriptionAck ack) {
            writeSubscriptionAck(out, ack);
        } else if (message instanceof UnsubscriptionAck ack) {
            writeCategories(out, ack.categories());
        } else if (message instanceof RefreshAck ack) {
            writeTimestamp(out, EXPIRES_AT, ack.expiresAt());
        } else if (message instanceof TokenExpiring warning) {
            writeTimestamp(out, EXPIRES_AT, warning.expiresAt());
        } else if (message instanceof ErrorMessage error) {
            writeError(out, error.code(), error.text());
            if (error.categories() != null) {
                writeCategories(out, error.categories());
            }
        } else if (message instanceof EventsDropped dropped) {
            long count = dropped.count();
            writeError(out, ErrorCode.EVENTS_DROPPED, String.format(
                    "%d event%s dropped because this client did not read fast enough",
                    count, count == 1 ? " was" : "s were"));
            out.writeNumberField("dropped", count);
        } else if (message instanceof Gap gap) {
            out.writeStringField(CATEGORY, gap.category());
            out.writeStringField(REASON, gap.reason().wireName());
            out.writeStringField("lastId", gap.lastId());
            out.writeStringField("continuesFrom", gap.continuesFrom());
            if (gap.missed() != null) {
                out.writeNumberField(MISSED, gap.missed());
            }
        } else if (message instanceof OverflowGap gap) {
            out.writeStringField(CATEGORY, gap.category());
            out.writeStringField(REASON, GapReason.OVERFLOW.wireName());
            out.writeNumberField(MISSED, gap.missed());
            out.writeStringField("firstMissed", gap.firstMissed());
            out.writeStringField("lastMissed", gap.lastMissed());
            out.writeStringField("resumeFrom", gap.resumeFrom());
        } else if (message instanceof StreamInterrupted) {
            out.writeStringField(REASON, INTERRUPTED_REASON);
        } else if (!(message instanceof StreamRestored)) {
            // StreamRestored has an empty data object; anything else is a record without an encoding yet.
            throw new IllegalArgumentException("no encoding for " + message.getClass().getName());
        }
    }

    private static void writeSubscriptionAck(JsonGenerator out, SubscriptionAck ack) throws IOException {
        writeCategories(out, ack.categories());
        if (!ack.lastIds().isEmpty()) {
            out.writeObjectFieldStart("lastIds");
            for (Map.Entry<String, String> start : ack.lastIds().entrySet()) {
                out.writeStringField(start.getKey(), start.getValue());
            }
            out.writeEndObject();
        }
        if (ack.resume() != null) {
            out.writeObjectFieldStart("resume");
            for (SubscriptionAck.Resume resume : ack.resume()) {
                out.writeObjectFieldStart(resume.category());
                out.writeBooleanField("resumed", resume.resumed());
                if (resume.resumed()) {
                    out.writeNumberField("replayed", resume.replayed());
                } else {
                    out.writeStringField(REASON, resume.reason().wireName());
                }
                out.writeEndObject();
            }
            out.writeEndObject();
        }
    }

    private static void writeError(JsonGenerator out, ErrorCode code, String text) throws IOException {
        out.writeStringField("error", text);
        out.writeStringField("code", code.wireName());
    }

    private static void writeCategories(JsonGenerator out, List<String> categories) throws IOException {
        out.writeArrayFieldStart(CATEGORIES);
        for (String category : categories) {
            out.writeString(category);
        }
        out.writeEndArray();
    }

    private static void writeTimestamp(JsonGenerator out, String field, Instant instant) throws IOException {
        out.writeStringField(field, instant == null ? null : Json.timestamp(instant));
    }
}

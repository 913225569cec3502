package io.eventstreamer.core.internal.protocol;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eventstreamer.core.internal.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The byte layout of the {@code event} message, which is encoded once per event and spliced per
 * recipient:
 *
 * <pre>{@code
 * {"type":"event","event":"<type>","category":"<category>","data":<data>,"timestamp":"<ts>"
 * ,"id":"<id>","clientId":"
 * <clientId>"}
 * }</pre>
 *
 * <p>The first line is the body, the second what {@link #withId} adds (both shared by every
 * recipient), the third a recipient's {@link #clientIdSuffix}.
 *
 * <p>The body is written when the event is published ({@link #body}, or {@link #body(byte[], byte[],
 * int, int, String)} around data copied as published), the id once the broker numbered it; each
 * recipient's message is the shared prefix followed by its suffix, so nothing is encoded per client.
 */
public final class EventEnvelope {
    private static final String EVENT = "event";
    private static final String CATEGORY = "category";
    private static final String DATA = "data";
    private static final byte[] TIMESTAMP_START = (",\"" + ServerMessages.TIMESTAMP + "\":\"").getBytes(US_ASCII);
    private static final byte[] ID_START = ",\"id\":\"".getBytes(US_ASCII);
    private static final byte[] ID_END_CLIENT_ID_START = "\",\"clientId\":\"".getBytes(US_ASCII);
    private static final byte[] CLIENT_ID_END = {'"', '}'};

    private EventEnvelope() {
    }

    /**
     * The body of an event: the envelope with {@code payload} written as its data, the object left
     * open for {@link #withId}. Streamed in one pass, without a tree.
     *
     * @throws IOException or IllegalArgumentException when the payload can't be written as JSON
     */
    public static byte[] body(String eventType, String category, Object payload, String timestamp) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = Json.MAPPER.createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT)) {
            // Closing returns Jackson's buffers for reuse; it must not close the object.
            generator.writeStartObject();
            generator.writeStringField(ServerMessages.TYPE, MessageType.EVENT.wireName());
            generator.writeStringField(EVENT, eventType);
            generator.writeStringField(CATEGORY, category);
            generator.writeFieldName(DATA);
            Json.MAPPER.writeValue(generator, payload);
            generator.writeStringField(ServerMessages.TIMESTAMP, timestamp);
        }
        return out.toByteArray();
    }

    /**
     * What {@link #body(String, String, Object, String)} writes before the data's value, up to
     * {@code "data":}; computed once per event type, for {@link #body(byte[], byte[], int, int, String)}.
     */
    public static byte[] start(String eventType, String category) {
        String type = new String(Json.escapedUtf8(eventType), UTF_8);
        String escapedCategory = new String(Json.escapedUtf8(category), UTF_8);
        return ("{\"" + ServerMessages.TYPE + "\":\"" + MessageType.EVENT.wireName() + "\",\"" + EVENT + "\":\""
                + type + "\",\"" + CATEGORY + "\":\"" + escapedCategory + "\",\"" + DATA + "\":").getBytes(UTF_8);
    }

    /**
     * The body of an event whose data is the JSON text {@code source[dataStart, dataEnd)}, copied as
     * it is: the same bytes as {@link #body(String, String, Object, String)} but for the data's
     * whitespace, escapes and number spelling. {@code start} is {@link #start} of its type.
     */
    public static byte[] body(byte[] start, byte[] source, int dataStart, int dataEnd, String timestamp) {
        int dataLength = dataEnd - dataStart;
        byte[] body = new byte[start.length + dataLength + TIMESTAMP_START.length + timestamp.length() + 1];
        System.arraycopy(start, 0, body, 0, start.length);
        int at = start.length;
        System.arraycopy(source, dataStart, body, at, dataLength);
        at += dataLength;
        System.arraycopy(TIMESTAMP_START, 0, body, at, TIMESTAMP_START.length);
        at += TIMESTAMP_START.length;
        // ISO-8601 digits and separators: ASCII, one byte per char.
        for (int i = 0; i < timestamp.length(); i++) {
            body[at++] = (byte) timestamp.charAt(i);
        }
        body[at] = '"';
        return body;
    }

    /** The bytes every recipient of the event shares: the body, its id, and the opening of the clientId field. */
    public static byte[] withId(byte[] body, String id) {
        byte[] idBytes = id.getBytes(US_ASCII);
        byte[] prefix = new byte[body.length + ID_START.length + idBytes.length + ID_END_CLIENT_ID_START.length];
        int at = 0;
        System.arraycopy(body, 0, prefix, at, body.length);
        at += body.length;
        System.arraycopy(ID_START, 0, prefix, at, ID_START.length);
        at += ID_START.length;
        System.arraycopy(idBytes, 0, prefix, at, idBytes.length);
        at += idBytes.length;
        System.arraycopy(ID_END_CLIENT_ID_START, 0, prefix, at, ID_END_CLIENT_ID_START.length);
        return prefix;
    }

    /** What ends a recipient's message after {@link #withId}'s bytes: its clientId and the closing brace. */
    public static byte[] clientIdSuffix(String clientId) {
        byte[] id = Json.escapedUtf8(clientId);
        byte[] suffix = new byte[id.length + CLIENT_ID_END.length];
        System.arraycopy(id, 0, suffix, 0, id.length);
        System.arraycopy(CLIENT_ID_END, 0, suffix, id.length, CLIENT_ID_END.length);
        return suffix;
    }
}

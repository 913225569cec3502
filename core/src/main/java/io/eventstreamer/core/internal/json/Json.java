package io.eventstreamer.core.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * The host's one JSON mapper and small JSON helpers. What the server sends to clients is written by
 * the {@code protocol} package.
 */
public final class Json {
    private static final DateTimeFormatter ISO_MILLIS = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    /** Thread-safe; parsing is bounded so that hostile input can't nest or grow without limit. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64)
                            .maxNumberLength(100)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The last {@link #now()}, shared by the events of one millisecond. */
    private static volatile Timestamp lastTimestamp;

    private Json() {
    }

    /** ISO-8601 UTC with milliseconds, e.g. {@code 2026-11-25T22:10:51.123Z}. */
    public static String timestamp(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    /** The current time as {@link #timestamp}; events published within one millisecond share the string. */
    public static String now() {
        long millis = System.currentTimeMillis();
        Timestamp last = lastTimestamp;
        if (last != null && last.millis == millis) {
            return last.text;
        }
        String text = timestamp(Instant.ofEpochMilli(millis));
        lastTimestamp = new Timestamp(millis, text);
        return text;
    }

    private static final class Timestamp {
        final long millis;
        final String text;

        Timestamp(long millis, String text) {
            this.millis = millis;
            this.text = text;
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code s} as the bytes of a JSON string body (escaped, without the quotes). */
    public static byte[] escapedUtf8(String s) {
        return JsonStringEncoder.getInstance().quoteAsUTF8(s);
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }

    /**
     * Quotes a value taken from user input for an error message: shortened to 64 characters and
     * stripped of control characters. JSON encoding does the escaping on the wire.
     */
    public static String quote(String userValue) {
        String s = userValue.length() > 64 ? userValue.substring(0, 64) + "..." : userValue;
        StringBuilder out = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.append('\'').toString();
    }
}

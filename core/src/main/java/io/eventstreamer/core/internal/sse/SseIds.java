package io.eventstreamer.core.internal.sse;

import io.eventstreamer.core.internal.broker.StreamIds;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SSE id of a connection: its position in each category, {@code <category>=<event id>} joined
 * by commas, e.g. {@code scheduler=1764108651123-42,dlq=1764108651123-7}. A browser sends back the
 * last one it received as {@code Last-Event-ID} when it reconnects; a client may also give one as
 * {@code ?resume=}.
 */
final class SseIds {
    static final String POSITION = "=";
    static final byte SEPARATOR = ',';
    /** More than any real id of max-categories-per-subscribe categories; refused before parsing. */
    static final int MAX_LENGTH = 8192;

    private SseIds() {
    }

    /**
     * The positions of {@code sseId}, in order; throws {@link IllegalArgumentException} with a
     * message for the client when it is not an SSE id of this server. Blank means none.
     */
    static Map<String, String> parse(String sseId) {
        Map<String, String> positions = new LinkedHashMap<>();
        if (sseId == null || sseId.isBlank()) {
            return positions;
        }
        if (sseId.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("The resume id is longer than " + MAX_LENGTH + " characters");
        }
        for (String part : sseId.trim().split(String.valueOf((char) SEPARATOR), -1)) {
            int at = part.indexOf(POSITION);
            if (at <= 0 || !StreamIds.isValid(part.substring(at + 1))) {
                throw new IllegalArgumentException("The resume id must be <category>=<event id> pairs joined by"
                        + " commas, as sent in the stream's \"id:\" lines; \"" + shorten(part) + "\" is not one");
            }
            positions.put(part.substring(0, at), part.substring(at + 1));
        }
        return positions;
    }

    private static String shorten(String part) {
        return part.length() > 80 ? part.substring(0, 80) + "..." : part;
    }
}

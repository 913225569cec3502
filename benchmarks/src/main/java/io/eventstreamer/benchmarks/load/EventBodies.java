package io.eventstreamer.benchmarks.load;

import java.util.List;

/**
 * The events the load generator publishes, as {@code POST /api/events} bodies: one valid event type
 * per standard category, with {@code "bench":"<epoch micros>:<sequence>"} as the first field of
 * its data, padded to a payload size. Event {@code seq} is of category {@code seq % categories}.
 */
public final class EventBodies {
    /** The categories of the four standard sources, which every template covers. */
    public static final List<String> STANDARD_CATEGORIES = List.of("error-recovery", "scheduler", "webhook", "dlq");

    /** One event type with the required fields of each standard category, so that every event is valid. */
    private static final String[][] TEMPLATES = {
        {"error-recovery", "error-resolved", "\"errorId\":\"err-1\",\"resolution\":\"retry-succeeded\""},
        {"scheduler", "schedule-deleted", "\"scheduleId\":\"nightly-report\""},
        {"webhook", "webhook-registered", "\"webhookId\":\"wh-1\",\"url\":\"https://hooks.example.com/in\""},
        {"dlq", "entry-resubmitted", "\"entryId\":\"dlq-1\",\"queue\":\"orders.dlq\""},
    };
    private static final int STAMP_DIGITS = 16 + 1 + 10;

    private final String[] prefixes;
    private final String[] suffixes;
    private final int payloadBytes;

    /** Events rotating over {@code categories}, each with a {@code data} object of about {@code payloadBytes}. */
    public EventBodies(List<String> categories, int payloadBytes) {
        this.payloadBytes = payloadBytes;
        int n = categories.size();
        this.prefixes = new String[n];
        this.suffixes = new String[n];
        for (int i = 0; i < n; i++) {
            String category = categories.get(i);
            String[] t = template(category);
            prefixes[i] = "{\"category\":\"" + category + "\",\"event\":\"" + t[1] + "\",\"data\":{\"bench\":\"";
            // data = {"bench":"<stamp>",<required>,"pad":"..."}: pad it to payloadBytes.
            String fixed = "{\"bench\":\"\"," + t[2] + ",\"pad\":\"\"}";
            int pad = Math.max(0, payloadBytes - fixed.length() - STAMP_DIGITS);
            suffixes[i] = "\"," + t[2] + ",\"pad\":\"" + "x".repeat(pad) + "\"}}";
        }
    }

    private static String[] template(String category) {
        for (String[] t : TEMPLATES) {
            if (t[0].equals(category)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no event template for category '" + category
                + "'; the load generator knows " + STANDARD_CATEGORIES);
    }

    /**
     * Events {@code first} to {@code first + count - 1}, all stamped {@code stampMicros}: a JSON
     * array when {@code array}, else the events one after the other (one event is then a valid body).
     */
    public String body(long first, int count, long stampMicros, boolean array) {
        StringBuilder body = new StringBuilder(count * (payloadBytes + 100) + 2);
        if (array) {
            body.append('[');
        }
        for (int i = 0; i < count; i++) {
            long seq = first + i;
            int c = (int) (seq % prefixes.length);
            if (i > 0) {
                body.append(',');
            }
            body.append(prefixes[c]).append(stampMicros).append(':').append(seq).append(suffixes[c]);
        }
        if (array) {
            body.append(']');
        }
        return body.toString();
    }
}

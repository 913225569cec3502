package io.eventstreamer.core.internal.broker;

/**
 * Ids of the form {@code <milliseconds>-<sequence>}, as Redis Streams number their entries; the
 * memory broker's {@code <epoch>-<sequence>} have the same form and order.
 */
public final class StreamIds {
    /**
     * Before every entry a stream can have: the read position, and the resume point given to
     * subscribers, of a stream that is empty.
     */
    public static final String BEFORE_EVERY_ENTRY = "0-0";

    private StreamIds() {
    }

    /** Whether {@code id} is two non-negative decimal numbers joined by a dash. */
    public static boolean isValid(String id) {
        return parse(id) != null;
    }

    /** Orders two valid ids. */
    public static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int c = Long.compareUnsigned(x[0], y[0]);
        return c != 0 ? c : Long.compareUnsigned(x[1], y[1]);
    }

    /** The smallest id greater than a valid {@code id}. */
    public static String next(String id) {
        long[] x = parse(id);
        return Long.toUnsignedString(x[0]) + "-" + Long.toUnsignedString(x[1] + 1);
    }

    /** The first part of a valid id: the milliseconds (redis), or the epoch (memory). */
    public static long first(String id) {
        return parse(id)[0];
    }

    /** The second part of a valid id: the sequence. */
    public static long second(String id) {
        return parse(id)[1];
    }

    private static long[] parse(String id) {
        if (id == null || id.length() > 41) {
            return null;
        }
        int dash = id.indexOf('-');
        if (dash <= 0 || dash == id.length() - 1) {
            return null;
        }
        try {
            long ms = Long.parseUnsignedLong(id.substring(0, dash));
            long seq = Long.parseUnsignedLong(id.substring(dash + 1));
            return new long[] {ms, seq};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

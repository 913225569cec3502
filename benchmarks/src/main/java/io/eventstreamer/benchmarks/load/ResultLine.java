package io.eventstreamer.benchmarks.load;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** One result, printed as one line of JSON. */
final class ResultLine {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    ResultLine(String scenario) {
        fields.put("scenario", scenario);
    }

    ResultLine put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    Object get(String name) {
        return fields.get(name);
    }

    Map<String, Object> fields() {
        return fields;
    }

    /** Latency percentiles in milliseconds, from a histogram of microseconds. */
    static Map<String, Object> latency(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("p50", millis(h.getValueAtPercentile(50)));
        m.put("p90", millis(h.getValueAtPercentile(90)));
        m.put("p99", millis(h.getValueAtPercentile(99)));
        m.put("p99.9", millis(h.getValueAtPercentile(99.9)));
        m.put("max", millis(h.getMaxValue()));
        return m;
    }

    static double millis(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    String toJson() {
        StringBuilder b = new StringBuilder();
        write(b, fields);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        if (v instanceof Map) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                string(b, String.valueOf(e.getKey()));
                b.append(':');
                write(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v == null) {
            b.append("null");
        } else {
            string(b, v.toString());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}

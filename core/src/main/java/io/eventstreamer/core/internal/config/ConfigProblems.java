package io.eventstreamer.core.internal.config;

import com.typesafe.config.ConfigOrigin;
import io.eventstreamer.core.InvalidSettingsException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The invalid settings found while reading a configuration, so that a user sees all of them in one
 * start instead of one per start. One problem per key: the first one found, since a check that
 * follows a failed one would only repeat it.
 */
final class ConfigProblems {
    /** By file and line; problems of one line, and those without an origin, in the order found. */
    private static final Comparator<Problem> FILE_ORDER = Comparator
            .comparing((Problem p) -> p.source)
            .thenComparingInt(p -> p.line);

    private final Map<String, Problem> byKey = new LinkedHashMap<>();

    /** Records a problem with {@code key}, unless it already has one. */
    void add(String key, ConfigOrigin origin, String message) {
        byKey.putIfAbsent(key, new Problem(origin, message));
    }

    /** Whether any of these keys (relative to {@code event-streamer}) has a problem. */
    boolean any(String... keys) {
        for (String key : keys) {
            if (byKey.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    /** @throws InvalidSettingsException listing every problem, when there is one */
    void throwIfAny() {
        if (byKey.isEmpty()) {
            return;
        }
        List<Problem> sorted = new ArrayList<>(byKey.values());
        sorted.sort(FILE_ORDER);
        List<String> messages = new ArrayList<>();
        sorted.forEach(problem -> messages.add(problem.message));
        throw new InvalidSettingsException(messages);
    }

    private static final class Problem {
        /** The file or other source of the value; "" for none, so that it sorts first with its line -1. */
        final String source;
        final int line;
        final String message;

        Problem(ConfigOrigin origin, String message) {
            this.source = origin == null ? "" : source(origin);
            this.line = origin == null ? -1 : origin.lineNumber();
            this.message = message;
        }

        private static String source(ConfigOrigin origin) {
            if (origin.filename() != null) {
                return origin.filename();
            }
            if (origin.url() != null) {
                return origin.url().toString();
            }
            return origin.description().replaceFirst(":\\s*\\d+(-\\d+)?$", "");
        }
    }
}

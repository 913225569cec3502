package io.eventstreamer.core.internal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Reads and checks the values under {@code event-streamer}, keys given relative to it
 * ({@code "server.port"}). A value that is wrong is recorded in {@link ConfigProblems} and answered
 * with a placeholder of the right type, so that reading goes on and finds every problem of the
 * configuration; {@link Settings#from} then throws, and no setting built from a placeholder is used.
 */
final class SettingsReader {
    private static final ConfigObject NO_OBJECT = ConfigFactory.empty().root();

    private final Config config;
    private final ConfigProblems problems;

    SettingsReader(Config config, ConfigProblems problems) {
        this.config = config;
        this.problems = problems;
    }

    /**
     * Whether the key is set; also true when a key around it is not an object (e.g.
     * {@code history = 5} for {@code history.size}), so that reading it reports that.
     */
    boolean has(String key) {
        return config.hasPath(path(key)) || nonObjectParent(key) != null;
    }

    String string(String key) {
        return read(key, config::getString, "a string", "");
    }

    boolean bool(String key) {
        return read(key, config::getBoolean, "true or false", false);
    }

    List<String> stringList(String key) {
        return read(key, config::getStringList, "a list of strings", List.of());
    }

    ConfigObject object(String key, String expected) {
        return read(key, config::getObject, expected, NO_OBJECT);
    }

    Duration duration(String key) {
        return read(key, config::getDuration, "a duration such as 500ms, 30s or 2m", Duration.ZERO);
    }

    Duration positiveDuration(String key) {
        Duration d = duration(key);
        require(key, !d.isNegative() && !d.isZero(), "a duration > 0");
        return d;
    }

    Duration nonNegativeDuration(String key) {
        Duration d = duration(key);
        require(key, !d.isNegative(), ">= 0");
        return d;
    }

    int intInRange(String key, int min, int max) {
        int v = read(key, config::getInt, "an integer", min);
        String expected = max == Integer.MAX_VALUE ? ">= " + min : "between " + min + " and " + max;
        require(key, v >= min && v <= max, expected);
        return v;
    }

    int size(String key, long min, long max) {
        return (int) longSize(key, min, Math.min(max, Integer.MAX_VALUE));
    }

    long longSize(String key, long min, long max) {
        long bytes = read(key, config::getBytes, "a size such as 64KiB or 1MiB", min);
        require(key, bytes >= min && bytes <= max, "a size between " + min + " and " + max + " bytes");
        return bytes;
    }

    /** Records a problem with {@code key} unless {@code condition} holds. */
    void require(String key, boolean condition, String expected) {
        if (!condition) {
            invalid(key, expected);
        }
    }

    /**
     * Records that {@code key}'s value is not what was expected, shown as it was written
     * ({@code -5s} rather than {@code PT-5S}). When a key around it is not an object, that key is
     * the one reported. Nothing more is recorded for a key that already has a problem.
     */
    void invalid(String key, String expected) {
        if (problems.any(key)) {
            return;
        }
        String parent = nonObjectParent(key);
        if (parent != null) {
            report(parent, config.getValue(path(parent)), "an object");
        } else {
            report(key, config.getValue(path(key)), expected);
        }
    }

    /** Whether any of these keys has a problem, so that a check across keys is not made with a placeholder. */
    boolean failed(String... keys) {
        return problems.any(keys);
    }

    ConfigValue value(String key) {
        return config.getValue(path(key));
    }

    private <T> T read(String key, Function<String, T> getter, String expected, T placeholder) {
        try {
            return getter.apply(path(key));
        } catch (ConfigException.Null e) {
            problems.add(key, e.origin(), String.format("%s: %s was null but must be %s",
                    e.origin() == null ? "configuration" : describe(e.origin()), path(key), expected));
        } catch (ConfigException.Missing e) {
            problems.add(key, null, path(key) + " is missing; expected " + expected);
        } catch (ConfigException e) {
            invalid(key, expected);
        }
        return placeholder;
    }

    private void report(String key, ConfigValue value, String expected) {
        Object shown = isSecret(key) ? "********" : value.unwrapped();
        problems.add(key, value.origin(), String.format("%s: %s was %s but must be %s",
                describe(value.origin()), path(key), shown, expected));
    }

    /** The outermost key around {@code key} that is set to something other than an object, or null. */
    private String nonObjectParent(String key) {
        List<String> names = ConfigUtil.splitPath(key);
        for (int i = 1; i < names.size(); i++) {
            String parent = ConfigUtil.joinPath(names.subList(0, i));
            if (!config.hasPath(path(parent))) {
                return null;
            }
            if (config.getValue(path(parent)).valueType() != ConfigValueType.OBJECT) {
                return parent;
            }
        }
        return null;
    }

    private static String path(String key) {
        return Settings.ROOT + "." + key;
    }

    /** Whether a key holds a secret that must never be printed (messages, --check-config, logs). */
    static boolean isSecret(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1);
        if (key.equals("broker.redis.uri")) {
            return true; // may hold the Redis password
        }
        return last.contains("secret") || last.contains("password") || last.contains("token")
                || last.equals("key") || last.endsWith("-key") || last.contains("credential");
    }

    /** "conf/application.conf:12", "system property", "environment variable DEBUG_WEBSOCKET", ... */
    static String describe(ConfigOrigin origin) {
        String file = origin.filename();
        if (file == null && origin.url() != null) {
            file = origin.url().toString();
        }
        if (file != null) {
            return origin.lineNumber() >= 0 ? file + ":" + origin.lineNumber() : file;
        }
        return origin.description().replaceFirst(": (\\d+)$", ":$1");
    }
}

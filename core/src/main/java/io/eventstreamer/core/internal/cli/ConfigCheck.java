package io.eventstreamer.core.internal.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.eventstreamer.core.InvalidSettingsException;
import io.eventstreamer.core.internal.config.Settings;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code --check-config}: validates the configuration as a start would and renders the effective
 * {@code event-streamer} settings, one {@code path = value} line each with where it was set, and
 * with secrets masked ({@link SecretMasking}).
 *
 * <p>The output is HOCON: it can be pasted into an application.conf as it is.
 */
public final class ConfigCheck {
    private ConfigCheck() {
    }

    /**
     * Validates the configuration as a start does ({@link Settings#from}: the core settings, and
     * each category's overrides and {@code enabled} switch under {@code event-streamer.sources},
     * installed or not), and returns the effective settings as text ending with a line break.
     *
     * @throws InvalidSettingsException listing every invalid setting, each with its origin, key,
     *         value and what was expected
     */
    public static String run(Config applicationConfig) {
        Config resolved = Settings.from(applicationConfig).config();
        StringBuilder out = new StringBuilder();
        out.append("# The configuration is valid. Effective settings, each with where it was set")
                .append(" (secrets masked):\n");
        ConfigObject effective = SecretMasking.mask(resolved.withOnlyPath(Settings.ROOT).root());
        render(new ArrayList<>(), effective, out);
        return out.toString();
    }

    private static void render(List<String> path, ConfigObject object, StringBuilder out) {
        if (object.isEmpty() && !path.isEmpty()) {
            line(path, object, out);
            return;
        }
        for (String key : new TreeSet<>(object.keySet())) {
            ConfigValue value = object.get(key);
            List<String> child = new ArrayList<>(path);
            child.add(key);
            if (value instanceof ConfigObject) {
                render(child, (ConfigObject) value, out);
            } else {
                line(child, value, out);
            }
        }
    }

    private static void line(List<String> path, ConfigValue value, StringBuilder out) {
        out.append(ConfigUtil.joinPath(path)).append(" = ").append(value.render(ConfigRenderOptions.concise()))
                .append("  # ").append(describe(value.origin())).append('\n');
    }

    /**
     * Where a value was set, short enough for the end of a line: {@code /etc/es.conf:12},
     * {@code event-streamer-core-0.1.0.jar!/reference.conf:14}, {@code system property (-D)}.
     */
    static String describe(ConfigOrigin origin) {
        String line = origin.lineNumber() >= 0 ? ":" + origin.lineNumber() : "";
        if (origin.filename() != null) {
            return origin.filename() + line;
        }
        URL url = origin.url();
        if (url != null) {
            String location = url.toString();
            return location.substring(location.lastIndexOf('/', location.indexOf("!/") - 1) + 1) + line;
        }
        String description = origin.description();
        if (description.equals("system properties")) {
            return "system property (-D)";
        }
        if (description.equals("env variables")) {
            return "environment variable";
        }
        return description.replaceFirst(": (\\d+)$", ":$1");
    }
}

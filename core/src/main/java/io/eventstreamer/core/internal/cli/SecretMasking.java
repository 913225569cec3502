package io.eventstreamer.core.internal.cli;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides the values of settings that look like secrets, so that the output of
 * {@code --check-config} can be pasted into a ticket.
 *
 * <p>A setting is secret when a word of its name contains {@code secret}, {@code password},
 * {@code passwd}, {@code passphrase}, {@code token} or {@code credential}, or when its last word
 * ends with {@code key} or is {@code keys} or {@code uri} (it may carry a password):
 * {@code hmac-secret}, {@code api-token},
 * {@code private-key}, {@code apiKey}, {@code credentials}, but not {@code public-key-file}, a
 * path. Words are separated by {@code -}, {@code _} or a change to upper case. A secret object or
 * list is hidden as a whole; an empty one (an empty string, list or object) is shown, since it
 * tells that no secret is set and nothing else.
 */
public final class SecretMasking {
    /** What a secret value is replaced with. */
    public static final String MASK = "********";

    private static final Pattern WORD_BOUNDARY = Pattern.compile("[-_.\\s]+|(?<=[a-z0-9])(?=[A-Z])");
    private static final List<String> SECRET_PARTS =
            List.of("secret", "password", "passwd", "passphrase", "token", "credential");

    private SecretMasking() {
    }

    /** Whether a setting of this name (one path element, not a dotted path) holds a secret. */
    public static boolean isSecret(String name) {
        String[] words = WORD_BOUNDARY.split(name);
        if (words.length == 0) {
            return false;
        }
        String last = words[words.length - 1].toLowerCase(Locale.ROOT);
        // A connection URI (e.g. broker.redis.uri) may carry a password: redis://:pass@host.
        if (last.endsWith("key") || last.equals("keys") || last.equals("uri")) {
            return true;
        }
        for (String word : words) {
            String lower = word.toLowerCase(Locale.ROOT);
            for (String part : SECRET_PARTS) {
                if (lower.contains(part)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A copy of {@code object} with every secret value replaced by {@value #MASK}, origins kept. */
    public static ConfigObject mask(ConfigObject object) {
        ConfigObject masked = object;
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            ConfigValue value = entry.getValue();
            ConfigValue replacement = isSecret(entry.getKey()) && !isEmpty(value) ? masked(value) : maskWithin(value);
            if (replacement != value) {
                masked = masked.withValue(entry.getKey(), replacement);
            }
        }
        return masked;
    }

    /** Masks secrets nested in objects and lists; returns {@code value} itself when it holds none. */
    private static ConfigValue maskWithin(ConfigValue value) {
        if (value instanceof ConfigObject) {
            return mask((ConfigObject) value);
        }
        if (value instanceof ConfigList) {
            ConfigList list = (ConfigList) value;
            List<ConfigValue> elements = new ArrayList<>();
            boolean changed = false;
            for (ConfigValue element : list) {
                ConfigValue replacement = maskWithin(element);
                changed |= replacement != element;
                elements.add(replacement);
            }
            if (changed) {
                return ConfigValueFactory.fromIterable(elements).withOrigin(list.origin());
            }
        }
        return value;
    }

    private static boolean isEmpty(ConfigValue value) {
        Object unwrapped = value.unwrapped();
        if (unwrapped instanceof String) {
            return ((String) unwrapped).isEmpty();
        }
        if (unwrapped instanceof Collection) {
            return ((Collection<?>) unwrapped).isEmpty();
        }
        if (unwrapped instanceof Map) {
            return ((Map<?, ?>) unwrapped).isEmpty();
        }
        return false;
    }

    private static ConfigValue masked(ConfigValue secret) {
        return ConfigValueFactory.fromAnyRef(MASK).withOrigin(secret.origin());
    }
}

package io.eventstreamer.core.internal.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What happens when a client's outbound queue is full. */
public enum OverflowPolicy {
    /** Drop that client's oldest queued events and tell it what it lost. */
    DROP_OLDEST("drop-oldest"),
    /** Replace the queued event about the same thing (same type and key) with the newer one. */
    COALESCE("coalesce"),
    /** Close that client (1008) so that it reconnects. */
    DISCONNECT("disconnect");

    private final String configName;

    OverflowPolicy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    static Optional<OverflowPolicy> fromConfigName(String name) {
        return Arrays.stream(values()).filter(p -> p.configName.equals(name)).findFirst();
    }

    static String allowedNames() {
        return Arrays.stream(values()).map(OverflowPolicy::configName).collect(Collectors.joining(", "));
    }
}

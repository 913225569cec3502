package io.eventstreamer.core.internal.config;

import java.time.Duration;

/** The settings of one category: the global ones, overridden by its source's subtree. */
public final class CategorySettings {
    private final OverflowPolicy overflowPolicy;
    private final int historySize;
    private final Duration historyMaxAge;

    CategorySettings(OverflowPolicy overflowPolicy, int historySize, Duration historyMaxAge) {
        this.overflowPolicy = overflowPolicy;
        this.historySize = historySize;
        this.historyMaxAge = historyMaxAge;
    }

    public OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    public int historySize() {
        return historySize;
    }

    public Duration historyMaxAge() {
        return historyMaxAge;
    }
}

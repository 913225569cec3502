package io.eventstreamer.core.internal.config;

import java.time.Duration;

/** The settings of one category: the global ones, overridden by its source's subtree. */
public final class CategorySettings {
    private final OverflowPolicy overflowPolicy;
    private final int historySize;
    private final Duration historyMaxAge;
    private final long historyMaxBytes;

    CategorySettings(OverflowPolicy overflowPolicy, int historySize, Duration historyMaxAge, long historyMaxBytes) {
        this.overflowPolicy = overflowPolicy;
        this.historySize = historySize;
        this.historyMaxAge = historyMaxAge;
        this.historyMaxBytes = historyMaxBytes;
    }

    /** Bound on the encoded bytes of the events kept in history. */
    public long historyMaxBytes() {
        return historyMaxBytes;
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

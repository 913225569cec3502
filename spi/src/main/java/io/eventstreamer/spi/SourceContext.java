package io.eventstreamer.spi;

import com.typesafe.config.Config;

/**
 * What the host gives an {@link EventSource} when it starts it.
 */
public interface SourceContext {

    /** The category of the source being started. */
    String category();

    /** The emitter for this source's category. */
    EventEmitter emitter();

    /**
     * This source's own configuration: the subtree {@code event-streamer.sources.<category>},
     * with the source's {@code reference.conf} defaults already applied.
     */
    Config config();
}

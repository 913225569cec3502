package io.eventstreamer.bridges.resilience4j;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the bridge's events go. Resilience4j calls its event consumers on the thread of the
 * protected call and lets their exceptions through, so nothing that goes wrong while the bridge
 * handles an event (the host stopped, say) may reach that call: it is logged instead, once at WARN
 * until an event is handled again. After {@link #close()} nothing is published.
 */
final class EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(Resilience4jBridge.class);

    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * Runs {@code handling}, which maps one event of the library and publishes what it maps to,
     * unless closed; {@code what} names the event in the log if it fails.
     */
    void publish(String what, Runnable handling) {
        if (closed) {
            return;
        }
        try {
            handling.run();
            failing.set(false);
        } catch (RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                LOG.warn("Could not publish {}; further failures are logged at debug level until one succeeds",
                        what, e);
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("Could not publish {}", what, e);
            }
        }
    }

    void close() {
        closed = true;
    }
}

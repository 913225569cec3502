package io.eventstreamer.bridges.quartz;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the bridge's events go. Quartz calls its listeners on the threads that schedule and run
 * the jobs, and a job listener that throws before a run keeps the job from running, so nothing
 * that goes wrong while the bridge handles a callback (the host stopped, say) may reach Quartz: it
 * is logged instead, once at WARN until a callback is handled again. After {@link #close()}
 * nothing is published.
 */
final class EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(QuartzBridge.class);

    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * Runs {@code handling}, which maps one callback of Quartz and publishes what it maps to,
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

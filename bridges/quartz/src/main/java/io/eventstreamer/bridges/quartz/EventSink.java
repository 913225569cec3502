package io.eventstreamer.bridges.quartz;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the bridge's events go. Quartz calls its listeners on the threads that run the jobs, and a
 * job listener that throws before a run keeps the job from running, so a failed publication (the
 * host stopped, say) must never reach Quartz: it is logged instead, once at WARN until publishing
 * works again. After {@link #close()} nothing is published.
 */
final class EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(QuartzBridge.class);

    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile boolean closed;

    /** Runs {@code publication} unless closed; {@code what} names it in the log if it fails. */
    void publish(String what, Runnable publication) {
        if (closed) {
            return;
        }
        try {
            publication.run();
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

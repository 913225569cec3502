package io.eventstreamer.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns on debug logging for the host when {@code debug = true} (or DEBUG_WEBSOCKET=true). */
final class DebugLogging {
    private static final Logger LOG = LoggerFactory.getLogger(DebugLogging.class);
    private static final String LOGGER = "io.eventstreamer";

    private DebugLogging() {
    }

    static void apply(boolean debug) {
        if (!debug) {
            return;
        }
        try {
            if (Logback.enable(LOGGER)) {
                LOG.debug("Debug logging is on for {}", LOGGER);
                return;
            }
        } catch (LinkageError e) {
            // Logback is optional; fall through.
        }
        LOG.info("debug = true, but the logging backend is not Logback: set logger '{}' to DEBUG in its"
                + " configuration", LOGGER);
    }

    /** Kept in its own class so that Logback is only loaded when it is there. */
    private static final class Logback {
        static boolean enable(String name) {
            org.slf4j.ILoggerFactory factory = LoggerFactory.getILoggerFactory();
            if (!(factory instanceof ch.qos.logback.classic.LoggerContext)) {
                return false;
            }
            ((ch.qos.logback.classic.LoggerContext) factory).getLogger(name).setLevel(ch.qos.logback.classic.Level.DEBUG);
            return true;
        }
    }
}

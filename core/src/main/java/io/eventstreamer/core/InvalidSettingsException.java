package io.eventstreamer.core;

/**
 * A configuration value is invalid. The message is meant for the user as it is, e.g.
 * {@code conf/application.conf:12: event-streamer.max-clients was -5 but must be >= 1}.
 */
public class InvalidSettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidSettingsException(String message) {
        super(message);
    }
}

package io.eventstreamer.core;

/**
 * The host could not start, for a reason outside the configuration's syntax, e.g. the port is
 * already in use. The message is meant for the user as it is.
 */
public class HostStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.eventstreamer.core.internal.cli;

/** The configuration file to read is missing or unreadable; the message names it, in one line. */
public final class ConfigFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigFileException(String message) {
        super(message);
    }
}

package io.eventstreamer.core.internal.cli;

/** The command line is wrong; the message says how, in one line meant for the user. */
public final class CommandLineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandLineException(String message) {
        super(message);
    }
}

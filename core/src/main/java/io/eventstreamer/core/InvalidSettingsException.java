package io.eventstreamer.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One or more configuration values are invalid. Each problem is meant for the user as it is, e.g.
 * {@code conf/application.conf:12: event-streamer.max-clients was -5 but must be >= 1}.
 *
 * <p>Every invalid value of a configuration is reported at once: the message is the problem when
 * there is one, else a count followed by one problem per line; {@link #problems()} lists them.
 */
public class InvalidSettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** One problem. */
    public InvalidSettingsException(String message) {
        this(List.of(requireNonNull(message, "message is null")));
    }

    /**
     * Several problems, in the order to show them.
     *
     * @throws IllegalArgumentException when {@code problems} is empty
     */
    public InvalidSettingsException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Each invalid value, one line each naming where it was set, the key, the value and what was expected. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        requireNonNull(problems, "problems is null");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems is empty");
        }
        if (problems.size() == 1) {
            return problems.get(0);
        }
        return problems.size() + " settings are invalid:\n  " + String.join("\n  ", problems);
    }
}

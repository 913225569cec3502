package io.eventstreamer.spi;

import static java.util.Objects.requireNonNull;

/**
 * An event was refused because it does not match its category's catalog. The message says which
 * event, which field and why; {@link #reason()} gives a stable machine-readable code.
 */
public class InvalidEventException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Why an event was refused. */
    public enum Reason {
        UNKNOWN_CATEGORY("unknown-category"),
        MISSING_EVENT_TYPE("missing-event-type"),
        UNKNOWN_EVENT_TYPE("unknown-event-type"),
        INVALID_PAYLOAD("invalid-payload"),
        MISSING_FIELD("missing-field"),
        WRONG_FIELD_TYPE("wrong-field-type");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The stable code reported to clients, e.g. {@code "missing-field"}. */
        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public InvalidEventException(Reason reason, String message) {
        super(message);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Reason reason() {
        return reason;
    }
}

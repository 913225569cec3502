package io.eventstreamer.core.internal.auth;

/** A token was refused; {@link #code()} is the stable code sent to the client. */
public final class TokenException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String code;

    TokenException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

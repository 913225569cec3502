package io.eventstreamer.core.internal.auth;

import io.eventstreamer.core.internal.protocol.ErrorCode;

/** A token was refused; {@link #code()} is the stable code sent to the client. */
public final class TokenException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    TokenException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}

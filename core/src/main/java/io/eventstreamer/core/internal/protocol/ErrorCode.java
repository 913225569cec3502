package io.eventstreamer.core.internal.protocol;

/**
 * The {@code data.code} of an {@code error} message: stable, meant for programs (docs/protocol.md,
 * "Errors"). The message text next to it is for people and may change.
 */
public enum ErrorCode {
    INVALID_JSON("invalid-json"),
    NOT_AN_OBJECT("not-an-object"),
    MISSING_TYPE("missing-type"),
    UNKNOWN_TYPE("unknown-type"),
    INVALID_CATEGORIES("invalid-categories"),
    UNKNOWN_CATEGORY("unknown-category"),
    INVALID_CLIENT_ID("invalid-client-id"),
    BINARY_NOT_SUPPORTED("binary-not-supported"),
    /** Not bad input: a slow client lost events; sent as {@link ServerMessage.EventsDropped}. */
    EVENTS_DROPPED("events-dropped"),
    INVALID_RESUME("invalid-resume"),
    TOO_MANY_CATEGORIES("too-many-categories"),
    RATE_LIMITED("rate-limited"),
    TOO_MANY_FRAGMENTS("too-many-fragments"),
    NOT_READING("not-reading"),
    UNAUTHORIZED("unauthorized"),
    FORBIDDEN_CATEGORY("forbidden-category"),
    INVALID_TOKEN("invalid-token"),
    INVALID_SIGNATURE("invalid-signature"),
    TOKEN_EXPIRED("token-expired"),
    TOKEN_NOT_YET_VALID("token-not-yet-valid"),
    WRONG_ISSUER("wrong-issuer"),
    WRONG_AUDIENCE("wrong-audience"),
    TOKEN_WITHOUT_EXPIRY("token-without-expiry"),
    AUTH_DISABLED("auth-disabled"),
    CAPACITY_EXCEEDED("capacity-exceeded");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}

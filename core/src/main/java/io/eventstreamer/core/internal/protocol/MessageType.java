package io.eventstreamer.core.internal.protocol;

/** The {@code type} of every message the server sends, with its name on the wire. */
public enum MessageType {
    SUBSCRIPTION_ACK("subscription-ack"),
    UNSUBSCRIPTION_ACK("unsubscription-ack"),
    REFRESH_ACK("refresh-ack"),
    EVENT("event"),
    PING("ping"),
    PONG("pong"),
    ERROR("error"),
    GAP("gap"),
    STREAM_INTERRUPTED("stream-interrupted"),
    STREAM_RESTORED("stream-restored"),
    TOKEN_EXPIRING("token-expiring");

    private final String wireName;

    MessageType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}

package io.eventstreamer.core.internal.ws;

import java.nio.ByteBuffer;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;

/**
 * A message arriving in several frames (a client fragmented it, or Jetty split a frame larger
 * than its input buffer). Exists only while such a message is in progress, so that idle
 * connections hold no aggregation buffer. Binary messages are refused whatever they hold, so
 * only their size is kept.
 */
final class FragmentedMessage {
    private final Utf8StringBuilder text;
    private final long maxSize;
    private long size;
    private int fragments;

    private FragmentedMessage(Utf8StringBuilder text, long maxSize) {
        this.text = text;
        this.maxSize = maxSize;
    }

    static FragmentedMessage text(long maxSize) {
        return new FragmentedMessage(new Utf8StringBuilder(), maxSize);
    }

    static FragmentedMessage binary(long maxSize) {
        return new FragmentedMessage(null, maxSize);
    }

    boolean isText() {
        return text != null;
    }

    /**
     * Adds a frame's payload.
     *
     * @throws MessageTooLargeException when the message grows over its limit (close 1009)
     * @throws BadPayloadException when the text so far is not UTF-8 (close 1007)
     */
    void append(ByteBuffer payload) {
        fragments++;
        if (payload == null) {
            return;
        }
        size += payload.remaining();
        checkSize(size, maxSize, isText());
        if (text != null) {
            text.append(payload);
            if (text.hasCodingErrors()) {
                throw new BadPayloadException.InvalidUtf8();
            }
        }
    }

    /** Frames appended so far, empty ones included. */
    int fragments() {
        return fragments;
    }

    /** The whole text, once the last frame is appended. */
    String takeText() {
        return text.takeCompleteString(BadPayloadException.InvalidUtf8::new);
    }

    /** As Jetty's message sinks do: a limit of zero or less means none. */
    static void checkSize(long size, long maxSize, boolean text) {
        if (maxSize > 0 && size > maxSize) {
            throw new MessageTooLargeException(String.format("%s message too large: %,d > %,d",
                    text ? "Text" : "Binary", size, maxSize));
        }
    }
}

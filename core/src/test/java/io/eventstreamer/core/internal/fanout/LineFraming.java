package io.eventstreamer.core.internal.fanout;

import io.eventstreamer.core.internal.protocol.ServerMessages;
import java.nio.charset.StandardCharsets;

/**
 * A second framing, for tests: each message as a header line and the JSON on the next,
 * {@code message <type>} or {@code event <category> <id> <event type>}, much as Server-Sent Events
 * name theirs ({@code event:}, {@code id:}). It allocates per delivery, which a real one must not.
 */
final class LineFraming implements Framing {

    @Override
    public void message(byte[] message, Output out) {
        lines("message " + ServerMessages.typeOf(message), message, message.length, out);
    }

    @Override
    public void event(EncodedEvent event, byte[] clientIdSuffix, Output out) {
        byte[] header = ("event " + event.category() + " " + event.id() + " " + event.eventType() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        int length = event.length(clientIdSuffix);
        int start = out.reserve(header.length + length + 1);
        byte[] to = out.array();
        System.arraycopy(header, 0, to, start, header.length);
        event.writeTo(to, start + header.length, clientIdSuffix);
        to[start + header.length + length] = '\n';
    }

    private static void lines(String header, byte[] json, int length, Output out) {
        byte[] first = (header + "\n").getBytes(StandardCharsets.UTF_8);
        int start = out.reserve(first.length + length + 1);
        byte[] to = out.array();
        System.arraycopy(first, 0, to, start, first.length);
        System.arraycopy(json, 0, to, start + first.length, length);
        to[start + first.length + length] = '\n';
    }
}

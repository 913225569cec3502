package io.eventstreamer.core.internal.sse;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.internal.fanout.EncodedEvent;
import io.eventstreamer.core.internal.fanout.Framing;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.protocol.MessageType;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The Server-Sent Events framing of one connection ({@code text/event-stream}, WHATWG HTML
 * §9.2): each event as {@code id:}, {@code event: <event type>} and {@code data: <the event's
 * JSON>} lines, each server message as {@code event: <message type>} and {@code data:}, the
 * heartbeat's ping as a comment line.
 *
 * <p>One SSE id resumes every category: the {@code id:} of an event holds the connection's
 * position in each of its categories ({@link SseIds}), so the {@code Last-Event-ID} a browser
 * sends when it reconnects says where each category left off. The framing keeps those positions
 * as they are written: from the resume request, from the subscription-ack's start ids and a failed
 * resume's gap ({@code continuesFrom}), and from each event. Both messages carry the id too, so a
 * client that reconnects before any event still resumes every category from where it started.
 *
 * <p>Called by one flusher thread at a time; keeps its positions in two small arrays.
 */
final class SseFraming implements Framing {
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

    // Category names as written in an id ("<category>="), and each one's position in ASCII (null:
    // none yet); the id line's length is kept as positions change.
    private final byte[][] names;
    private final byte[][] positions;
    private int idLength;
    // Written before the first message: the reconnection delay ("retry: <ms>").
    private byte[] preamble;

    /**
     * @param categories the connection's categories, in order
     * @param resume where the request resumes each category (a subset), from Last-Event-ID or ?resume=
     * @param retryMillis the reconnection delay to give the browser
     */
    SseFraming(Iterable<String> categories, Map<String, String> resume, long retryMillis) {
        int count = 0;
        for (Iterator<String> it = categories.iterator(); it.hasNext(); it.next()) {
            count++;
        }
        this.names = new byte[count][];
        this.positions = new byte[count][];
        int i = 0;
        for (String category : categories) {
            names[i] = (category + SseIds.POSITION).getBytes(StandardCharsets.UTF_8);
            String position = resume.get(category);
            positions[i] = position == null ? null : position.getBytes(StandardCharsets.US_ASCII);
            i++;
        }
        this.idLength = computeIdLength();
        this.preamble = ("retry: " + retryMillis + "\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void message(byte[] message, Output out) {
        writePreamble(out);
        String type = ServerMessages.typeOf(message);
        if (MessageType.PING.wireName().equals(type)) {
            write(PING, out);
            return;
        }
        boolean moved = false;
        if (MessageType.SUBSCRIPTION_ACK.wireName().equals(type) || MessageType.GAP.wireName().equals(type)) {
            moved = takePositions(message);
        }
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        int length = (moved ? idLength() : 0) + EVENT.length + name.length + 1 + DATA.length + message.length + 2;
        int at = out.reserve(length);
        byte[] to = out.array();
        if (moved) {
            at = writeId(to, at);
        }
        at = writeName(to, at, name);
        System.arraycopy(DATA, 0, to, at, DATA.length);
        at += DATA.length;
        System.arraycopy(message, 0, to, at, message.length);
        at += message.length;
        to[at++] = '\n';
        to[at] = '\n';
    }

    @Override
    public void event(EncodedEvent event, byte[] clientIdSuffix, Output out) {
        writePreamble(out);
        setPosition(event.category(), event.idBytes());
        byte[] type = event.eventTypeBytes();
        int json = event.length(clientIdSuffix);
        int length = idLength() + EVENT.length + type.length + 1 + DATA.length + json + 2;
        int at = out.reserve(length);
        byte[] to = out.array();
        at = writeId(to, at);
        at = writeName(to, at, type);
        System.arraycopy(DATA, 0, to, at, DATA.length);
        at += DATA.length;
        int dataStart = at;
        event.writeTo(to, at, clientIdSuffix);
        at += json;
        to[at++] = '\n';
        to[at] = '\n';
        if (event.hasLineBreak()) {
            // Published data keeps its whitespace, which may hold line breaks: each line of the
            // JSON gets its own "data:" line, which the browser joins with "\n" (still the same JSON).
            splitLines(out, dataStart, json);
        }
    }

    /**
     * The end of a stream, laid out on its own: {@code message} (when not null) as its event, then a
     * comment with the close's code and reason (which EventSource ignores; curl shows it).
     */
    static byte[] closing(byte[] message, int statusCode, String reason) {
        StringBuilder text = new StringBuilder();
        if (message != null) {
            text.append("event: ").append(ServerMessages.typeOf(message)).append('\n')
                    .append("data: ").append(new String(message, StandardCharsets.UTF_8)).append("\n\n");
        }
        text.append(": close ").append(statusCode).append(' ')
                .append(reason.replace('\n', ' ').replace('\r', ' ')).append("\n\n");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void writePreamble(Output out) {
        if (preamble != null) {
            write(preamble, out);
            preamble = null;
        }
    }

    private static void write(byte[] bytes, Output out) {
        int at = out.reserve(bytes.length);
        System.arraycopy(bytes, 0, out.array(), at, bytes.length);
    }

    /** The start ids of an ack and the {@code continuesFrom} of a gap; true when a position was set. */
    private boolean takePositions(byte[] message) {
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(message).path("data");
        } catch (IOException e) {
            throw new IllegalStateException("the server's own message is not JSON", e);
        }
        boolean moved = false;
        for (Map.Entry<String, JsonNode> start : data.path("lastIds").properties()) {
            moved |= start.getValue().isTextual() && setPosition(start.getKey(), ascii(start.getValue().textValue()));
        }
        JsonNode continuesFrom = data.path("continuesFrom");
        if (continuesFrom.isTextual()) {
            moved |= setPosition(data.path("category").asText(), ascii(continuesFrom.textValue()));
        }
        return moved;
    }

    private static byte[] ascii(String id) {
        return id.getBytes(StandardCharsets.US_ASCII);
    }

    private boolean setPosition(String category, byte[] id) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].length == category.length() + 1 && matches(names[i], category)) {
                byte[] before = positions[i];
                positions[i] = id;
                if (before == null || before.length != id.length) {
                    idLength = computeIdLength();
                }
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] name, String category) {
        for (int i = 0; i < category.length(); i++) {
            if (name[i] != category.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int idLength() {
        return idLength;
    }

    /** The length of the {@code id:} line: "id: " + "<category>=<id>" joined by "," + "\n". */
    private int computeIdLength() {
        int length = ID.length + 1;
        boolean first = true;
        for (int i = 0; i < names.length; i++) {
            if (positions[i] != null) {
                length += (first ? 0 : 1) + names[i].length + positions[i].length;
                first = false;
            }
        }
        return length;
    }

    private int writeId(byte[] to, int at) {
        System.arraycopy(ID, 0, to, at, ID.length);
        at += ID.length;
        boolean first = true;
        for (int i = 0; i < names.length; i++) {
            byte[] position = positions[i];
            if (position == null) {
                continue;
            }
            if (!first) {
                to[at++] = SseIds.SEPARATOR;
            }
            first = false;
            System.arraycopy(names[i], 0, to, at, names[i].length);
            at += names[i].length;
            // Ids are ASCII digits and a dash (checked when a resume id is read).
            System.arraycopy(position, 0, to, at, position.length);
            at += position.length;
        }
        to[at++] = '\n';
        return at;
    }

    /** "event: <name>\n"; names are ASCII (catalog event types and message types). */
    private static int writeName(byte[] to, int at, byte[] name) {
        System.arraycopy(EVENT, 0, to, at, EVENT.length);
        at += EVENT.length;
        System.arraycopy(name, 0, to, at, name.length);
        at += name.length;
        to[at++] = '\n';
        return at;
    }

    /**
     * Rewrites the {@code length} bytes of JSON at {@code from} (followed by the blank line that ends
     * the event) so that every line break in it starts a new {@code data:} line.
     */
    private static void splitLines(Output out, int from, int length) {
        byte[] json = new byte[length];
        System.arraycopy(out.array(), from, json, 0, length);
        int breaks = 0;
        for (int i = 0; i < length; i++) {
            if (json[i] == '\n' || json[i] == '\r') {
                breaks++;
                if (json[i] == '\r' && i + 1 < length && json[i + 1] == '\n') {
                    i++; // CRLF is one break
                }
            }
        }
        out.reserve(breaks * DATA.length);
        byte[] to = out.array();
        int at = from;
        for (int i = 0; i < length; i++) {
            byte b = json[i];
            if (b == '\r' || b == '\n') {
                if (b == '\r' && i + 1 < length && json[i + 1] == '\n') {
                    i++; // CRLF is one break: its second byte's room is left over, filled below
                }
                to[at++] = '\n';
                System.arraycopy(DATA, 0, to, at, DATA.length);
                at += DATA.length;
            } else {
                to[at++] = b;
            }
        }
        // What is left of the reserved room (a CRLF took one byte less): more blank "data:"-free
        // line ends would start a new event, so pad with spaces inside the last data line.
        int end = from + length + 2 + breaks * DATA.length;
        while (at < end - 2) {
            to[at++] = ' ';
        }
        to[at++] = '\n';
        to[at] = '\n';
    }
}

package io.eventstreamer.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The SSE client's parser, fed the bytes of a chunked stream cut at every place a read may end. */
class SseConnectionTest {
    private static final int EVENTS = 6;

    private final LoadClient client = new LoadClient(Options.parse("--transport", "sse"));

    @AfterEach
    void stop() {
        client.close();
    }

    @Test
    @DisplayName("every event of a chunked stream is counted once, wherever the reads cut it")
    void countsEveryEventWhereverAReadEnds() {
        byte[] stream = chunkedStream();
        for (int cut = 1; cut < stream.length; cut++) {
            Measurement m = client.startMeasurement(0);
            SseConnection c = openConnection();
            feed(c, stream, cut, stream.length);
            assertThat(m.received()).as("cut at %d", cut).isEqualTo(EVENTS);
            assertThat(c.isSubscribed()).isTrue();
        }
    }

    @Test
    @DisplayName("reads of 1 to 9 bytes, so that every chunk header and line end is split")
    void countsEveryEventInTinyReads() {
        byte[] stream = chunkedStream();
        for (int size = 1; size < 10; size++) {
            Measurement m = client.startMeasurement(0);
            SseConnection c = openConnection();
            byte[] kept = new byte[0];
            for (int at = 0; at < stream.length; at += size) {
                kept = read(c, kept, Arrays.copyOfRange(stream, at, Math.min(stream.length, at + size)));
            }
            assertThat(m.received()).as("reads of %d bytes", size).isEqualTo(EVENTS);
        }
    }

    @Test
    @DisplayName("the line end scan finds the first line feed at every offset")
    void findsLineFeeds() {
        byte[] a = new byte[40];
        Arrays.fill(a, (byte) 'x');
        for (int nl = 0; nl < a.length; nl++) {
            a[nl] = '\n';
            for (int from = 0; from <= nl; from++) {
                assertThat(SseConnection.indexOfNewline(a, from, a.length)).isEqualTo(nl);
            }
            assertThat(SseConnection.indexOfNewline(a, nl + 1, a.length)).isEqualTo(a.length);
            a[nl] = 'x';
        }
    }

    private SseConnection openConnection() {
        SseConnection c = new SseConnection(client, null, Subscriber.Kind.COUNTED, 0);
        c.state = Subscriber.State.OPEN;
        assertThat(c.opened("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream;charset=utf-8\r\n"
                + "Transfer-Encoding: chunked")).isTrue();
        return c;
    }

    private static void feed(SseConnection c, byte[] stream, int cut, int end) {
        byte[] kept = read(c, new byte[0], Arrays.copyOfRange(stream, 0, cut));
        read(c, kept, Arrays.copyOfRange(stream, cut, end));
    }

    /** One read: what was kept, then the new bytes, as Subscriber.onReadable lays them out. */
    private static byte[] read(SseConnection c, byte[] kept, byte[] bytes) {
        byte[] a = new byte[kept.length + bytes.length + 64];
        System.arraycopy(kept, 0, a, 0, kept.length);
        System.arraycopy(bytes, 0, a, kept.length, bytes.length);
        int end = kept.length + bytes.length;
        int p = c.body(a, 0, end);
        return Arrays.copyOfRange(a, p, end);
    }

    /**
     * The retry preamble, the ack, a heartbeat and events as the server frames them, in chunks:
     * mostly whole events, one chunk ending inside a data line (the rest in the next chunk), one
     * event spread over three chunks, and CRLF line ends in one event.
     */
    private static byte[] chunkedStream() {
        StringBuilder sse = new StringBuilder();
        sse.append("retry: 2000\n\n");
        sse.append("id: dlq=1-0\nevent: subscription-ack\n"
                + "data: {\"type\":\"subscription-ack\",\"data\":{\"categories\":[\"dlq\"]}}\n\n");
        sse.append(": ping\n\n");
        String text = sse.toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunk(out, text.substring(0, 13));
        chunk(out, text.substring(13));
        for (int seq = 0; seq < EVENTS; seq++) {
            String lineEnd = seq == 3 ? "\r\n" : "\n";
            String event = "id: dlq=1-" + seq + lineEnd + "event: entry-resubmitted" + lineEnd
                    + "data: {\"type\":\"event\",\"category\":\"dlq\",\"data\":{\"bench\":\"1:" + seq
                    + "\",\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}" + lineEnd + lineEnd;
            if (seq == 1) {
                int inData = event.indexOf("bench") - 3;
                chunk(out, event.substring(0, inData));
                chunk(out, event.substring(inData));
            } else if (seq == 4) {
                int a = event.indexOf("data:") + 20;
                int b = a + 30;
                chunk(out, event.substring(0, a));
                chunk(out, event.substring(a, b));
                chunk(out, event.substring(b));
            } else {
                chunk(out, event);
            }
        }
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}

package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client for tests: opens {@code GET} with {@link HttpClient} and parses the
 * {@code text/event-stream} the way a browser's EventSource does (WHATWG HTML §9.2.6): fields per
 * line, an event per blank line, {@code data} lines joined with "\n", comments kept apart.
 */
public final class SseStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Message END = new Message(null, null, null, null, null);

    /** One dispatched event ({@code comment} set instead for a comment line; {@code retry} for a retry field). */
    public record Message(String id, String event, String data, String comment, String retry) {
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + data, e);
            }
        }
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile String lastEventId;

    private SseStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code uri} with {@code headers} (name, value, ...); the response's status is not checked. */
    public static SseStream open(HttpClient client, URI uri, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return new SseStream(client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The id an EventSource would send as Last-Event-ID now. */
    public String lastEventId() {
        return lastEventId;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (id != null) {
                        lastEventId = id;
                    }
                    if (data != null) {
                        messages.add(new Message(lastEventId, event == null ? "message" : event, data.toString(), null,
                                null));
                    }
                    id = null;
                    event = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    messages.add(new Message(null, null, null, line.substring(1).trim(), null));
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    case "retry" -> messages.add(new Message(null, null, null, null, value));
                    default -> { }
                }
            }
        } catch (IOException e) {
            // The stream was cut: that is its end, as for a browser.
        } finally {
            messages.add(END);
        }
    }

    /** The next message of any kind, within 10 s; null once the stream has ended. */
    public Message next() {
        try {
            Message message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("an SSE message within 10 s").isNotNull();
            if (message == END) {
                messages.add(END);
                return null;
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next dispatched event, skipping comments and retry fields; fails when the stream ends first. */
    public Message nextEvent() {
        while (true) {
            Message message = next();
            assertThat(message).as("an event before the end of the stream").isNotNull();
            if (message.data() != null) {
                return message;
            }
        }
    }

    /** The next comment, skipping other messages; null when the stream ends first. */
    public String nextComment() {
        while (true) {
            Message message = next();
            if (message == null) {
                return null;
            }
            if (message.comment() != null) {
                return message.comment();
            }
        }
    }

    /** Every message until the stream ends (within 10 s). */
    public List<Message> untilEnd() {
        List<Message> all = new ArrayList<>();
        Message message;
        while ((message = next()) != null) {
            all.add(message);
        }
        return all;
    }

    /** Parses an SSE id, {@code <category>=<id>,...}, into its positions. */
    public static Map<String, String> positions(String sseId) {
        Map<String, String> positions = new java.util.LinkedHashMap<>();
        for (String part : sseId.split(",")) {
            int at = part.indexOf('=');
            positions.put(part.substring(0, at), part.substring(at + 1));
        }
        return positions;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}

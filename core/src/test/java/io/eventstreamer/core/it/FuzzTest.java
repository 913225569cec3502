package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Hostile input, generated: random and mutated frames and publish bodies (random bytes, deep
 * nesting, huge numbers, invalid UTF-8, huge strings, wrong types at every field), with fixed
 * seeds and a bounded number of tries. After every try the host still answers the status
 * endpoint; every 25 tries a well-behaved client still receives an event. No response may carry a
 * stack trace or an internal class name.
 */
class FuzzTest {
    private static final List<String> TEMPLATES = List.of(
            "{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"clientId\":\"fuzz\"}",
            "{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"resume\":{\"test-alpha\":\"1-1\"}}",
            "{\"type\":\"unsubscribe\",\"categories\":[\"test-beta\"]}",
            "{\"type\":\"refresh\",\"token\":\"abc\"}",
            "{\"type\":\"ping\"}");
    private static final List<String> BODIES = List.of(
            "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\",\"count\":1}}",
            "[{\"category\":\"test-beta\",\"event\":\"beta-measured\",\"data\":{\"value\":1.5,"
                    + "\"measuredAt\":\"2026-01-01T00:00:00Z\",\"tags\":[\"a\"],\"ok\":true}}]");

    private static EventStreamer host;
    private static WebSocketClient jetty;
    private static TestClient watcher;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final AtomicInteger TRIES = new AtomicInteger();

    @BeforeContainer
    static void startHost() throws Exception {
        host = EventStreamer.start(HostExtension.config("limits.max-messages-per-second = 1000000",
                "limits.message-burst = 1000000", "limits.max-connections-per-address = 100000",
                "max-message-size = 256KiB", "publish.max-body-size = 512KiB"));
        jetty = new WebSocketClient();
        jetty.start();
        watcher = TestClient.connect(jetty, host.webSocketUri());
        watcher.answerPings(TestClient.PingAnswer.JSON_PONG);
        watcher.subscribed("watcher", "test-alpha");
    }

    @AfterContainer
    static void stopHost() throws Exception {
        watcher.close();
        jetty.stop();
        host.stop();
    }

    @AfterTry
    void hostIsStillWhole() throws Exception {
        HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(host.httpUri().resolve("/api/websocket/status"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        if (TRIES.incrementAndGet() % 25 == 0) {
            int marker = TRIES.get();
            host.emitter("test-alpha").emit("alpha-happened", Map.of("name", "marker", "count", marker));
            JsonNode event;
            do {
                event = watcher.nextEvent();
            } while (event.at("/data/count").asInt() != marker);
            assertThat(watcher.isOpen()).isTrue();
        }
    }

    @Provide
    Arbitrary<String> hostileText() {
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(TEMPLATES), Arbitraries.integers().between(0, 200),
                Arbitraries.strings().all().ofMaxLength(8)).as((template, at, insert) -> {
                    int position = Math.min(at, template.length());
                    return template.substring(0, position) + insert + template.substring(Math.min(template.length(),
                            position + insert.length() % 3));
                });
        Arbitrary<String> deep = Arbitraries.integers().between(1, 20_000)
                .map(n -> "{\"type\":\"subscribe\",\"categories\":" + "[".repeat(n) + "]".repeat(n) + "}");
        Arbitrary<String> hugeNumber = Arbitraries.integers().between(1, 50_000)
                .map(n -> "{\"type\":\"ping\",\"n\":" + "9".repeat(n) + "}");
        Arbitrary<String> hugeString = Arbitraries.integers().between(1, 200_000)
                .map(n -> "{\"type\":\"" + "x".repeat(n) + "\"}");
        Arbitrary<String> wrongTypes = Combinators.combine(Arbitraries.of("type", "categories", "clientId", "resume", "token"),
                Arbitraries.of("null", "1e999", "-1", "true", "[]", "{}", "[null]", "\"\"", "[1,2]", "{\"a\":[]}"))
                .as((field, value) -> "{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"" + field + "\":" + value + "}");
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(300), mutated, deep, hugeNumber, hugeString,
                wrongTypes);
    }

    @Property(tries = 150, seed = "20261125")
    void hostileTextFrames(@ForAll("hostileText") String text) throws IOException {
        try (RawWebSocket client = RawWebSocket.connect(host.webSocketUri(), 65536)) {
            client.sendText(text);
            client.sendText("{\"type\":\"ping\"}");
            // Either answered (an error or a pong, never a stack trace) or closed with a protocol code.
            RawWebSocket.Frame frame = client.read(Duration.ofSeconds(10));
            assertThat(frame).isNotNull();
            if (frame.isClose()) {
                assertThat(frame.closeCode()).isIn(1002, 1007, 1008, 1009);
            } else {
                assertThat(frame.text()).doesNotContain("Exception").doesNotContain("io.eventstreamer")
                        .doesNotContain("\tat ");
            }
        }
    }

    @Property(tries = 60, seed = "20261125")
    void randomBinaryAndInvalidUtf8(@ForAll("bytes") byte[] payload, @ForAll boolean asText) throws IOException {
        try (RawWebSocket client = RawWebSocket.connect(host.webSocketUri(), 65536)) {
            client.sendFrame(asText ? 0x1 : 0x2, payload);
            RawWebSocket.Frame frame = client.read(Duration.ofSeconds(10));
            assertThat(frame).isNotNull();
            if (frame.isClose()) {
                assertThat(frame.closeCode()).isIn(1002, 1007, 1008, 1009);
            } else {
                assertThat(frame.json().path("type").asText()).isEqualTo("error");
            }
        }
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
    }

    @Provide
    Arbitrary<String> hostileBody() {
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(BODIES), Arbitraries.integers().between(0, 200),
                Arbitraries.strings().all().ofMaxLength(6)).as((body, at, insert) -> {
                    int position = Math.min(at, body.length());
                    return body.substring(0, position) + insert + body.substring(Math.min(body.length(), position + 1));
                });
        Arbitrary<String> deep = Arbitraries.integers().between(1, 50_000).map(n -> "[".repeat(n) + "]".repeat(n));
        Arbitrary<String> wrongTypes = Combinators.combine(Arbitraries.of("category", "event", "data", "name", "count"),
                Arbitraries.of("null", "1e99999", "-0", "false", "[]", "{}", "\"\\u0000\"", "123456789012345678901234567890"))
                .as((field, value) -> "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\","
                        + "\"count\":1,\"" + field + "\":" + value + "}," + "\"" + field + "\":" + value + "}");
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(500), mutated, deep, wrongTypes);
    }

    @Property(tries = 150, seed = "20261125")
    void hostilePublishBodies(@ForAll("hostileBody") String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(host.httpUri().resolve("/api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isIn(202, 400, 413);
        assertThat(response.body()).startsWith("{").doesNotContain("Exception").doesNotContain("io.eventstreamer")
                .doesNotContain("\tat ");
    }

    @Property(tries = 40, seed = "20261125")
    void randomBytesAsPublishBody(@ForAll("bytes") byte[] body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(host.httpUri() + "api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isIn(202, 400);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("io.eventstreamer");
    }
}

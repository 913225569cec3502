package io.eventstreamer.core.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.EventStreamer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts real hosts on 127.0.0.1 and a free port, connects real clients to them, and stops all of
 * it after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * final HostExtension hosts = new HostExtension();
 *
 * @Test
 * void example() {
 *     EventStreamer host = hosts.start("max-clients = 2");
 *     TestClient client = hosts.client();
 *     client.subscribed("my-client", "test-alpha");
 * }
 * }</pre>
 *
 * <p>Overrides are HOCON relative to {@code event-streamer}, e.g. {@code "heartbeat-interval = 200ms"};
 * they sit on top of {@code ConfigFactory.load()}, as an embedding application's would.
 */
public final class HostExtension implements AfterEachCallback {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP;
    /**
     * Whether requests may carry {@code Connection: close}. Without it the JDK client keeps the
     * connection open, and Jetty's graceful stop then waits a second for that idle connection:
     * harmless for a server, but a second per test.
     */
    private static final boolean CLOSE_CONNECTIONS;

    static {
        // Read once, when the JDK's HTTP client is first used; core's tests use it only through here.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection");
        HTTP = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        boolean allowed;
        try {
            HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("Connection", "close");
            allowed = true;
        } catch (IllegalArgumentException e) {
            allowed = false;
        }
        CLOSE_CONNECTIONS = allowed;
    }

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private EventStreamer host;
    private WebSocketClient webSocketClient;

    /** Starts a host with the test defaults and the given overrides; it becomes {@link #host()}. */
    public EventStreamer start(String... overrides) {
        host = EventStreamer.start(config(overrides));
        EventStreamer started = host;
        resources.push(started::stop);
        return started;
    }

    /** The configuration {@link #start} uses. */
    public static Config config(String... overrides) {
        Config config = ConfigFactory.parseString("server.host = \"127.0.0.1\"\nserver.port = 0");
        for (String override : overrides) {
            config = ConfigFactory.parseString(override).withFallback(config);
        }
        return config.atPath("event-streamer").withFallback(ConfigFactory.load());
    }

    /** The host started last. */
    public EventStreamer host() {
        if (host == null) {
            throw new IllegalStateException("no host started");
        }
        return host;
    }

    /** A client connected to {@link #host()}. */
    public TestClient client() {
        TestClient client = TestClient.connect(webSocketClient(), host().webSocketUri());
        resources.push(client);
        return client;
    }

    /** A client connected to {@code uri} with extra upgrade headers. */
    public TestClient client(URI uri, Map<String, String> headers) {
        TestClient client = TestClient.connect(webSocketClient(), uri, headers);
        resources.push(client);
        return client;
    }

    /** {@code POST} with extra headers (e.g. Authorization). */
    public HttpResponse<String> post(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .headers(headers)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** {@code GET} with extra headers. */
    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    /**
     * Opens a Server-Sent Events stream, {@code GET pathAndQuery} on {@link #host()} (e.g.
     * {@code /sse?categories=test-alpha}), with extra headers (name, value, ...); closed after the test.
     */
    public SseStream sse(String pathAndQuery, String... headers) {
        SseStream stream = SseStream.open(HTTP, uri(pathAndQuery), headers);
        resources.push(stream);
        return stream;
    }

    /** Registers something to close after the test. */
    public void closeAfter(AutoCloseable resource) {
        resources.push(resource);
    }

    /** A raw-socket client connected to {@link #host()}, with a small receive buffer. */
    public RawWebSocket rawClient() throws IOException {
        RawWebSocket raw = RawWebSocket.connect(host().webSocketUri(), 4096);
        resources.push(raw);
        return raw;
    }

    /** The Jetty client all {@link TestClient}s of this test share. */
    public WebSocketClient webSocketClient() {
        if (webSocketClient == null) {
            WebSocketClient client = new WebSocketClient();
            try {
                client.start();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the WebSocket client", e);
            }
            webSocketClient = client;
        }
        return webSocketClient;
    }

    // --- HTTP ---------------------------------------------------------------------------------

    /** {@code GET} a path of {@link #host()}, e.g. {@code "/api/sources"}. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** {@code POST} a body to a path of {@link #host()}. */
    public HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** {@code POST} a body given as bytes, e.g. not UTF-8. */
    public HttpResponse<String> post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** {@code GET /api/websocket/status}, parsed; asserts 200. */
    public JsonNode status() {
        HttpResponse<String> response = get("/api/websocket/status");
        if (response.statusCode() != 200) {
            throw new AssertionError("status endpoint answered " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    private URI uri(String path) {
        return host().httpUri().resolve(path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        if (CLOSE_CONNECTIONS) {
            request.header("Connection", "close");
        }
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("HTTP request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // --- Cleanup ------------------------------------------------------------------------------

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (webSocketClient != null) {
            webSocketClient.stop();
            webSocketClient = null;
        }
        host = null;
        if (first != null) {
            throw first;
        }
    }
}

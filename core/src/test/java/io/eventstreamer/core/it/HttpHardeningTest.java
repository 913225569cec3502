package io.eventstreamer.core.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, HTTP: hostile clients (slow bodies, slow headers, too many connections, cross-site
 * pages, floods) must not hurt the host or other clients. Every attack runs over real sockets.
 */
class HttpHardeningTest {
    private static final String ALPHA = "test-alpha";
    private static final String EVENT = "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\","
            + "\"data\":{\"name\":\"p\",\"count\":1}}";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abc";
    /** The host's pool has max(16, 8 × cores) threads; more slow posters than that. */
    private static final int SLOW_POSTERS = Math.max(16, 8 * Runtime.getRuntime().availableProcessors()) + 8;
    private static final Duration HEALTH_WITHIN = Duration.ofSeconds(1);
    /**
     * One client for every POST, as a real publisher has: a new client per request would leave one
     * kept-alive connection per request open from 127.0.0.1 and reach the per-address HTTP cap.
     */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("slow POST bodies hold no thread: health, publishing and deliveries go on; the slow ones get 408")
    void slowBodies() throws Exception {
        EventStreamer host = hosts.start("publish.body-timeout = 3s");
        TestClient bystander = hosts.client();
        bystander.subscribed("bystander", ALPHA);
        ScheduledExecutorService trickle = trickler();
        List<RawHttp> slow = new ArrayList<>();
        for (int i = 0; i < SLOW_POSTERS; i++) {
            RawHttp poster = RawHttp.open(host.httpUri(), "127.0.0.1");
            poster.send("POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\n\r\n[");
            slow.add(poster);
            trickle.scheduleWithFixedDelay(() -> poster.sendQuietly(" "), 200, 200, TimeUnit.MILLISECONDS);
        }

        long worstHealth = 0;
        int published = 0;
        int refused = 0;
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < until) {
            worstHealth = Math.max(worstHealth, healthMillis(host, "127.0.0.1"));
            try {
                if (post(host, EVENT, "Content-Type", "application/json").statusCode() == 202) {
                    published++;
                } else {
                    refused++;
                }
            } catch (AssertionError timedOut) {
                refused++;
            }
        }
        int delivered = 0;
        for (int i = 0; i < published; i++) {
            bystander.nextEvent();
            delivered++;
        }
        System.out.printf("slow bodies: %d posters, slowest /health/live %d ms, %d published, %d failed, %d delivered%n",
                SLOW_POSTERS, worstHealth, published, refused, delivered);
        assertThat(worstHealth).as("slowest /health/live in ms").isLessThan(HEALTH_WITHIN.toMillis());
        assertThat(refused).as("normal publishes that failed").isZero();
        assertThat(published).as("normal publishes").isPositive();

        long start = System.nanoTime();
        for (RawHttp poster : slow) {
            String response = poster.readResponse(Duration.ofSeconds(10));
            System.out.printf("slow poster answered after %d ms: %s%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), response.lines().findFirst().orElse("nothing"));
            assertThat(response).startsWith("HTTP/1.1 408");
            assertThat(response).contains("\"code\":\"body-timeout\"");
        }
        trickle.shutdownNow();
        assertThat(bystander.drain()).noneMatch(m -> "event".equals(m.path("type").asText()));
    }

    @Test
    @DisplayName("connections that trickle their request head are closed after the header timeout; health answers")
    void slowHeaders() throws Exception {
        EventStreamer host = hosts.start("server.request-header-timeout = 1s");
        ScheduledExecutorService trickle = trickler();
        List<RawHttp> slow = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RawHttp loris = RawHttp.open(host.httpUri(), "127.0.0.3");
            loris.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            slow.add(loris);
            trickle.scheduleWithFixedDelay(() -> loris.sendQuietly("a"), 100, 100, TimeUnit.MILLISECONDS);
        }
        for (int i = 0; i < 5; i++) {
            // After a first request on a kept-alive connection, the deadline starts again.
            RawHttp keptAlive = RawHttp.open(host.httpUri(), "127.0.0.3");
            assertThat(keptAlive.exchange("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            keptAlive.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            slow.add(keptAlive);
            trickle.scheduleWithFixedDelay(() -> keptAlive.sendQuietly("a"), 100, 100, TimeUnit.MILLISECONDS);
        }
        RawHttp idle = RawHttp.open(host.httpUri(), "127.0.0.3");
        slow.add(idle);
        long start = System.nanoTime();
        long worstHealth = 0;
        long giveUp = start + Duration.ofSeconds(4).toNanos();
        while (slow.stream().anyMatch(s -> !s.isClosedByServer()) && System.nanoTime() < giveUp) {
            worstHealth = Math.max(worstHealth, healthMillis(host, "127.0.0.2"));
        }
        long closedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long open = slow.stream().filter(s -> !s.isClosedByServer()).count();
        trickle.shutdownNow();
        System.out.printf("slow headers: %d of %d still open after %d ms, slowest /health/live %d ms%n",
                open, slow.size(), closedAfter, worstHealth);
        assertThat(open).as("connections still open after %d ms", closedAfter).isZero();
        assertThat(closedAfter).as("ms to close them all").isGreaterThanOrEqualTo(900);
        assertThat(worstHealth).as("slowest /health/live in ms").isLessThan(HEALTH_WITHIN.toMillis());
    }

    @Test
    @DisplayName("HTTP connections beyond the per-address cap are closed at once; other addresses are served")
    void connectionsPerAddress() throws Exception {
        EventStreamer host = hosts.start("limits.max-http-connections-per-address = 20");
        List<RawHttp> held = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            held.add(RawHttp.open(host.httpUri(), "127.0.0.4"));
        }
        long start = System.nanoTime();
        while (held.stream().filter(RawHttp::isClosedByServer).count() < 10 && System.nanoTime() - start < 2_000_000_000L) {
            Thread.onSpinWait();
        }
        long closed = held.stream().filter(RawHttp::isClosedByServer).count();
        System.out.printf("per-address cap 20: %d of 30 closed after %d ms%n", closed,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertThat(closed).as("connections closed of 30 with a cap of 20").isEqualTo(10);
        assertThat(healthMillis(host, "127.0.0.2")).isLessThan(HEALTH_WITHIN.toMillis());
        // A closed connection frees its place.
        held.stream().filter(h -> !h.isClosedByServer()).findFirst().orElseThrow().close();
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(RawHttp.open(host.httpUri(), "127.0.0.4").get("/health/live")).startsWith("HTTP/1.1 200"));
        held.forEach(RawHttp::close);
    }

    @Test
    @DisplayName("upgraded WebSocket connections leave the HTTP count: more of them than the HTTP cap connect")
    void upgradesLeaveTheHttpCount() {
        hosts.start("limits.max-http-connections-per-address = 5");
        for (int i = 0; i < 15; i++) {
            hosts.client().subscribed("ws-" + i, ALPHA);
        }
        assertThat(hosts.status().get("connectedClients").asInt()).isEqualTo(15);
    }

    @Test
    @DisplayName("a chunked body (no Content-Length) is bounded too: 413 over the size, 408 when it stalls")
    void chunkedBodies() throws Exception {
        EventStreamer host = hosts.start("publish.max-body-size = 1KiB", "publish.body-timeout = 1s");
        String head = "POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
        try (RawHttp big = RawHttp.open(host.httpUri(), "127.0.0.1")) {
            String chunk = "[" + " ".repeat(1500) + "]";
            String response = big.exchange(head + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
            assertThat(response).startsWith("HTTP/1.1 413").contains("\"code\":\"body-too-large\"");
        }
        try (RawHttp stalled = RawHttp.open(host.httpUri(), "127.0.0.1")) {
            long start = System.nanoTime();
            String response = stalled.exchange(head + "1\r\n[\r\n");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(response).startsWith("HTTP/1.1 408").contains("\"code\":\"body-timeout\"");
            assertThat(millis).isBetween(900L, 4_000L);
        }
        try (RawHttp whole = RawHttp.open(host.httpUri(), "127.0.0.1")) {
            String response = whole.exchange(head + Integer.toHexString(EVENT.length()) + "\r\n" + EVENT + "\r\n0\r\n\r\n");
            assertThat(response).startsWith("HTTP/1.1 202");
        }
    }

    @Test
    @DisplayName("cross-site: 415 for text/plain and forms, 403 for a foreign Origin, 202 for own and listed origins")
    void crossSite() {
        EventStreamer host = hosts.start("server.allowed-origins = [\"https://ops.example.com\"]");
        TestClient bystander = hosts.client();
        bystander.subscribed("bystander", ALPHA);
        String own = "http://127.0.0.1:" + host.httpUri().getPort();

        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            HttpResponse<String> response = post(host, EVENT, "Content-Type", type);
            assertThat(response.statusCode()).as(type).isEqualTo(415);
            assertThat(HostExtension.json(response).get("code").asText()).isEqualTo("unsupported-media-type");
        }
        HttpResponse<String> foreign = post(host, EVENT, "Content-Type", "application/json", "Origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(HostExtension.json(foreign).get("code").asText()).isEqualTo("origin-not-allowed");
        assertThat(post(host, EVENT, "Content-Type", "application/json", "Origin", "null").statusCode()).isEqualTo(403);

        assertThat(post(host, EVENT, "Content-Type", "application/json; charset=utf-8", "Origin", own).statusCode())
                .isEqualTo(202);
        assertThat(post(host, EVENT, "Content-Type", "application/json", "Origin", "https://ops.example.com").statusCode())
                .isEqualTo(202);
        assertThat(bystander.nextEvents(2)).hasSize(2);
        assertThat(bystander.drain()).noneMatch(m -> "event".equals(m.path("type").asText()));
    }

    @Test
    @DisplayName("over its rate a publisher gets 429 with Retry-After and nothing of the request is published")
    void publishRate() throws Exception {
        EventStreamer host = hosts.start("limits.publish-rate-on-loopback = true", "limits.publish-events-per-second = 1",
                "limits.publish-burst = 3");
        TestClient bystander = hosts.client();
        bystander.subscribed("bystander", ALPHA);
        assertThat(hosts.post("/api/events", "[" + EVENT + "," + EVENT + "]").statusCode()).isEqualTo(202);
        HttpResponse<String> over = hosts.post("/api/events", "[" + EVENT + "," + EVENT + "]");
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(HostExtension.json(over).get("code").asText()).isEqualTo("rate-limited");
        // One token is left: a single event passes, and it is the next one after the first two.
        HttpResponse<String> marker = hosts.post("/api/events", EVENT);
        assertThat(marker.statusCode()).isEqualTo(202);
        List<JsonNode> events = bystander.nextEvents(3);
        assertThat(events.get(2).get("id").asText()).isEqualTo(HostExtension.json(marker).get("ids").get(0).asText());

        // The bucket is empty now: a request is refused on its head, without waiting for its body.
        try (RawHttp flood = RawHttp.open(host.httpUri(), "127.0.0.1")) {
            String response = flood.exchange("POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n");
            assertThat(response).startsWith("HTTP/1.1 429").contains("Retry-After: ").contains("\"code\":\"rate-limited\"");
        }
    }

    @Test
    @DisplayName("Jetty's own errors are JSON without the URI or the token: a malformed request, a refused upgrade")
    void jsonErrors() throws Exception {
        EventStreamer host = hosts.start("server.allowed-origins = [\"https://ops.example.com\"]");
        String malformed = exchange(host, "GET /api/sources?token=secret-123 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Bad Header\r\n\r\n");
        assertJsonError(malformed, "400");
        String badUri = exchange(host, "GET /api/%zz?token=secret-123 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertJsonError(badUri, "400");
        String refused = exchange(host, "GET " + host.webSocketUri().getPath()
                + "?token=secret-123 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: https://evil.example\r\n\r\n");
        System.out.printf("errors:%n%s%n%s%n%s%n", malformed, badUri, refused);
        assertJsonError(refused, "403");
    }

    @Test
    @DisplayName("with an admin token, /api/cluster needs it")
    void clusterNeedsAdmin() {
        hosts.start("admin.token = \"" + ADMIN_TOKEN + "\"");
        assertThat(hosts.get("/api/cluster").statusCode()).isEqualTo(401);
        assertThat(hosts.get("/api/cluster", "Authorization", "Bearer wrong").statusCode()).isEqualTo(403);
        assertThat(hosts.get("/api/cluster", "Authorization", "Bearer " + ADMIN_TOKEN).statusCode()).isEqualTo(200);
    }

    private static String exchange(EventStreamer host, String request) throws IOException {
        try (RawHttp raw = RawHttp.open(host.httpUri(), "127.0.0.1")) {
            return raw.exchange(request);
        }
    }

    private static void assertJsonError(String response, String status) {
        assertThat(response).startsWith("HTTP/1.1 " + status);
        assertThat(response).containsIgnoringCase("Content-Type: application/json");
        assertThat(response).doesNotContain("secret-123").doesNotContain("/api/").doesNotContain("<html")
                .doesNotContain("at org.eclipse");
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        JsonNode json = Wire.json(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1));
        assertThat(json.get("error").asText()).isNotBlank();
        assertThat(json.get("code").asText()).isNotBlank();
    }

    private static HttpResponse<String> post(EventStreamer host, String body, String... headers) {
        try {
            return HTTP.send(HttpRequest.newBuilder(host.httpUri().resolve("/api/events"))
                    .headers(headers).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("POST /api/events failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Milliseconds for GET /health/live on a new connection from {@code from}; 5000 or more when it failed. */
    private static long healthMillis(EventStreamer host, String from) {
        long start = System.nanoTime();
        boolean ok;
        try (RawHttp health = RawHttp.open(host.httpUri(), from)) {
            ok = health.get("/health/live").startsWith("HTTP/1.1 200");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return ok ? millis : Math.max(millis, 5_000);
    }

    private ScheduledExecutorService trickler() {
        ScheduledExecutorService trickle = Executors.newScheduledThreadPool(2);
        hosts.closeAfter(trickle::shutdownNow);
        return trickle;
    }

    /** HTTP/1.1 by hand on a socket bound to a given loopback address, to act as a distinct client. */
    private static final class RawHttp implements AutoCloseable {
        private final Socket socket;
        private volatile boolean closedByServer;

        private RawHttp(Socket socket) {
            this.socket = socket;
        }

        static RawHttp open(URI httpUri, String from) {
            try {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
                socket.connect(new InetSocketAddress(httpUri.getHost(), httpUri.getPort()), 5_000);
                return new RawHttp(socket);
            } catch (IOException e) {
                throw new AssertionError("could not connect from " + from, e);
            }
        }

        void send(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(ISO_8859_1));
            socket.getOutputStream().flush();
        }

        void sendQuietly(String text) {
            try {
                send(text);
            } catch (IOException e) {
                closedByServer = true;
                throw new IllegalStateException("closed", e);
            }
        }

        String get(String path) {
            try {
                return exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        /** Sends a request and reads until the server closes the connection (5 s at most). */
        String exchange(String request) throws IOException {
            send(request);
            return readResponse(Duration.ofSeconds(5));
        }

        /** Everything the server sends until it closes the connection, or what came within {@code timeout}. */
        String readResponse(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                int n;
                while (!complete(out.toString(ISO_8859_1)) && System.nanoTime() < deadline && (n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // What arrived is the answer.
            } catch (IOException e) {
                // Reset after the response: keep what arrived.
            }
            return out.toString(ISO_8859_1);
        }

        /** Whether {@code received} is a whole response with a Content-Length. */
        private static boolean complete(String received) {
            int end = received.indexOf("\r\n\r\n");
            if (end < 0) {
                return false;
            }
            for (String line : received.substring(0, end).split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    return received.length() - end - 4 >= Integer.parseInt(line.substring(15).trim());
                }
            }
            return false;
        }

        /** Whether the server has closed the connection (polls without blocking for long). */
        boolean isClosedByServer() {
            if (closedByServer) {
                return true;
            }
            try {
                socket.setSoTimeout(1);
                int read = socket.getInputStream().read();
                if (read < 0) {
                    closedByServer = true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                closedByServer = true;
            }
            return closedByServer;
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }
}

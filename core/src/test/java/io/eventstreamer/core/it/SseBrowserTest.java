package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.cluster.RedisServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Server-Sent Events endpoint read by a real browser's {@code EventSource} in headless
 * Chromium, from a page of its own origin (a dashboard on another site): events arrive in order
 * with their SSE ids, and the browser's own reconnect with {@code Last-Event-ID} resumes after a
 * host restart (memory broker: the {@code epoch-changed} gap) and after a cut connection (every
 * event published meanwhile exactly once, no gap), and after a restart of a node with the redis
 * broker (the same: exactly once, no gap, from Redis's history). The page only records; the
 * browser does the reconnecting, nothing in the page does.
 *
 * <p>Needs Debian's chromium and chromium-driver, like {@link ClientBrowserTest}.
 */
class SseBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ALPHA = "test-alpha";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** A short reconnection delay, so that the browser comes back quickly after a stream ends. */
    private static final String RETRY = "server.sse.retry = 300ms";

    /**
     * The page: one EventSource, and a log of what it saw: each open, error, ack, event (its JSON id,
     * count and the lastEventId the browser kept) and gap. Untyped "message" events are logged too:
     * the server never sends one.
     */
    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>sse test</title></head><body>
            <script>
            const log = { opens: 0, errors: 0, acks: [], events: [], gaps: [], untyped: [] };
            window.sseLog = () => JSON.stringify(log);
            const source = new EventSource(new URLSearchParams(location.search).get('sse'));
            source.onopen = () => { log.opens++; };
            source.onerror = () => { log.errors++; };
            source.onmessage = (e) => { log.untyped.push(e.data); };
            source.addEventListener('subscription-ack', (e) => {
              log.acks.push({ lastEventId: e.lastEventId, data: JSON.parse(e.data).data });
            });
            source.addEventListener('alpha-happened', (e) => {
              const event = JSON.parse(e.data);
              log.events.push({ id: event.id, count: event.data.count, lastEventId: e.lastEventId });
            });
            source.addEventListener('gap', (e) => {
              log.gaps.push({ lastEventId: e.lastEventId, data: JSON.parse(e.data).data });
            });
            window.closeSource = () => source.close();
            </script>
            </body></html>
            """;

    // One browser for the class: starting Chromium costs more than a test on a loaded machine.
    private static HeadlessChromium chromium;
    private static ChromeDriver driver;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @BeforeAll
    static void startBrowser() throws IOException {
        chromium = HeadlessChromium.start("sse", WAIT, options -> { });
        driver = chromium.driver();
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            chromium = null;
            driver = null;
        }
    }

    @AfterEach
    void leavePage() {
        // Before the host stops, so the EventSource doesn't keep reconnecting to a server that is gone.
        driver.get("about:blank");
    }

    @Test
    @DisplayName("an EventSource on another origin gets the ack, then every event in order under its type's name,"
            + " each with the SSE id of its position")
    void receivesEventsInOrder() throws IOException {
        HttpServer site = startSite();
        hosts.start(origin(site), RETRY);
        openPage(site, hosts.host().httpUri().resolve("/sse?categories=" + ALPHA).toString());
        JsonNode ack = awaitAcks(1).get(0);
        String start = ack.at("/data/lastIds/" + ALPHA).asText();
        assertThat(ack.path("lastEventId").asText()).isEqualTo(ALPHA + "=" + start);

        List<String> ids = publish(0, 20);
        awaitEvents(20);

        JsonNode log = log();
        assertThat(counts(log)).containsExactlyElementsOf(range(0, 20));
        assertThat(field(log, "id")).containsExactlyElementsOf(ids);
        assertThat(field(log, "lastEventId")).containsExactlyElementsOf(ids.stream().map(id -> ALPHA + "=" + id).toList());
        assertThat(log.path("opens").asInt()).as("opens").isEqualTo(1);
        assertThat(log.path("gaps").size()).as("gaps").isZero();
        assertThat(log.path("untyped").size()).as("untyped messages").isZero();
    }

    @Test
    @DisplayName("a restart of a memory-broker host on the same port: the stream ends, the browser reconnects by"
            + " itself with Last-Event-ID, gets the epoch-changed gap, then the new events; none doubled")
    void hostRestartGivesEpochChangedGap() throws IOException {
        HttpServer site = startSite();
        EventStreamer host = hosts.start(origin(site), RETRY);
        int port = host.port();
        openPage(site, host.httpUri().resolve("/sse?categories=" + ALPHA).toString());
        awaitAcks(1);
        List<String> before = publish(0, 5);
        awaitEvents(5);

        host.stop();
        hosts.start(origin(site), RETRY, "server.port = " + port);
        // The gap says which id the browser resumed from: the last one it received, as Last-Event-ID.
        JsonNode gap = awaitGaps(1).get(0);
        assertThat(gap.at("/data/reason").asText()).isEqualTo("epoch-changed");
        assertThat(gap.at("/data/lastId").asText()).isEqualTo(before.get(4));
        String continuesFrom = gap.at("/data/continuesFrom").asText();
        assertThat(gap.path("lastEventId").asText()).isEqualTo(ALPHA + "=" + continuesFrom);
        List<String> after = publish(5, 5);
        awaitEvents(10);

        JsonNode log = log();
        System.out.printf("EventSource through a restart: %d opens, %d errors, gaps %s%n", log.path("opens").asInt(),
                log.path("errors").asInt(), log.path("gaps"));
        assertThat(counts(log)).as("every event once, in order").containsExactlyElementsOf(range(0, 10));
        List<String> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(field(log, "id")).containsExactlyElementsOf(all);
        assertThat(log.path("gaps").size()).as("gaps: only the restart's").isEqualTo(1);
        assertThat(log.path("acks").size()).as("acks").isEqualTo(2);
        assertThat(log.at("/acks/1/data/resume/" + ALPHA + "/reason").asText()).isEqualTo("epoch-changed");
        // A reconnect while the host was stopping got a 200 stream that only says retry: an open too.
        assertThat(log.path("opens").asInt()).as(log.toString()).isGreaterThanOrEqualTo(2);
    }

    @Test
    @DisplayName("a connection cut under the stream (no restart): the browser reconnects with Last-Event-ID and"
            + " receives every event published meanwhile exactly once, with no gap")
    void cutConnectionResumesExactly() throws Exception {
        HttpServer site = startSite();
        // Heartbeats often, so that the host finds out soon that the old stream is dead.
        EventStreamer host = hosts.start(origin(site), RETRY, "heartbeat-interval = 500ms");
        CuttableProxy proxy = new CuttableProxy(host.port());
        hosts.closeAfter(proxy);
        openPage(site, "http://127.0.0.1:" + proxy.port() + "/sse?categories=" + ALPHA);
        awaitAcks(1);
        List<String> ids = new ArrayList<>(publish(0, 5));
        awaitEvents(5);

        // The network fails, and stays down while ten events are published.
        proxy.refuse(true);
        proxy.cut();
        await().atMost(WAIT).until(() -> log().path("errors").asInt() >= 1);
        ids.addAll(publish(5, 10));
        // The browser keeps trying meanwhile; the host lets the dead stream go (a write fails).
        await().atMost(WAIT).until(() -> proxy.refusedConnections() >= 1);
        await().atMost(WAIT).until(() -> host.clientCount() == 0);
        // Then the network comes back.
        proxy.refuse(false);
        awaitEvents(15);
        ids.addAll(publish(15, 1));
        awaitEvents(16);

        JsonNode log = log();
        System.out.printf("EventSource through a cut connection: %d opens, %d errors, %d refused reconnects%n",
                log.path("opens").asInt(), log.path("errors").asInt(), proxy.refusedConnections());
        assertThat(counts(log)).as("every event once, in order").containsExactlyElementsOf(range(0, 16));
        assertThat(field(log, "id")).containsExactlyElementsOf(ids);
        assertThat(log.path("gaps").size()).as("gaps").isZero();
        assertThat(log.path("acks").size()).as("acks").isEqualTo(2);
        JsonNode resume = log.at("/acks/1/data/resume/" + ALPHA);
        assertThat(resume.path("resumed").asBoolean()).as(resume.toString()).isTrue();
        assertThat(resume.path("replayed").asInt()).as(resume.toString()).isEqualTo(10);
        assertThat(log.path("opens").asInt()).as("opens").isEqualTo(2);
        List<String> heads = proxy.requestHeads();
        assertThat(heads).as("requests through the proxy").hasSize(2);
        assertThat(heads.get(0)).doesNotContainIgnoringCase("Last-Event-ID");
        assertThat(heads.get(1).toLowerCase()).as(heads.get(1))
                .contains("last-event-id: " + (ALPHA + "=" + ids.get(4)).toLowerCase());
    }

    @Test
    @DisplayName("with the redis broker, a node restarted on the same port: the browser reconnects by itself with"
            + " Last-Event-ID and receives every event published meanwhile on the other node exactly once, no gap")
    void redisNodeRestartResumesExactly() throws IOException {
        HttpServer site = startSite();
        RedisServer redis = RedisServer.start(false);
        hosts.closeAfter(redis);
        List<String> settings = List.of(origin(site), RETRY, "broker.type = redis",
                "broker.redis.uri = \"" + redis.uri() + "\"",
                "broker.redis.stream-prefix = \"es-test-" + UUID.randomUUID() + ":\"",
                "broker.redis.retry-interval = 100ms", "broker.redis.node-refresh-interval = 500ms",
                // Ready means every source started: the one that fails on purpose stays out.
                "sources.test-failing.enabled = false");
        EventStreamer a = hosts.start(settings.toArray(new String[0]));
        int port = a.port();
        EventStreamer b = EventStreamer.start(HostExtension.config(settings.toArray(new String[0])));
        hosts.closeAfter(b::stop);
        awaitReady(a);
        awaitReady(b);
        openPage(site, a.httpUri().resolve("/sse?categories=" + ALPHA).toString());
        awaitAcks(1);
        List<String> ids = new ArrayList<>(publish(b, 0, 5));
        awaitEvents(5);

        // Node A restarts; B, on the same Redis, publishes while A is away.
        a.stop();
        ids.addAll(publish(b, 5, 10));
        List<String> restarted = new ArrayList<>(settings);
        restarted.add("server.port = " + port);
        hosts.start(restarted.toArray(new String[0]));
        awaitEvents(15);
        ids.addAll(publish(b, 15, 1));
        awaitEvents(16);

        JsonNode log = log();
        System.out.printf("EventSource through a redis node restart: %d opens, %d errors%n", log.path("opens").asInt(),
                log.path("errors").asInt());
        assertThat(counts(log)).as("every event once, in order").containsExactlyElementsOf(range(0, 16));
        assertThat(field(log, "id")).containsExactlyElementsOf(ids);
        assertThat(log.path("gaps").size()).as("gaps").isZero();
        assertThat(log.path("acks").size()).as("acks").isEqualTo(2);
        JsonNode resume = log.at("/acks/1/data/resume/" + ALPHA);
        assertThat(resume.path("resumed").asBoolean()).as(resume.toString()).isTrue();
        assertThat(resume.path("replayed").asInt()).as(resume.toString()).isEqualTo(10);
    }

    private static String origin(HttpServer site) {
        return "server.allowed-origins = [\"http://127.0.0.1:" + site.getAddress().getPort() + "\"]";
    }

    private static void openPage(HttpServer site, String sseUrl) {
        driver.get("http://127.0.0.1:" + site.getAddress().getPort() + "/?sse="
                + URLEncoder.encode(sseUrl, StandardCharsets.UTF_8));
    }

    /** Publishes events {@code first}, ... of test-alpha on the host started last, in one request; their ids. */
    private List<String> publish(int first, int count) {
        return publish(hosts.host(), first, count);
    }

    /** Publishes events {@code first}, ... of test-alpha on {@code node}, in one request; their ids. */
    private static List<String> publish(EventStreamer node, int first, int count) {
        StringBuilder body = new StringBuilder("[");
        for (int i = first; i < first + count; i++) {
            body.append(i > first ? "," : "").append("{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",")
                    .append("\"data\":{\"name\":\"browser\",\"count\":").append(i).append("}}");
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(node.httpUri().resolve("/api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        List<String> ids = new ArrayList<>();
        HostExtension.json(response).path("ids").forEach(id -> ids.add(id.asText()));
        assertThat(ids).hasSize(count);
        return ids;
    }

    private static void awaitReady(EventStreamer node) {
        await().atMost(WAIT).until(() -> send(HttpRequest.newBuilder(node.httpUri().resolve("/health/ready")))
                .statusCode() == 200);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitEvents(int count) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(log().path("events").size()).as("events").isEqualTo(count));
    }

    private static List<JsonNode> awaitAcks(int count) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(log().path("acks").size()).as("acks").isEqualTo(count));
        List<JsonNode> acks = new ArrayList<>();
        log().path("acks").forEach(acks::add);
        return acks;
    }

    private static List<JsonNode> awaitGaps(int count) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(log().path("gaps").size()).as("gaps").isEqualTo(count));
        List<JsonNode> gaps = new ArrayList<>();
        log().path("gaps").forEach(gaps::add);
        return gaps;
    }

    private static List<Integer> counts(JsonNode log) {
        List<Integer> counts = new ArrayList<>();
        log.path("events").forEach(e -> counts.add(e.path("count").asInt()));
        return counts;
    }

    private static List<String> field(JsonNode log, String name) {
        List<String> values = new ArrayList<>();
        log.path("events").forEach(e -> values.add(e.path(name).asText()));
        return values;
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private static JsonNode log() {
        Object text = driver.executeScript("return window.sseLog ? window.sseLog() : null");
        if (text == null) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("the page's log is not JSON: " + text, e);
        }
    }

    /** The page, from an origin of its own (not the host's). */
    private HttpServer startSite() throws IOException {
        HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/")) {
                send(exchange, PAGE.getBytes(StandardCharsets.UTF_8));
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        });
        site.start();
        hosts.closeAfter(() -> site.stop(0));
        return site;
    }

    private static void send(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.internal.http.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The JavaScript client package ({@code clients/js/src/index.js}) in real headless Chromium: a page
 * of its own origin imports the module from the host ({@code /client/event-streamer-client.js}), subscribes with its resume point kept in
 * {@code sessionStorage}, and lives through a restart of the host (memory broker: the
 * {@code epoch-changed} gap) and a reload of the page (it resumes from storage). Every event
 * arrives once and in order.
 *
 * <p>Needs Debian's chromium and chromium-driver, like {@link ConsoleBrowserTest}.
 */
class ClientBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path CLIENT = Path.of(System.getProperty("basedir", "."), "..", "clients", "js", "src",
            "index.js");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The page: one client, and a log in sessionStorage that outlives a reload (what arrived, the
     * gaps, how often the page was loaded).
     */
    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>client test</title></head><body>
            <script type="module">
            const params = new URLSearchParams(location.search);
            const { EventStreamClient } = await import(params.get('module'));
            const log = JSON.parse(sessionStorage.getItem('test-log') || '{"events":[],"gaps":[],"loads":0}');
            const save = () => sessionStorage.setItem('test-log', JSON.stringify(log));
            log.loads++;
            save();
            const client = new EventStreamClient(params.get('ws'), {
              categories: ['test-alpha'],
              clientId: 'browser-page',
              storage: sessionStorage,
              backoff: { min: 100, max: 1000 },
            });
            client.on('test-alpha:alpha-happened', (e) => { log.events.push({ id: e.id, count: e.data.count }); save(); });
            client.on('gap', (gap) => { log.gaps.push(gap); save(); });
            client.on('state', (state) => { window.clientState = state; });
            window.testLog = () => sessionStorage.getItem('test-log');
            window.closeClient = () => client.close();
            </script>
            </body></html>
            """;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("a page that imports the client receives events, survives a host restart (epoch-changed gap)"
            + " and a reload (resume from sessionStorage), with no duplicate")
    void survivesRestartAndReload() throws Exception {
        assertThat(CLIENT).as("the JavaScript client's source").isRegularFile();
        try (HeadlessChromium chromium = HeadlessChromium.start("client", WAIT, options -> { })) {
            survivesRestartAndReload(chromium.driver());
        }
    }

    private void survivesRestartAndReload(ChromeDriver driver) throws Exception {
        HttpServer site = startSite();
        String origin = "server.allowed-origins = [\"http://127.0.0.1:" + site.getAddress().getPort() + "\"]";
        EventStreamer host = hosts.start(origin);
        int port = host.port();
        // The host serves the client's source as it is, to pages of any origin.
        HttpResponse<String> module = hosts.get(Console.CLIENT_PATH);
        assertThat(module.statusCode()).isEqualTo(200);
        assertThat(module.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(module.body()).isEqualTo(Files.readString(CLIENT));
        driver.get("http://127.0.0.1:" + site.getAddress().getPort() + "/?ws=ws://127.0.0.1:" + port + "/ws&module="
                + host.httpUri().resolve(Console.CLIENT_PATH));
        awaitState(driver, "open");

        publish(0, 5);
        awaitEvents(driver, 5);

        // A restart of a memory-broker host: its history is gone, the client is told with a gap.
        host.stop();
        hosts.start(origin, "server.port = " + port);
        await().atMost(WAIT).untilAsserted(() -> assertThat(gapReasons(driver)).containsExactly("epoch-changed"));
        awaitState(driver, "open");
        publish(5, 5);
        awaitEvents(driver, 10);

        // The page goes away; five events are published meanwhile; the reloaded page resumes after
        // the last event it delivered, which it kept in sessionStorage.
        driver.executeScript("window.closeClient()");
        awaitState(driver, "closed");
        publish(10, 5);
        driver.navigate().refresh();
        awaitEvents(driver, 15);

        JsonNode log = log(driver);
        System.out.printf("client in Chromium: %s events, gaps %s, %s page loads%n", log.path("events").size(),
                gapReasons(driver), log.path("loads"));
        assertThat(log.path("loads").asInt()).as("page loads").isEqualTo(2);
        List<Integer> counts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        log.path("events").forEach(e -> {
            counts.add(e.path("count").asInt());
            ids.add(e.path("id").asText());
        });
        assertThat(counts).as("every event once, in order")
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        assertThat(ids).as("ids").doesNotHaveDuplicates();
        assertThat(gapReasons(driver)).as("gaps: only the restart's").containsExactly("epoch-changed");
    }

    private void publish(int first, int count) {
        StringBuilder body = new StringBuilder("[");
        for (int i = first; i < first + count; i++) {
            body.append(i > first ? "," : "").append("{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",")
                    .append("\"data\":{\"name\":\"browser\",\"count\":").append(i).append("}}");
        }
        HttpResponse<String> response = hosts.post("/api/events", body.append(']').toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private static void awaitState(ChromeDriver driver, String state) {
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(driver.executeScript("return window.clientState || null")).as("client state").isEqualTo(state));
    }

    private static void awaitEvents(ChromeDriver driver, int count) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(log(driver).path("events").size()).as("events").isEqualTo(count));
    }

    private static List<String> gapReasons(ChromeDriver driver) throws IOException {
        List<String> reasons = new ArrayList<>();
        log(driver).path("gaps").forEach(gap -> reasons.add(gap.path("reason").asText()));
        return reasons;
    }

    private static JsonNode log(ChromeDriver driver) throws IOException {
        Object text = driver.executeScript("return window.testLog ? window.testLog() : null");
        return text == null ? JSON.createObjectNode() : JSON.readTree(text.toString());
    }

    /** The page, from an origin of its own (not the host's). */
    private HttpServer startSite() throws IOException {
        HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/")) {
                send(exchange, "text/html", PAGE.getBytes(StandardCharsets.UTF_8));
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        });
        site.start();
        hosts.closeAfter(() -> site.stop(0));
        return site;
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.eventstreamer.core.EventStreamer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A page of another origin, in real headless Chromium, tries to publish to a host on loopback the
 * ways a browser allows without asking the host first: a {@code no-cors} fetch with
 * {@code text/plain}, and HTML forms ({@code text/plain} and urlencoded). None of it is published:
 * the host refuses each request, 403 for the foreign {@code Origin} or, when that origin is allowed,
 * 415 for the content type, and its metrics show that each request arrived.
 *
 * <p>Needs Debian's chromium and chromium-driver, like {@link ConsoleBrowserTest}.
 */
class CrossSiteBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String EVENT = "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\","
            + "\"data\":{\"name\":\"cross-site\",\"count\":1}}";
    private static final int ATTEMPTS = 3;

    private static HeadlessChromium chromium;
    private static ChromeDriver driver;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    /** Where the attack page posts to: the host's /api/events. */
    private volatile String target;

    @BeforeAll
    static void startBrowser() throws IOException {
        chromium = HeadlessChromium.start("cross-site", WAIT, options -> { });
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

    @Test
    @DisplayName("a page of another origin can't publish with a no-cors fetch or a form: 403 for its Origin")
    void foreignOriginCannotPublish() throws Exception {
        HttpServer site = startSite();
        EventStreamer host = hosts.start();
        attackFrom(site, host, "403");
    }

    @Test
    @DisplayName("even from an allowed origin, a no-cors fetch or a form can't publish: 415 for its content type")
    void simpleRequestsCannotPublish() throws Exception {
        HttpServer site = startSite();
        EventStreamer host = hosts.start("server.allowed-origins = [\"http://localhost:" + site.getAddress().getPort()
                + "\"]");
        attackFrom(site, host, "415");
    }

    /** Opens the attack page, waits until the host has refused all its requests, then checks nothing was published. */
    private void attackFrom(HttpServer site, EventStreamer host, String status) {
        TestClient bystander = hosts.client();
        bystander.subscribed("bystander", "test-alpha");
        target = host.httpUri().resolve("/api/events").toString();

        // "localhost" and another port: another origin than http://127.0.0.1:<host port>.
        driver.get("http://localhost:" + site.getAddress().getPort() + "/attack.html");
        await().atMost(WAIT).until(() -> driver.findElement(By.id("done")).getText().equals(ATTEMPTS + " sent"));
        // Every attempt reached the host and was refused there (not stopped by the browser).
        await().atMost(WAIT).untilAsserted(() -> assertThat(refused(status)).as(publishRequests()).isEqualTo(ATTEMPTS));
        driver.get("about:blank");

        HttpResponse<String> marker = hosts.post("/api/events", EVENT);
        assertThat(marker.statusCode()).isEqualTo(202);
        JsonNode next = bystander.nextEvent();
        assertThat(next.get("id").asText()).as("the first event after the attacks is the marker: %s", next)
                .isEqualTo(HostExtension.json(marker).get("ids").get(0).asText());
    }

    /** The other site: serves the attack page against {@link #target}. */
    private HttpServer startSite() throws IOException {
        HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/attack.html", exchange -> {
            byte[] page = attackPage(target).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        site.start();
        hosts.closeAfter(() -> site.stop(0));
        return site;
    }

    /** Publish requests answered with {@code status}, by the host's metrics. */
    private double refused(String status) {
        Matcher matcher = Pattern.compile("eventstreamer_publish_requests_total\\{status=\"" + status + "\"} ([0-9.]+)")
                .matcher(hosts.get("/metrics").body());
        double refused = 0;
        while (matcher.find()) {
            refused += Double.parseDouble(matcher.group(1));
        }
        return refused;
    }

    private String publishRequests() {
        return hosts.get("/metrics").body().lines().filter(l -> l.startsWith("eventstreamer_publish_requests_total"))
                .reduce("publish requests by status:", (a, b) -> a + "\n" + b);
    }

    /**
     * A no-cors fetch with text/plain, a text/plain form whose one field spells a JSON event (the
     * classic trick: name {@code {"...":"} and value {@code "}}), and a urlencoded form; the forms
     * post into hidden frames so the page stays.
     */
    private static String attackPage(String target) {
        String jsonName = EVENT.substring(0, EVENT.length() - 1) + ",\"pad\":\"";
        return "<!doctype html><html><body>\n"
                + "<p id=\"done\">0 sent</p>\n"
                + "<iframe name=\"sink1\" id=\"sink1\"></iframe><iframe name=\"sink2\" id=\"sink2\"></iframe>\n"
                + "<form id=\"plain\" method=\"post\" enctype=\"text/plain\" target=\"sink1\" action=\"" + target + "\">"
                + "<input type=\"hidden\" name='" + jsonName + "' value='\"}'></form>\n"
                + "<form id=\"urlencoded\" method=\"post\" target=\"sink2\" action=\"" + target + "\">"
                + "<input type=\"hidden\" name=\"event\" value='" + EVENT + "'></form>\n"
                + "<script>\n"
                + "let sent = 0;\n"
                + "function one() { sent++; document.getElementById('done').textContent = sent + ' sent'; }\n"
                + "fetch('" + target + "', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'},"
                + " body: '" + EVENT + "'}).then(one, one);\n"
                + "document.getElementById('sink1').addEventListener('load', one, {once: true});\n"
                + "document.getElementById('sink2').addEventListener('load', one, {once: true});\n"
                + "document.getElementById('plain').submit();\n"
                + "document.getElementById('urlencoded').submit();\n"
                + "</script></body></html>\n";
    }
}

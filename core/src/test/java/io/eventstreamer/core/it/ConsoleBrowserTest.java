package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.fixtures.FailingSource;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live console in a real browser: Debian's headless Chromium, driven through its chromedriver
 * by Selenium, against a real host on a free port.
 *
 * <p>Chromium and chromedriver must be installed ({@code apt-get install chromium chromium-driver};
 * {@code .ci/run} does it): without them the test fails, it is not skipped. Selenium is pointed at
 * {@code /usr/bin/chromedriver}, so Selenium Manager never downloads anything. On a failure, a
 * screenshot and the page's HTML are written to {@code target/console-failure-<test>.png/.html}.
 */
class ConsoleBrowserTest {
    private static final Path TARGET = HeadlessChromium.TARGET;
    /** Bound for every wait on the page: generous, for a loaded two-core machine. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";

    private static HeadlessChromium chromium;
    private static ChromeDriver driver;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @RegisterExtension
    final ScreenshotOnFailure screenshots = new ScreenshotOnFailure();

    @BeforeAll
    static void startBrowser() throws IOException {
        chromium = HeadlessChromium.start("console", WAIT, options -> {
            options.addArguments("--window-size=1440,900");
            // The network log shows what the page sends (the token's header and query parameter).
            options.setCapability("goog:loggingPrefs", Map.of(LogType.PERFORMANCE, "ALL", LogType.BROWSER, "ALL"));
        });
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
        // Before the host stops, so the page doesn't keep polling a server that is gone.
        driver.get("about:blank");
    }

    @Test
    @DisplayName("GET / redirects to the console; its files are served with a content security policy, nothing else is")
    void servesTheConsole() {
        hosts.start();

        HttpResponse<String> root = hosts.get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/console/"));

        HttpResponse<String> index = hosts.get("/console/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(index.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe"));
        assertThat(index.body()).contains("<title>event-streamer console</title>");
        assertThat(hosts.get("/console/app.js").headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).contains("javascript"));
        assertThat(hosts.get("/console/app.css").headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/css"));

        HttpResponse<String> missing = hosts.get("/console/missing.js");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(HostExtension.json(missing).get("code").asText()).isEqualTo("not-found");
        assertThat(hosts.get("/console/../reference.conf").statusCode()).isIn(400, 404);
        assertThat(hosts.post("/console/index.html", "").statusCode()).isEqualTo(405);
        assertThat(hosts.post("/", "").statusCode()).isEqualTo(405);
    }

    @Test
    @DisplayName("counts, sources, a live event, the category filter, the search, the detail view and the connections")
    void showsTheServer() throws Exception {
        EventStreamer host = hosts.start();
        TestClient first = hosts.client();
        first.subscribed("dash-1", ALPHA);
        TestClient second = hosts.client();
        second.subscribed("dash-2", ALPHA);

        open(host);

        // Two test clients on test-alpha, plus the console itself on every running category.
        awaitText(By.cssSelector("#stat-clients .value"), "3");
        awaitText(subscriptions(ALPHA), "3");
        awaitText(subscriptions(BETA), "1");
        awaitText(By.cssSelector("#stat-subscriptions .value"), "4");
        awaitText(By.id("connections-count"), "3");

        Map<String, String> states = new LinkedHashMap<>();
        for (WebElement source : driver.findElements(By.cssSelector("#sources .source"))) {
            states.put(source.getDomAttribute("data-category"),
                    source.findElement(By.cssSelector(".state")).getDomProperty("textContent"));
        }
        assertThat(states).containsExactlyInAnyOrderEntriesOf(
                Map.of(ALPHA, "running", BETA, "running", FailingSource.CATEGORY, "failed"));
        WebElement failing = driver.findElement(By.cssSelector("#sources .source[data-category='test-failing']"));
        assertThat(failing.findElement(By.cssSelector(".error")).getText()).isEqualTo(FailingSource.FAILURE_MESSAGE);
        WebElement alphaSource = driver.findElement(By.cssSelector("#sources .source[data-category='test-alpha']"));
        assertThat(alphaSource.findElement(By.cssSelector("summary")).getText()).isEqualTo("3 event types");
        assertThat(driver.findElements(By.cssSelector("#categories .category")))
                .extracting(element -> element.getDomAttribute("data-category"))
                .containsExactly(ALPHA, BETA);

        String alphaId = publish(ALPHA, "alpha-happened", "{\"name\":\"console-check\",\"count\":7}");
        String betaId = publish(BETA, "beta-measured", "{\"value\":21.5,\"measuredAt\":\"2026-11-25T03:00:00.000Z\"}");
        WebElement alphaRow = awaitRow(ALPHA, alphaId);
        WebElement betaRow = awaitRow(BETA, betaId);
        assertThat(alphaRow.getText()).contains(ALPHA, "alpha-happened", alphaId, "name=console-check", "count=7");

        // Unticking a category hides its events; ticking it again shows them.
        WebElement alphaFilter = driver.findElement(By.cssSelector("#categories .category[data-category='test-alpha'] input"));
        alphaFilter.click();
        awaitDisplayed(alphaRow, false);
        assertThat(betaRow.isDisplayed()).isTrue();
        alphaFilter.click();
        awaitDisplayed(alphaRow, true);

        // The search matches any text of the event, its payload included.
        WebElement search = driver.findElement(By.id("search"));
        search.sendKeys("CONSOLE-check");
        awaitDisplayed(betaRow, false);
        assertThat(alphaRow.isDisplayed()).isTrue();
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        search.sendKeys("21.5");
        awaitDisplayed(alphaRow, false);
        assertThat(betaRow.isDisplayed()).isTrue();
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        awaitDisplayed(alphaRow, true);

        // Clicking an event shows its JSON, exactly as received.
        alphaRow.click();
        awaitText(By.id("detail-title"), "alpha-happened");
        JsonNode detail = json(driver.findElement(By.id("detail-json")).getDomProperty("textContent"));
        assertThat(detail.get("type").asText()).isEqualTo("event");
        assertThat(detail.get("category").asText()).isEqualTo(ALPHA);
        assertThat(detail.get("event").asText()).isEqualTo("alpha-happened");
        assertThat(detail.get("id").asText()).isEqualTo(alphaId);
        assertThat(detail.get("data")).isEqualTo(json("{\"name\":\"console-check\",\"count\":7}"));
        assertThat(detail.get("clientId").asText()).matches("console-[0-9a-f]{8}");
        String consoleId = detail.get("clientId").asText();

        // The connections view lists every client, sorted by id, the console marked as itself.
        driver.findElement(By.id("tab-connections")).click();
        awaitCount(By.cssSelector("#connections tbody tr"), 3);
        List<WebElement> rows = driver.findElements(By.cssSelector("#connections tbody tr"));
        assertThat(rows).extracting(row -> row.getDomAttribute("data-client-id"))
                .containsExactly(consoleId, "dash-1", "dash-2");
        assertThat(rows.get(0).getDomAttribute("class")).contains("self");
        assertThat(rows.get(0).findElement(By.cssSelector(".categories-cell")).getText()).contains(ALPHA, BETA);
        assertThat(rows.get(1).findElement(By.cssSelector(".categories-cell")).getText()).isEqualTo(ALPHA);
        assertThat(rows.get(1).findElement(By.cssSelector(".address")).getText()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(rows.get(1).findElement(By.cssSelector(".transport")).getText()).isEqualTo("websocket");
        assertThat(rows.get(1).findElement(By.cssSelector(".dropped")).getText()).isEqualTo("0");
        assertThat(rows.get(1).findElement(By.cssSelector(".pong")).getText()).isEqualTo("—");

        // Counts follow clients that leave; the connections view refreshes while it is shown.
        second.close();
        awaitText(By.cssSelector("#stat-clients .value"), "2");
        awaitText(subscriptions(ALPHA), "2");
        awaitCount(By.cssSelector("#connections tbody tr"), 2);
        assertThat(driver.findElements(By.cssSelector("#connections tbody tr")))
                .extracting(row -> row.getDomAttribute("data-client-id"))
                .containsExactly(consoleId, "dash-1");
        assertThat(browserErrors()).isEmpty();
    }

    @Test
    @DisplayName("hostile text in an event and in a client id is shown as text, never as HTML")
    void escapesEverything() {
        EventStreamer host = hosts.start();
        String hostileClient = "<b>bold</b><img src=y onerror=alert(3)>";
        hosts.client().subscribed(hostileClient, ALPHA);
        open(host);

        String id = publish(ALPHA, "alpha-happened",
                "{\"name\":" + Wire.toJson(HOSTILE) + ",\"count\":1,\"note\":\"<script>alert(2)</script>\"}");
        WebElement row = awaitRow(ALPHA, id);

        assertThat(row.getText()).contains("name=" + HOSTILE, "<script>alert(2)</script>");
        assertThat(driver.findElements(By.cssSelector("#feed img, #feed script, #feed b"))).isEmpty();
        row.click();
        awaitText(By.id("detail-title"), "alpha-happened");
        assertThat(driver.findElement(By.id("detail-json")).getText()).contains(HOSTILE);
        assertThat(driver.findElements(By.cssSelector("#detail img, #detail script"))).isEmpty();

        driver.findElement(By.id("tab-connections")).click();
        awaitCount(By.cssSelector("#connections tbody tr"), 2);
        WebElement client = driver.findElements(By.cssSelector("#connections tbody tr")).stream()
                .filter(tr -> hostileClient.equals(tr.getDomAttribute("data-client-id")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for the hostile client id"));
        assertThat(client.findElement(By.cssSelector(".client")).getText()).isEqualTo(hostileClient);
        assertThat(driver.findElements(By.cssSelector("#connections b, #connections img"))).isEmpty();

        assertThat(driver.findElements(By.tagName("img"))).as("no image anywhere on the page").isEmpty();
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    @DisplayName("after a disconnect the console reconnects and resumes: what it missed arrives once, in order,"
            + " also in a category it had not received an event of yet")
    void resumesAfterReconnecting() {
        EventStreamer host = hosts.start();
        String betaBefore = publish(BETA, "beta-measured", "{\"value\":0,\"measuredAt\":\"2026-11-25T03:00:00.000Z\"}");
        open(host);
        String before = publish(ALPHA, "alpha-happened", "{\"name\":\"before\",\"count\":1}");
        awaitRow(ALPHA, before);

        driver.findElement(By.id("conn-action")).click();
        awaitText(By.id("conn-state"), "Disconnected");
        await().atMost(WAIT).until(() -> host.clientCount() == 0);
        String missed1 = publish(ALPHA, "alpha-happened", "{\"name\":\"missed\",\"count\":2}");
        String missed2 = publish(ALPHA, "alpha-happened", "{\"name\":\"missed\",\"count\":3}");
        String missedBeta = publish(BETA, "beta-measured", "{\"value\":1,\"measuredAt\":\"2026-11-25T03:00:00.000Z\"}");

        driver.findElement(By.id("conn-action")).click();
        awaitText(By.id("conn-state"), "Live");
        awaitRow(ALPHA, missed1);
        awaitRow(ALPHA, missed2);
        // The ack of the first subscribe named the last beta id, so the console resumes beta from it.
        awaitRow(BETA, missedBeta);
        String after = publish(ALPHA, "alpha-happened", "{\"name\":\"after\",\"count\":4}");
        awaitRow(ALPHA, after);

        // Newest first, each once.
        assertThat(eventIds(ALPHA)).containsExactly(after, missed2, missed1, before);
        assertThat(eventIds(BETA)).containsExactly(missedBeta).doesNotContain(betaBefore);
        assertThat(driver.findElement(By.id("feed")).getText())
                .contains("Resumed test-alpha: 2 missed events replayed", "Resumed test-beta: 1 missed event replayed");
    }

    @Test
    @DisplayName("when the history no longer holds what it missed, the console shows the gap")
    void showsGaps() {
        EventStreamer host = hosts.start("history.size = 2");
        open(host);
        String seen = publish(ALPHA, "alpha-happened", "{\"name\":\"seen\",\"count\":1}");
        awaitRow(ALPHA, seen);

        driver.findElement(By.id("conn-action")).click();
        awaitText(By.id("conn-state"), "Disconnected");
        await().atMost(WAIT).until(() -> host.clientCount() == 0);
        for (int i = 0; i < 5; i++) {
            publish(ALPHA, "alpha-happened", "{\"name\":\"lost\",\"count\":" + i + "}");
        }
        driver.findElement(By.id("conn-action")).click();

        WebElement gap = new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(
                d -> d.findElements(By.cssSelector("#feed .row[data-kind='gap'][data-category='test-alpha']"))
                        .stream().findFirst().orElse(null));
        assertThat(gap.getText()).contains("gap · history-expired", "missed 5 event(s)");
        gap.click();
        JsonNode detail = json(driver.findElement(By.id("detail-json")).getDomProperty("textContent"));
        assertThat(detail.at("/data/reason").asText()).isEqualTo("history-expired");
        assertThat(detail.at("/data/lastId").asText()).isEqualTo(seen);
    }

    @Test
    @DisplayName("a paused feed holds new events back and keeps counting them; resuming shows them")
    void pausesTheFeed() {
        EventStreamer host = hosts.start();
        open(host);
        String shown = publish(ALPHA, "alpha-happened", "{\"name\":\"shown\",\"count\":1}");
        awaitRow(ALPHA, shown);

        driver.findElement(By.id("pause")).click();
        String held = publish(ALPHA, "alpha-happened", "{\"name\":\"held\",\"count\":2}");
        awaitTextContaining(By.id("feed-info"), "2 events received · paused, 1 waiting");
        assertThat(driver.findElements(By.cssSelector("#feed .row[data-kind='event']")))
                .extracting(row -> row.getDomAttribute("data-id"))
                .containsExactly(shown);
        assertThat(driver.findElement(By.id("pause")).getText()).isEqualTo("Resume (1)");

        driver.findElement(By.id("pause")).click();
        awaitRow(ALPHA, held);
        assertThat(driver.findElement(By.id("pause")).getText()).isEqualTo("Pause");
    }

    @Test
    @DisplayName("when the server goes away, the console says so and keeps trying to reconnect")
    void showsThatTheServerIsGone() {
        EventStreamer host = hosts.start();
        open(host);

        host.stop();

        awaitTextContaining(By.id("conn-state"), "Disconnected — reconnecting in ");
        awaitTextContaining(By.id("banner"), "Cannot reach the server");
        assertThat(driver.findElement(By.id("feed")).getText()).contains("server restarting: reconnect and resume");
    }

    @Test
    @DisplayName("a token is kept for the tab and sent as a Bearer header and as ?token= on the WebSocket URL")
    void sendsTheToken() {
        EventStreamer host = hosts.start();
        open(host);
        driver.manage().logs().get(LogType.PERFORMANCE); // forget what was logged so far

        WebElement token = driver.findElement(By.id("token"));
        token.sendKeys("s3cret-token");
        driver.findElement(By.id("token-apply")).click();
        awaitText(By.id("conn-state"), "Live");

        List<JsonNode> network = new ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            network.addAll(networkLog());
            assertThat(authorizationHeaders(network, "/api/")).contains("Bearer s3cret-token");
            assertThat(webSocketUrls(network)).anySatisfy(url -> assertThat(url).endsWith("/ws?token=s3cret-token"));
        });

        driver.navigate().refresh();
        awaitText(By.id("conn-state"), "Live");
        assertThat(driver.findElement(By.id("token")).getDomProperty("value")).isEqualTo("s3cret-token");
        await().atMost(WAIT).untilAsserted(() -> {
            network.addAll(networkLog());
            assertThat(authorizationHeaders(network, "/api/sources")).contains("Bearer s3cret-token");
        });
    }

    @Test
    @DisplayName("with auth on, the console asks for a token, then reads the categories the token allows")
    void worksWithAuthenticationOn() {
        EventStreamer host = hosts.start("auth.enabled = true", "auth.jwt.hmac-secret = \"" + Tokens.SECRET + "\"");
        load(host);
        awaitTextContaining(By.id("banner"), "The server needs a valid access token (unauthorized)");
        awaitTextContaining(By.id("conn-state"), "Disconnected — reconnecting in ");

        String alphaOnly = Tokens.hs256(Tokens.claims(List.of(ALPHA), Instant.now().plusSeconds(3600)).build());
        driver.findElement(By.id("token")).sendKeys(alphaOnly);
        driver.findElement(By.id("token-apply")).click();

        awaitText(By.id("conn-state"), "Live");
        new WebDriverWait(driver, WAIT).until((ExpectedCondition<Boolean>) d -> d
                .findElement(By.cssSelector("#categories .category[data-category='test-beta']"))
                .getDomAttribute("class").contains("forbidden"));
        assertThat(driver.findElement(By.cssSelector("#categories .category[data-category='test-alpha']"))
                .getDomAttribute("class")).doesNotContain("forbidden");
        assertThat(driver.findElement(By.id("banner")).isDisplayed()).isFalse();
        String id = publish(ALPHA, "alpha-happened", "{\"name\":\"with-auth\",\"count\":1}");
        awaitRow(ALPHA, id);

        driver.findElement(By.id("tab-connections")).click();
        awaitCount(By.cssSelector("#connections tbody tr.self"), 1);
        assertThat(driver.findElement(By.cssSelector("#connections tbody tr.self .categories-cell")).getText())
                .isEqualTo(ALPHA);
    }

    @Test
    @DisplayName("with an admin token on the server, the connections view needs it in the admin token field")
    void usesTheAdminToken() {
        String adminToken = "console-admin-token-0123456789";
        EventStreamer host = hosts.start("admin.token = \"" + adminToken + "\"");
        open(host);
        driver.findElement(By.id("tab-connections")).click();
        awaitTextContaining(By.id("banner"), "HTTP 401");
        driver.findElement(By.id("admin-token")).sendKeys(adminToken);
        driver.findElement(By.id("token-apply")).click();
        awaitText(By.id("conn-state"), "Live");
        awaitCount(By.cssSelector("#connections tbody tr.self"), 1);
    }

    // --- Helpers -------------------------------------------------------------------------------

    private static void open(EventStreamer host) {
        load(host);
        awaitText(By.id("conn-state"), "Live");
    }

    private static void load(EventStreamer host) {
        driver.manage().logs().get(LogType.BROWSER); // forget what earlier pages logged
        driver.get("http://127.0.0.1:" + host.port() + "/");
        assertThat(driver.getCurrentUrl()).endsWith("/console/");
        assertThat(driver.getTitle()).isEqualTo("event-streamer console");
    }

    private String publish(String category, String event, String data) {
        HttpResponse<String> response = hosts.post("/api/events",
                "{\"category\":\"" + category + "\",\"event\":\"" + event + "\",\"data\":" + data + "}");
        assertThat(response.statusCode()).as("publish: %s", response.body()).isEqualTo(202);
        return HostExtension.json(response).at("/ids/0").asText();
    }

    private static List<String> eventIds(String category) {
        return driver.findElements(By.cssSelector("#feed .row[data-kind='event'][data-category='" + category + "']"))
                .stream().map(row -> row.getDomAttribute("data-id")).collect(Collectors.toList());
    }

    private static By subscriptions(String category) {
        return By.cssSelector("#categories .category[data-category='" + category + "'] .subs");
    }

    private static WebElement awaitRow(String category, String id) {
        By row = By.cssSelector("#feed .row[data-kind='event'][data-category='" + category + "'][data-id='" + id + "']");
        return new WebDriverWait(driver, WAIT).until(d -> {
            List<WebElement> found = d.findElements(row);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    private static void awaitText(By locator, String expected) {
        new WebDriverWait(driver, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "text of " + locator + " to be " + expected + " but was "
                        + driver.findElements(locator).stream().map(WebElement::getText).collect(Collectors.toList()))
                .until((ExpectedCondition<Boolean>) d -> d.findElements(locator).stream()
                        .anyMatch(element -> expected.equals(element.getText())));
    }

    private static void awaitTextContaining(By locator, String expected) {
        new WebDriverWait(driver, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "text of " + locator + " to contain " + expected + " but was "
                        + driver.findElements(locator).stream().map(WebElement::getText).collect(Collectors.toList()))
                .until((ExpectedCondition<Boolean>) d -> d.findElements(locator).stream()
                        .anyMatch(element -> element.getText().contains(expected)));
    }

    private static void awaitCount(By locator, int count) {
        new WebDriverWait(driver, WAIT)
                .withMessage(() -> count + " elements " + locator + " but found " + driver.findElements(locator).size())
                .until((ExpectedCondition<Boolean>) d -> d.findElements(locator).size() == count);
    }

    private static void awaitDisplayed(WebElement element, boolean displayed) {
        new WebDriverWait(driver, WAIT)
                .withMessage(() -> element + (displayed ? " to be shown" : " to be hidden"))
                .until((ExpectedCondition<Boolean>) d -> element.isDisplayed() == displayed);
    }

    /** Messages the page logged at SEVERE level (script errors, failed requests). */
    private static List<String> browserErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .collect(Collectors.toList());
    }

    private static List<JsonNode> networkLog() {
        List<JsonNode> messages = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            messages.add(json(entry.getMessage()).path("message"));
        }
        return messages;
    }

    private static List<String> authorizationHeaders(List<JsonNode> network, String pathPart) {
        List<String> values = new ArrayList<>();
        for (JsonNode message : network) {
            JsonNode request = message.at("/params/request");
            if ("Network.requestWillBeSent".equals(message.path("method").asText())
                    && request.path("url").asText().contains(pathPart)) {
                request.path("headers").fields().forEachRemaining(header -> {
                    if (header.getKey().equalsIgnoreCase("Authorization")) {
                        values.add(header.getValue().asText());
                    }
                });
            }
        }
        return values;
    }

    private static List<String> webSocketUrls(List<JsonNode> network) {
        List<String> urls = new ArrayList<>();
        for (JsonNode message : network) {
            if ("Network.webSocketCreated".equals(message.path("method").asText())) {
                urls.add(message.at("/params/url").asText());
            }
        }
        return urls;
    }

    /** On a failure, saves what the browser showed, before the host is stopped. */
    static final class ScreenshotOnFailure implements AfterTestExecutionCallback {
        @Override
        public void afterTestExecution(ExtensionContext context) throws IOException {
            if (context.getExecutionException().isEmpty() || driver == null) {
                return;
            }
            String name = "console-failure-" + context.getRequiredTestMethod().getName();
            Path png = TARGET.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), png, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(TARGET.resolve(name + ".html"), driver.getPageSource(), StandardCharsets.UTF_8);
            System.err.println("console test failed; screenshot: " + png.toAbsolutePath());
        }
    }
}

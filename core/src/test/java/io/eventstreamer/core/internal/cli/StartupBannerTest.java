package io.eventstreamer.core.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.internal.config.SecuritySettings;
import io.eventstreamer.core.internal.config.Settings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StartupBannerTest {

    @Test
    void versionUrlsAndSourcesInLoadOrder() {
        Map<String, String> states = new LinkedHashMap<>();
        states.put("scheduler", "running");
        states.put("error-recovery", "failed");
        states.put("dlq", "disabled");

        String banner = StartupBanner.render("1.2.3", URI.create("ws://127.0.0.1:8080/ws"),
                URI.create("http://127.0.0.1:8080/"), states);

        assertThat(banner).isEqualTo(String.join("\n",
                "event-streamer 1.2.3 started",
                "  WebSocket  ws://127.0.0.1:8080/ws",
                "  Console    http://127.0.0.1:8080/",
                "  Status     http://127.0.0.1:8080/api/websocket/status",
                "  Metrics    http://127.0.0.1:8080/metrics",
                "  Health     http://127.0.0.1:8080/health/ready",
                "  Sources    scheduler       running",
                "             error-recovery  failed",
                "             dlq             disabled",
                ""));
    }

    @Test
    void noSources() {
        String banner = StartupBanner.render("dev", URI.create("ws://h:1/ws"), URI.create("http://h:1/"), Map.of());
        assertThat(banner).endsWith("  Sources    none (drop source jars into lib/ and restart)\n");
    }

    @Test
    @DisplayName("auth off and no allowed origins: the banner ends with a warning that any web page can read the"
            + " stream, and the one-line fix")
    void openAccessWarning() {
        List<String> warning = StartupBanner.openAccessWarning(security());

        String banner = StartupBanner.render("dev", URI.create("ws://h:1/ws"), URI.create("http://h:1/"),
                Map.of("dlq", "running"), warning);

        assertThat(banner).endsWith(String.join("\n",
                "  Sources    dlq  running",
                "  Warning    auth is off and server.allowed-origins is empty: any web page opened in a browser on"
                        + " this machine can read the stream",
                "             fix: event-streamer.server.allowed-origins = [\"http://localhost:3000\"] (the origin of"
                        + " your dashboard), or auth.enabled = true; see docs/security.md",
                ""));
    }

    @Test
    @DisplayName("no warning when origins are restricted or authentication is on")
    void noWarningWhenClosed() {
        assertThat(StartupBanner.openAccessWarning(
                security("server.allowed-origins = [\"http://localhost:3000\"]"))).isEmpty();
        assertThat(StartupBanner.openAccessWarning(security("auth.enabled = true",
                "auth.jwt.hmac-secret = \"a-test-secret-that-is-at-least-32-bytes-long!\""))).isEmpty();
    }

    private static SecuritySettings security(String... overrides) {
        return Settings.from(ConfigFactory.parseString(String.join("\n", overrides)).atPath("event-streamer"))
                .security();
    }
}

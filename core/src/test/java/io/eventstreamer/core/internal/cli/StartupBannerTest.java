package io.eventstreamer.core.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
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
}

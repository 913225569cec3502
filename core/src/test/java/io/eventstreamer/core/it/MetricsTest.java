package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventstreamer.core.EventStreamer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /metrics is scraped and parsed as the Prometheus text format. */
class MetricsTest {
    private static final String ALPHA = "test-alpha";
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    /** Every sample of a scrape, keyed by {@code name{labels}} exactly as exposed. */
    private Map<String, Double> scrape() {
        HttpResponse<String> response = hosts.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a valid sample line: %s", line).isTrue();
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return samples;
    }

    @Test
    @DisplayName("connections, subscriptions, publishes, deliveries, publish requests, latency, JVM and Jetty metrics")
    void metrics() {
        EventStreamer host = hosts.start("heartbeat-interval = 200ms");
        TestClient client = hosts.client();
        client.subscribed("metrics-client", ALPHA);
        for (int i = 0; i < 5; i++) {
            host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "m", "count", i));
        }
        client.nextEvents(5);
        assertThat(hosts.post("/api/events", "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\","
                + "\"data\":{\"name\":\"h\",\"count\":9}}").statusCode()).isEqualTo(202);
        assertThat(hosts.post("/api/events", "{").statusCode()).isEqualTo(400);
        client.nextEvent();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Double> m = scrape();
            assertThat(m).containsEntry("eventstreamer_clients_connected", 1.0)
                    .containsEntry("eventstreamer_subscriptions{category=\"test-alpha\"}", 1.0)
                    .containsEntry("eventstreamer_subscriptions{category=\"test-beta\"}", 0.0)
                    .containsEntry("eventstreamer_events_published_total{category=\"test-alpha\",event=\"alpha-happened\"}", 6.0)
                    .containsEntry("eventstreamer_events_published_total{category=\"test-beta\",event=\"beta-measured\"}", 0.0)
                    .containsEntry("eventstreamer_deliveries_total{category=\"test-alpha\"}", 6.0)
                    .containsEntry("eventstreamer_drops_total{category=\"test-alpha\"}", 0.0)
                    .containsEntry("eventstreamer_publish_requests_total{status=\"202\"}", 1.0)
                    .containsEntry("eventstreamer_publish_requests_total{status=\"400\"}", 1.0)
                    .containsEntry("eventstreamer_connections_opened_total", 1.0);
            assertThat(m.get("eventstreamer_delivery_latency_seconds_count")).isPositive();
            assertThat(m.keySet()).anyMatch(k -> k.startsWith("eventstreamer_delivery_latency_seconds_bucket{le="));
            assertThat(m.get("eventstreamer_client_queue_depth_events_count")).as("sampled at heartbeats").isPositive();
            assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));
            assertThat(m.keySet()).anyMatch(k -> k.startsWith("jetty_threads_"));
            assertThat(m.keySet()).anyMatch(k -> k.startsWith("jetty_server_requests_seconds_count{"));
            assertThat(m.keySet()).as("no client ids as labels").noneMatch(k -> k.contains("metrics-client"));
        });

        client.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .containsEntry("eventstreamer_clients_connected", 0.0)
                .containsEntry("eventstreamer_connections_closed_total{reason=\"normal\"}", 1.0));
    }

    @Test
    @DisplayName("stale and capacity closes are counted by reason, with heartbeat timeouts")
    void closeReasons() throws Exception {
        hosts.start("max-clients = 1", "heartbeat-interval = 100ms", "connection-timeout = 400ms");
        RawWebSocket silent = hosts.rawClient();
        TestClient refused = hosts.client();
        refused.awaitClose();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .containsEntry("eventstreamer_connections_closed_total{reason=\"capacity\"}", 1.0)
                .containsEntry("eventstreamer_connections_closed_total{reason=\"stale\"}", 1.0)
                .containsEntry("eventstreamer_heartbeat_timeouts_total", 1.0));
        silent.close();
    }
}

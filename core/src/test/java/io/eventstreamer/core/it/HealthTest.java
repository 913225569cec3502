package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Liveness and readiness probes. */
class HealthTest {
    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("ready only when every enabled source started; the body says which one failed")
    void notReadyWithAFailedSource() {
        hosts.start();
        assertThat(hosts.get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = hosts.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode body = HostExtension.json(ready);
        assertThat(body.get("status").asText()).isEqualTo("not-ready");
        assertThat(body.get("reasons").toString()).contains("source 'test-failing' failed: test-failing refuses to start on purpose");
    }

    @Test
    @DisplayName("ready when the failing source is disabled")
    void ready() {
        hosts.start("sources.test-failing.enabled = false");
        HttpResponse<String> ready = hosts.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(HostExtension.json(ready).get("status").asText()).isEqualTo("ready");
    }
}

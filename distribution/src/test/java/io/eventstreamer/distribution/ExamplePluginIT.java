package io.eventstreamer.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin of examples/example-plugin, as docs/plugins.md tells a plugin author to
 * install it: its jar copied into lib/, the server restarted.
 */
class ExamplePluginIT {
    private static final String CATEGORY = "billing";

    @TempDir
    Path temp;

    private ServerProcess server;
    private final WebSocketClient webSocketClient = new WebSocketClient();

    @BeforeEach
    void startClient() throws Exception {
        webSocketClient.start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        webSocketClient.stop();
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("the example plugin's jar in lib/ serves billing: listed running, its own setting read, published events delivered")
    void examplePluginInLib() throws Exception {
        Path home = Distribution.copyTo(temp.resolve("event-streamer"));
        Path jar = Distribution.examplePluginJar();
        Files.copy(jar, home.resolve("lib").resolve(jar.getFileName()));

        // demo-interval is the plugin's own setting (its reference.conf says 0s, off).
        server = ServerProcess.start(home.resolve("bin").resolve("event-streamer"), Map.of("JAVA_OPTS",
                "-Devent-streamer.server.port=0 -Devent-streamer.server.host=127.0.0.1"
                        + " -Devent-streamer.sources.billing.demo-interval=200ms"));
        ServerApi api = ServerApi.awaitStarted(server, DistributionIT.START_TIMEOUT);

        JsonNode billing = api.source(CATEGORY).orElseThrow(() -> new AssertionError(
                "GET /api/sources does not list billing; output:\n" + server.output()));
        assertThat(billing.path("state").asText()).as("billing source: %s", billing).isEqualTo("running");
        List<String> types = new ArrayList<>();
        billing.path("eventTypes").forEach(type -> types.add(type.path("name").asText()));
        assertThat(types).containsExactly("invoice-paid", "invoice-overdue");

        RecordingEndpoint subscriber = api.subscribe(webSocketClient, CATEGORY, "finance-dashboard");

        ObjectNode data = ServerApi.validPayload(ServerApi.eventType(billing, "invoice-paid"));
        String id = api.publishOne(CATEGORY, "invoice-paid", data);
        JsonNode published = subscriber.awaitMessage("published billing event " + id,
                m -> "event".equals(m.path("type").asText()) && id.equals(m.path("id").asText()),
                DistributionIT.RECEIVE_TIMEOUT);
        assertThat(published.path("category").asText()).isEqualTo(CATEGORY);
        assertThat(published.path("event").asText()).isEqualTo("invoice-paid");
        assertThat(published.path("data")).isEqualTo(data);

        JsonNode demo = subscriber.awaitMessage("an event of the plugin's demonstration mode",
                m -> "event".equals(m.path("type").asText())
                        && m.path("data").path("invoiceId").asText().startsWith("demo-inv-"),
                DistributionIT.RECEIVE_TIMEOUT);
        assertThat(demo.path("category").asText()).isEqualTo(CATEGORY);

        assertThat(server.terminate(DistributionIT.STOP_TIMEOUT)).as("exit code; output:%n%s", server.output()).isZero();
    }
}

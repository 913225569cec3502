package io.eventstreamer.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real distribution as a user does, {@code bin/event-streamer} in a copy of
 * target/event-streamer, and talks to it over WebSocket and HTTP.
 */
class DistributionIT {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(10);

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
    @DisplayName("bin/event-streamer serves a subscriber, accepts a published event, and exits 0 on SIGTERM after closing clients with 1001")
    void publishReceiveAndStop() throws Exception {
        Path home = Distribution.copyTo(temp.resolve("event-streamer"));
        server = ServerProcess.startOnFreePort(home);
        ServerApi api = ServerApi.awaitStarted(server, START_TIMEOUT);
        RecordingEndpoint subscriber = api.subscribe(webSocketClient, "scheduler", "distribution-it");

        JsonNode scheduler = api.source("scheduler")
                .orElseThrow(() -> new AssertionError("GET /api/sources does not list scheduler; output:\n" + server.output()));
        ObjectNode data = ServerApi.validPayload(ServerApi.eventType(scheduler, "schedule-created"));
        String id = api.publishOne("scheduler", "schedule-created", data);

        JsonNode event = subscriber.awaitMessage("event " + id,
                m -> "event".equals(m.path("type").asText()) && id.equals(m.path("id").asText()), RECEIVE_TIMEOUT);
        assertThat(event.path("category").asText()).isEqualTo("scheduler");
        assertThat(event.path("event").asText()).isEqualTo("schedule-created");
        assertThat(event.path("data")).isEqualTo(data);
        assertThat(event.path("clientId").asText()).isEqualTo("distribution-it");

        assertThat(server.terminate(STOP_TIMEOUT)).as("exit code after SIGTERM; output:%n%s", server.output()).isZero();
        assertThat(subscriber.awaitClose(RECEIVE_TIMEOUT)).as("close code").isEqualTo(1001);
    }

    @Test
    @DisplayName("bin/event-streamer reads conf/application.conf of its installation")
    void readsConfApplicationConf() throws Exception {
        Path home = Distribution.copyTo(temp.resolve("event-streamer"));
        Files.writeString(home.resolve("conf/application.conf"),
                "\nevent-streamer.sources.dlq.enabled = false\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        server = ServerProcess.startOnFreePort(home);
        ServerApi api = ServerApi.awaitStarted(server, START_TIMEOUT);

        assertThat(api.source("scheduler")).map(s -> s.path("state").asText()).contains("running");
        assertThat(api.source("dlq")).as("the dlq source, disabled in conf/application.conf")
                .map(s -> s.path("state").asText()).contains("disabled");

        assertThat(server.terminate(STOP_TIMEOUT)).as("exit code after SIGTERM; output:%n%s", server.output()).isZero();
    }
}

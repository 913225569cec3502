package io.eventstreamer.examples.bridges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.client.EventStreamClient;
import io.eventstreamer.client.StreamEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The demo, started as its main starts it but on a free port, produces what README promises a newcomer. */
class BridgesDemoTest {
    private final List<StreamEvent> received = new CopyOnWriteArrayList<>();
    private BridgesDemo demo;
    private EventStreamClient client;

    @AfterEach
    void stop() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (demo != null) {
                demo.close();
            }
        }
    }

    @Test
    @DisplayName("a client of the demo sees a breaker open, retries and Quartz runs")
    void producesErrorRecoveryAndSchedulerEvents() throws Exception {
        demo = BridgesDemo.start(ConfigFactory.parseString(
                "event-streamer.server.port = 0, event-streamer.server.host = 127.0.0.1")
                .withFallback(ConfigFactory.load()));
        client = EventStreamClient.builder(demo.host().webSocketUri())
                .clientId("demo-test")
                .categories("error-recovery", "scheduler")
                .onEvent(received::add)
                .build();
        client.start();
        assertThat(client.awaitSubscribed(Duration.ofSeconds(10))).isTrue();

        // The inventory service goes down 3 s after the start; the breaker opens about a second later.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(received)
                .anySatisfy(event -> assertThat(event.data().path("toState").asText()).isEqualTo("open"))
                .anySatisfy(event -> assertThat(event.type()).isEqualTo("retry-started"))
                .anySatisfy(event -> assertThat(event.data().path("scheduleId").asText() + " " + event.type())
                        .isEqualTo("maintenance.cache-refresh-every-3s execution-completed")));
    }
}

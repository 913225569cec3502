package io.eventstreamer.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.EventStreamer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The load generator against a real host with the four standard sources: it must count exactly.
 * No timing is asserted; this only proves the suite runs and its bookkeeping is right.
 */
class LoadGeneratorSmokeTest {
    private EventStreamer host;

    @BeforeEach
    void startHost() {
        host = EventStreamer.start(ConfigFactory.parseString(
                "event-streamer.server.port = 0\nevent-streamer.server.host = \"127.0.0.1\"")
                .withFallback(ConfigFactory.load()));
    }

    @AfterEach
    void stopHost() {
        host.stop();
    }

    @Test
    @DisplayName("fanout: every published event reaches every subscriber, and nothing is lost")
    void fanoutCountsEveryDelivery() throws Exception {
        Options options = Options.parse("--scenario", "fanout", "--target", "http://127.0.0.1:" + host.port(),
                "--connections", "5", "--rate", "100", "--duration", "2s", "--warmup", "0s", "--batch", "10");

        List<ResultLine> results = LoadGenerator.run(options, r -> System.out.println(r.toJson()));

        assertThat(results).hasSize(1);
        ResultLine r = results.get(0);
        assertThat(r.get("connections")).isEqualTo(5);
        assertThat(r.get("publishedEvents")).isEqualTo(200L);
        assertThat(r.get("expectedDeliveries")).isEqualTo(200L * 5);
        assertThat(r.get("receivedDeliveries")).isEqualTo(200L * 5);
        assertThat(r.get("losses")).isEqualTo(0L);
        assertThat(r.toJson()).startsWith("{\"scenario\":\"fanout\",\"transport\":\"ws\"")
                .contains("\"latencyMs\":{\"count\":1000,");
    }

    @Test
    @DisplayName("fanout over Server-Sent Events: every published event reaches every subscriber, and nothing is lost")
    void sseFanoutCountsEveryDelivery() throws Exception {
        Options options = Options.parse("--scenario", "fanout", "--transport", "sse",
                "--target", "http://127.0.0.1:" + host.port(),
                "--connections", "5", "--rate", "100", "--duration", "2s", "--warmup", "0s", "--batch", "10");

        List<ResultLine> results = LoadGenerator.run(options, r -> System.out.println(r.toJson()));

        assertThat(results).hasSize(1);
        ResultLine r = results.get(0);
        assertThat(r.get("connections")).isEqualTo(5);
        assertThat(r.get("expectedDeliveries")).isEqualTo(200L * 5);
        assertThat(r.get("receivedDeliveries")).isEqualTo(200L * 5);
        assertThat(r.get("losses")).isEqualTo(0L);
        assertThat(r.get("firstProblem")).isNull();
        assertThat(r.toJson()).startsWith("{\"scenario\":\"fanout\",\"transport\":\"sse\"")
                .contains("\"latencyMs\":{\"count\":1000,");
    }

    @Test
    @DisplayName("a subscriber that never reads stays connected past the server's stale timeout, so it is there for the whole run")
    void slowConsumerOutlivesTheStaleTimeout() throws Exception {
        EventStreamer strict = EventStreamer.start(ConfigFactory.parseString(
                "event-streamer.server.port = 0\nevent-streamer.server.host = \"127.0.0.1\"\n"
                        + "event-streamer.heartbeat-interval = 400ms\nevent-streamer.connection-timeout = 1s")
                .withFallback(ConfigFactory.load()));
        try {
            Options options = Options.parse("--scenario", "fanout", "--target", "http://127.0.0.1:" + strict.port(),
                    "--connections", "2", "--slow-consumers", "1", "--sign-of-life", "200ms", "--rate", "20",
                    "--duration", "5s", "--warmup", "0s");
            CompletableFuture<List<ResultLine>> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return LoadGenerator.run(options, r -> System.out.println(r.toJson()));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });

            await().atMost(Duration.ofSeconds(10)).until(() -> strict.clientCount() == 3);
            // Three times the stale timeout: without signs of life the silent subscriber would be closed.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> strict.clientCount() == 3);
            ResultLine r = run.get(30, TimeUnit.SECONDS).get(0);
            assertThat(r.get("slowConsumers")).isEqualTo(1);
            assertThat(r.get("losses")).isEqualTo(0L);
        } finally {
            strict.stop();
        }
    }

    @Test
    @DisplayName("only loopback addresses may be targeted")
    void refusesOtherHosts() {
        assertThatThrownBy(() -> Options.parse("--target", "http://192.0.2.1:8080"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only loopback addresses");
        assertThatThrownBy(() -> Options.parse("--bind-addresses", "127.0.0.2,198.51.100.7"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bind-addresses was '198.51.100.7'");
    }
}

package io.eventstreamer.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.EventStreamer;
import java.util.List;
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
        assertThat(r.toJson()).startsWith("{\"scenario\":\"fanout\"").contains("\"latencyMs\":{\"count\":1000,");
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

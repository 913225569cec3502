package io.eventstreamer.examples.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.eventstreamer.spi.EventEmitter;
import io.eventstreamer.spi.SourceContext;
import io.eventstreamer.spi.testkit.RecordingEmitter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The source's own setting, demo-interval, read from its config subtree at start. */
class BillingSourceTest {
    private final BillingSource source = new BillingSource();
    private final RecordingEmitter emitter = RecordingEmitter.strict(BillingCatalog.catalog());

    @AfterEach
    void stopSource() {
        source.stop();
    }

    @Test
    @DisplayName("by default (demo-interval = 0s) the source publishes nothing itself")
    void quietByDefault() {
        source.start(context(""));
        assertThat(emitter.events()).isEmpty();
    }

    @Test
    @DisplayName("with a demo-interval it publishes invoice-paid and invoice-overdue in turn, until stopped")
    void demoPublishesUntilStopped() {
        source.start(context("demo-interval = 20ms"));

        await().atMost(Duration.ofSeconds(10)).until(() -> emitter.events().size() >= 2);
        assertThat(emitter.events()).extracting(RecordingEmitter.Event::eventType)
                .contains("invoice-paid", "invoice-overdue");

        source.stop();
        int published = emitter.events().size();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> emitter.events().size() <= published + 1);
    }

    @Test
    @DisplayName("an invalid demo-interval fails the start with a message naming the key and the value")
    void invalidInterval() {
        assertThatThrownBy(() -> source.start(context("demo-interval = -5s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event-streamer.sources.billing.demo-interval was -5s but must be >= 0 (0s turns the demo off)");
        assertThatThrownBy(() -> source.start(context("demo-interval = often")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event-streamer.sources.billing.demo-interval was often but must be a duration such as 5s, or 0s");
    }

    /** The subtree the host would pass: the overrides over this jar's reference.conf defaults. */
    private SourceContext context(String overrides) {
        Config config = ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.defaultReference().getConfig("event-streamer.sources.billing"));
        return new SourceContext() {
            @Override
            public String category() {
                return BillingSource.CATEGORY;
            }

            @Override
            public EventEmitter emitter() {
                return emitter;
            }

            @Override
            public Config config() {
                return config;
            }
        };
    }
}

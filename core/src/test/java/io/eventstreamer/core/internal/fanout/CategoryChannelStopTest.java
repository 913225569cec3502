package io.eventstreamer.core.internal.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.internal.broker.MemoryBroker;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.JsonType;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a channel takes once its host has begun to stop. */
class CategoryChannelStopTest {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CategoryChannel channel = new CategoryChannel(EventCatalog.builder("alpha")
            .add(EventType.builder("happened", "d").required("n", JsonType.INTEGER, "n").build())
            .build(), Settings.from(ConfigFactory.empty()).category("alpha"), new MemoryBroker(1000L, () -> 0), running::get);
    private final EventType happened = channel.catalog().eventType("happened").orElseThrow();

    @Test
    @DisplayName("once a stop has begun, a new event is refused, but the rest of a request accepted before it is"
            + " published (a request is published whole or refused whole)")
    void restOfAnAcceptedRequest() {
        String first = channel.publishAccepted(channel.prepare(happened, Map.of("n", 1)));
        running.set(false);

        String second = channel.publishAccepted(channel.prepare(happened, Map.of("n", 2)));
        assertThat(channel.lastId()).isEqualTo(second).isNotEqualTo(first);
        assertThatThrownBy(() -> channel.publish(channel.prepare(happened, Map.of("n", 3))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> channel.emit("happened", Map.of("n", 4))).isInstanceOf(IllegalStateException.class);
        assertThat(channel.lastId()).isEqualTo(second);
    }
}

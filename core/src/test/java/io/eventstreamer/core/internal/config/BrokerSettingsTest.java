package io.eventstreamer.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

    private static BrokerSettings parse(String hocon) {
        return Settings.from(ConfigFactory.parseString(hocon, ConfigParseOptions.defaults()
                .setOriginDescription("test.conf"))).broker();
    }

    @Test
    @DisplayName("defaults: the memory broker; Redis on 127.0.0.1:6379 with the event-streamer: prefix")
    void defaults() {
        BrokerSettings broker = parse("event-streamer {}");
        assertThat(broker.type()).isEqualTo(BrokerSettings.Type.MEMORY);
        assertThat(broker.redisAddress()).isEqualTo("127.0.0.1:6379");
        assertThat(broker.streamPrefix()).isEqualTo("event-streamer:");
        assertThat(broker.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(broker.retryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(broker.nodeRefreshInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("every key maps; password, database and TLS come from the URI")
    void fullMapping() {
        BrokerSettings broker = parse("event-streamer.broker { type = redis, redis { uri = \"rediss://:s3cret@redis.example:6380/2\","
                + " stream-prefix = \"es:\", command-timeout = 500ms, retry-interval = 250ms, node-refresh-interval = 2s } }");
        assertThat(broker.type()).isEqualTo(BrokerSettings.Type.REDIS);
        assertThat(broker.redisAddress()).isEqualTo("redis.example:6380");
        assertThat(broker.redisUri().isSsl()).isTrue();
        assertThat(broker.redisUri().getDatabase()).isEqualTo(2);
        assertThat(broker.streamPrefix()).isEqualTo("es:");
        assertThat(broker.commandTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(broker.retryInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(broker.nodeRefreshInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void unknownType() {
        assertThatThrownBy(() -> parse("event-streamer.broker.type = kafka"))
                .hasMessage("test.conf:1: event-streamer.broker.type was kafka but must be one of memory, redis");
    }

    @Test
    @DisplayName("an invalid URI is refused without printing it (it may hold a password)")
    void invalidUriIsMasked() {
        assertThatThrownBy(() -> parse("event-streamer.broker.redis.uri = \"http://:pw@host\""))
                .hasMessage("test.conf:1: event-streamer.broker.redis.uri was ******** but must be a Redis URI such as"
                        + " redis://127.0.0.1:6379, redis://:password@host:6379/0 or rediss://host:6380");
    }

    @Test
    void emptyPrefix() {
        assertThatThrownBy(() -> parse("event-streamer.broker.redis.stream-prefix = \"\""))
                .hasMessage("test.conf:1: event-streamer.broker.redis.stream-prefix was  but must be a non-empty string");
    }

    @Test
    void zeroTimeout() {
        assertThatThrownBy(() -> parse("event-streamer.broker.redis.command-timeout = 0s"))
                .hasMessage("test.conf:1: event-streamer.broker.redis.command-timeout was 0s but must be a duration > 0");
    }
}

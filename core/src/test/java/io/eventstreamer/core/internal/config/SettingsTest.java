package io.eventstreamer.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.InvalidSettingsException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings parse(String hocon) {
        return Settings.from(ConfigFactory.parseString(hocon, com.typesafe.config.ConfigParseOptions.defaults()
                .setOriginDescription("test.conf")));
    }

    @Test
    @DisplayName("defaults come from reference.conf and match the documented seed defaults")
    void defaults() {
        Settings s = Settings.from(ConfigFactory.empty());
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.path()).isEqualTo("/ws");
        assertThat(s.perMessageDeflate()).isFalse();
        assertThat(s.clientTracking()).isTrue();
        assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.connectionTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.maxClients()).isEqualTo(1000);
        assertThat(s.messageQueueSize()).isEqualTo(100);
        assertThat(s.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
        assertThat(s.maxMessageSize()).isEqualTo(64 * 1024);
        assertThat(s.publishMaxBodySize()).isEqualTo(1024 * 1024);
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.outputBufferSize()).isEqualTo(32 * 1024);
        assertThat(s.inputBufferSize()).isEqualTo(4 * 1024);
        assertThat(s.flusherThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    @DisplayName("every key maps to its setting")
    void fullMapping() {
        Settings s = parse("event-streamer { server { host = \"127.0.0.1\", port = 9090, path = \"/events\","
                + " per-message-deflate = true, client-tracking = false, output-buffer-size = 8KiB,"
                + " input-buffer-size = 2KiB }, heartbeat-interval = 5s, connection-timeout = 12s,"
                + " max-clients = 7, message-queue-size = 50, overflow-policy = disconnect,"
                + " max-message-size = 1KiB, drain-timeout = 250ms, flusher-threads = 3,"
                + " publish.max-body-size = 2MiB, debug = true }");
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(9090);
        assertThat(s.path()).isEqualTo("/events");
        assertThat(s.perMessageDeflate()).isTrue();
        assertThat(s.clientTracking()).isFalse();
        assertThat(s.outputBufferSize()).isEqualTo(8192);
        assertThat(s.inputBufferSize()).isEqualTo(2048);
        assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.connectionTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(s.maxClients()).isEqualTo(7);
        assertThat(s.messageQueueSize()).isEqualTo(50);
        assertThat(s.overflowPolicy()).isEqualTo(OverflowPolicy.DISCONNECT);
        assertThat(s.maxMessageSize()).isEqualTo(1024);
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.flusherThreads()).isEqualTo(3);
        assertThat(s.publishMaxBodySize()).isEqualTo(2 * 1024 * 1024);
        assertThat(s.debug()).isTrue();
    }

    @Test
    @DisplayName("the limits against hostile clients have their documented defaults")
    void limitDefaults() {
        Settings s = Settings.from(ConfigFactory.empty());
        assertThat(s.messageQueueBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(s.historyMaxBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(s.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.publishBodyTimeout()).isEqualTo(Duration.ofSeconds(10));
        SecuritySettings security = s.security();
        assertThat(security.requireExpiry()).isTrue();
        // Defaults that fit clients behind one NAT or proxy address: no WebSocket limit per
        // address, and as many HTTP connections as max-clients (1000).
        assertThat(security.maxConnectionsPerAddress()).isEqualTo(Integer.MAX_VALUE);
        assertThat(security.maxHttpConnectionsPerAddress()).isEqualTo(1000);
        assertThat(security.maxFramesPerSecond()).isEqualTo(500);
        assertThat(security.frameBurst()).isEqualTo(1000);
        assertThat(security.maxFragmentsPerMessage()).isEqualTo(1024);
        assertThat(security.publishEventsPerSecond()).isEqualTo(20_000);
        assertThat(security.publishBurst()).isEqualTo(40_000);
        assertThat(security.publishRateOnLoopback()).isFalse();
    }

    @Test
    @DisplayName("every limit key maps to its setting; history.max-bytes can be set per category")
    void limitMapping() {
        Settings s = parse("event-streamer { message-queue-bytes = 64KiB, history.max-bytes = 12GiB,"
                + " server.request-header-timeout = 3s, publish.body-timeout = 4s,"
                + " auth.jwt.require-expiry = false, limits { max-http-connections-per-address = 7,"
                + " max-frames-per-second = 8, frame-burst = 9, max-fragments-per-message = 10,"
                + " publish-events-per-second = 11, publish-burst = 12, publish-rate-on-loopback = true },"
                + " sources.billing.history.max-bytes = 2MiB }");
        assertThat(s.messageQueueBytes()).isEqualTo(64 * 1024);
        assertThat(s.historyMaxBytes()).isEqualTo(12L * 1024 * 1024 * 1024);
        assertThat(s.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.publishBodyTimeout()).isEqualTo(Duration.ofSeconds(4));
        SecuritySettings security = s.security();
        assertThat(security.requireExpiry()).isFalse();
        assertThat(security.maxHttpConnectionsPerAddress()).isEqualTo(7);
        assertThat(security.maxFramesPerSecond()).isEqualTo(8);
        assertThat(security.frameBurst()).isEqualTo(9);
        assertThat(security.maxFragmentsPerMessage()).isEqualTo(10);
        assertThat(security.publishEventsPerSecond()).isEqualTo(11);
        assertThat(security.publishBurst()).isEqualTo(12);
        assertThat(security.publishRateOnLoopback()).isTrue();
        assertThat(s.category("billing").historyMaxBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(s.category("other").historyMaxBytes()).isEqualTo(s.historyMaxBytes());
        // 0 turns the per-address limits off; "auto" follows max-clients, at least 256.
        SecuritySettings off = parse("event-streamer.limits { max-connections-per-address = 0,"
                + " max-http-connections-per-address = 0 }").security();
        assertThat(off.maxConnectionsPerAddress()).isEqualTo(Integer.MAX_VALUE);
        assertThat(off.maxHttpConnectionsPerAddress()).isEqualTo(Integer.MAX_VALUE);
        assertThat(parse("event-streamer { max-clients = 5000, limits.max-connections-per-address = 50 }").security())
                .satisfies(big -> {
                    assertThat(big.maxHttpConnectionsPerAddress()).isEqualTo(5000);
                    assertThat(big.maxConnectionsPerAddress()).isEqualTo(50);
                });
        assertThat(parse("event-streamer.max-clients = 10").security().maxHttpConnectionsPerAddress()).isEqualTo(256);
    }

    @Test
    void historyBytesOutOfRange() {
        assertThatThrownBy(() -> parse("event-streamer.history.max-bytes = 17GiB"))
                .hasMessage("test.conf:1: event-streamer.history.max-bytes was 17GiB but must be a size between"
                        + " 1024 and 17179869184 bytes");
        assertThatThrownBy(() -> parse("event-streamer.sources.billing.history.max-bytes = 10B").category("billing"))
                .hasMessage("test.conf:1: event-streamer.sources.billing.history.max-bytes was 10B but must be a"
                        + " size between 1024 and 17179869184 bytes");
    }

    @Test
    void connectionTimeoutAutoIsTwoIntervals() {
        assertThat(parse("event-streamer.heartbeat-interval = 200ms").connectionTimeout())
                .isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void negativeIntervalIsRefusedWithOriginKeyAndValue() {
        assertThatThrownBy(() -> parse("event-streamer.heartbeat-interval = -5s"))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("test.conf:1: event-streamer.heartbeat-interval was -5s but must be a duration > 0");
    }

    @Test
    void portOutOfRange() {
        assertThatThrownBy(() -> parse("event-streamer.server.port = 70000"))
                .hasMessage("test.conf:1: event-streamer.server.port was 70000 but must be between 0 and 65535");
    }

    @Test
    void queueSizeZero() {
        assertThatThrownBy(() -> parse("\n\nevent-streamer.message-queue-size = 0"))
                .hasMessage("test.conf:3: event-streamer.message-queue-size was 0 but must be between 1 and 1000000");
    }

    @Test
    void unknownOverflowPolicy() {
        assertThatThrownBy(() -> parse("event-streamer.overflow-policy = explode"))
                .hasMessage("test.conf:1: event-streamer.overflow-policy was explode but must be one of"
                        + " drop-oldest, coalesce, disconnect");
    }

    @Test
    void wrongTypeIsNamed() {
        assertThatThrownBy(() -> parse("event-streamer.max-clients = lots"))
                .hasMessage("test.conf:1: event-streamer.max-clients was lots but must be an integer");
        assertThatThrownBy(() -> parse("event-streamer.heartbeat-interval = soon"))
                .hasMessage("test.conf:1: event-streamer.heartbeat-interval was soon but must be a duration"
                        + " such as 500ms, 30s or 2m");
    }

    @Test
    void connectionTimeoutMustExceedInterval() {
        assertThatThrownBy(() -> parse("event-streamer { heartbeat-interval = 10s, connection-timeout = 5s }"))
                .hasMessage("test.conf:1: event-streamer.connection-timeout was 5s but must be \"auto\" or a"
                        + " duration longer than heartbeat-interval (10s)");
    }

    @Test
    void pathMustStartWithSlash() {
        assertThatThrownBy(() -> parse("event-streamer.server.path = ws"))
                .hasMessage("test.conf:1: event-streamer.server.path was ws but must be a path starting with '/'");
    }

    @Test
    @DisplayName("every invalid setting of a file is reported at once, in file order, each with line, key, value and expectation")
    void everyProblemAtOnce() {
        InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class, () -> parse(String.join("\n",
                "event-streamer {",
                "  server.port = 70000",
                "  heartbeat-interval = 10s",
                "  connection-timeout = 5s",
                "  drain-timeout = soon",
                "  max-clients = lots",
                "  overflow-policy = explode",
                "  limits.frame-burst = 0",
                "  auth.enabled = true",
                "  admin.token = short",
                "  broker.type = kafka",
                "  sources.billing.history.max-age = -1m",
                "  sources.webhook.enabled = maybe",
                "}")));

        List<String> expected = List.of(
                "test.conf:2: event-streamer.server.port was 70000 but must be between 0 and 65535",
                "test.conf:4: event-streamer.connection-timeout was 5s but must be \"auto\" or a duration longer than"
                        + " heartbeat-interval (10s)",
                "test.conf:5: event-streamer.drain-timeout was soon but must be a duration such as 500ms, 30s or 2m",
                "test.conf:6: event-streamer.max-clients was lots but must be an integer",
                "test.conf:7: event-streamer.overflow-policy was explode but must be one of drop-oldest, coalesce, disconnect",
                "test.conf:8: event-streamer.limits.frame-burst was 0 but must be between 1 and 100000000",
                "test.conf:9: event-streamer.auth.enabled was true but must be false, or true with exactly one of"
                        + " auth.jwt.hmac-secret, auth.jwt.public-key-file and auth.jwt.jwks-file set (0 are set)",
                "test.conf:10: event-streamer.admin.token was ******** but must be empty or at least 16 characters",
                "test.conf:11: event-streamer.broker.type was kafka but must be one of memory, redis",
                "test.conf:12: event-streamer.sources.billing.history.max-age was -1m but must be a duration > 0",
                "test.conf:13: event-streamer.sources.webhook.enabled was maybe but must be true or false");
        assertThat(e).isNotNull();
        assertThat(e.problems()).containsExactlyElementsOf(expected);
        assertThat(e).hasMessage("11 settings are invalid:\n  " + String.join("\n  ", expected));
    }

    @Test
    @DisplayName("a check across keys is not made with a key that is itself invalid")
    void noFollowOnProblem() {
        assertThatThrownBy(() -> parse("event-streamer { heartbeat-interval = fast, connection-timeout = 5s }"))
                .hasMessage("test.conf:1: event-streamer.heartbeat-interval was fast but must be a duration"
                        + " such as 500ms, 30s or 2m");
    }

    @Test
    @DisplayName("a key that must hold settings but holds a value is reported once, not once per setting in it")
    void valueInsteadOfObject() {
        assertThatThrownBy(() -> parse("event-streamer.history = 5\nevent-streamer.sources.billing.history = 7"))
                .hasMessage("2 settings are invalid:\n"
                        + "  test.conf:1: event-streamer.history was 5 but must be an object\n"
                        + "  test.conf:2: event-streamer.sources.billing.history was 7 but must be an object");
    }

    @Test
    void nullValueIsNamed() {
        assertThatThrownBy(() -> parse("event-streamer.max-clients = null"))
                .hasMessage("test.conf:1: event-streamer.max-clients was null but must be an integer");
    }

    @Test
    void systemPropertyOriginIsNamed() {
        assertThatThrownBy(() -> Settings.from(ConfigFactory.parseMap(java.util.Map.of(
                "event-streamer.max-clients", -5), "system properties")))
                .hasMessage("system properties: event-streamer.max-clients was -5 but must be >= 1");
    }
}

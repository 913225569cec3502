package io.eventstreamer.core.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.eventstreamer.core.InvalidSettingsException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigCheckTest {

    private static Config file(String... lines) {
        return ConfigFactory.parseString(String.join("\n", lines),
                ConfigParseOptions.defaults().setOriginDescription("app.conf"));
    }

    @Test
    @DisplayName("prints every effective setting as 'path = value  # origin', overrides with their origin")
    void printsEffectiveSettings() {
        String out = ConfigCheck.run(file("event-streamer.server.port = 9090"));

        assertThat(out).startsWith("# The configuration is valid.")
                .contains("event-streamer.server.port = 9090  # app.conf:1\n")
                .containsPattern("event-streamer\\.max-clients = 1000  # \\S*reference\\.conf:\\d+\n")
                .contains("event-streamer.sources.test-alpha.enabled = true");
        Config reparsed = ConfigFactory.parseString(out);
        assertThat(reparsed.getInt("event-streamer.server.port")).as("the output is HOCON").isEqualTo(9090);
    }

    @Test
    void masksSecrets() {
        String out = ConfigCheck.run(file("event-streamer.sources.dlq { api-token = abc, hmac-secret = xyz }"));

        assertThat(out).contains("event-streamer.sources.dlq.api-token = \"********\"  # app.conf:1")
                .contains("event-streamer.sources.dlq.hmac-secret = \"********\"")
                .doesNotContain("abc").doesNotContain("xyz");
    }

    @Test
    @DisplayName("an invalid core setting is reported as a start reports it")
    void invalidCoreSetting() {
        assertThatThrownBy(() -> ConfigCheck.run(file("event-streamer.max-clients = -5")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("app.conf:1: event-streamer.max-clients was -5 but must be >= 1");
    }

    @Test
    @DisplayName("per-category overrides and 'enabled' are checked for every subtree under sources")
    void invalidCategorySettings() {
        assertThatThrownBy(() -> ConfigCheck.run(file("event-streamer.sources.billing.overflow-policy = newest")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageStartingWith("app.conf:1: event-streamer.sources.billing.overflow-policy was newest but must be one of");
        assertThatThrownBy(() -> ConfigCheck.run(file("event-streamer.sources.billing.enabled = maybe")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("app.conf:1: event-streamer.sources.billing.enabled was maybe but must be true or false");
        assertThatThrownBy(() -> ConfigCheck.run(file("event-streamer.sources.billing = 5")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("app.conf:1: event-streamer.sources.billing was 5 but must be an object such as { enabled = true }");
    }
}

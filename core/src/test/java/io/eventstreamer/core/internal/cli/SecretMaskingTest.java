package io.eventstreamer.core.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import org.junit.jupiter.api.Test;

class SecretMaskingTest {

    @Test
    void secretNames() {
        assertThat(SecretMasking.isSecret("hmac-secret")).isTrue();
        assertThat(SecretMasking.isSecret("password")).isTrue();
        assertThat(SecretMasking.isSecret("db_passwd")).isTrue();
        assertThat(SecretMasking.isSecret("api-token")).isTrue();
        assertThat(SecretMasking.isSecret("tokens")).isTrue();
        assertThat(SecretMasking.isSecret("keystore-password")).isTrue();
        assertThat(SecretMasking.isSecret("key-password")).isTrue();
        assertThat(SecretMasking.isSecret("keys")).isTrue();
        assertThat(SecretMasking.isSecret("api-key")).isTrue();
        assertThat(SecretMasking.isSecret("apiKey")).isTrue();
        assertThat(SecretMasking.isSecret("private-key")).isTrue();
        assertThat(SecretMasking.isSecret("uri")).isTrue();
        assertThat(SecretMasking.isSecret("key")).isTrue();
        assertThat(SecretMasking.isSecret("credentials")).isTrue();
        assertThat(SecretMasking.isSecret("clientSecret")).isTrue();
    }

    @Test
    void ordinaryNames() {
        assertThat(SecretMasking.isSecret("port")).isFalse();
        assertThat(SecretMasking.isSecret("max-clients")).isFalse();
        assertThat(SecretMasking.isSecret("heartbeat-interval")).isFalse();
        assertThat(SecretMasking.isSecret("enabled")).isFalse();
        assertThat(SecretMasking.isSecret("keyword-filter")).isFalse();
        assertThat(SecretMasking.isSecret("public-key-file")).as("a path, not a key").isFalse();
        assertThat(SecretMasking.isSecret("keystore-file")).isFalse();
    }

    @Test
    void masksValuesObjectsAndSecretsInsideLists() {
        Config config = ConfigFactory.parseString(String.join("\n",
                "a { api-token = abc, port = 1 }",
                "credentials { user = u, password = p }",
                "hooks = [ { url = \"http://x\", hmac-secret = s }, plain ]"),
                ConfigParseOptions.defaults().setOriginDescription("test.conf"));

        Config masked = SecretMasking.mask(config.root()).toConfig();

        assertThat(masked.getString("a.api-token")).isEqualTo(SecretMasking.MASK);
        assertThat(masked.getInt("a.port")).isEqualTo(1);
        assertThat(masked.getString("credentials")).isEqualTo(SecretMasking.MASK);
        Config hook = ((ConfigObject) masked.getList("hooks").get(0)).toConfig();
        assertThat(hook.getString("hmac-secret")).isEqualTo(SecretMasking.MASK);
        assertThat(hook.getString("url")).isEqualTo("http://x");
        assertThat(masked.getList("hooks").get(1).unwrapped()).isEqualTo("plain");
        assertThat(masked.getValue("a.api-token").origin().lineNumber()).as("origin kept").isEqualTo(1);
    }

    @Test
    void showsUnsetSecrets() {
        Config config = ConfigFactory.parseString("hmac-secret = \"\", tokens = [], api-key = x");

        Config masked = SecretMasking.mask(config.root()).toConfig();

        assertThat(masked.getString("hmac-secret")).isEmpty();
        assertThat(masked.getList("tokens")).isEmpty();
        assertThat(masked.getString("api-key")).isEqualTo(SecretMasking.MASK);
    }

    @Test
    void leavesConfigurationWithoutSecretsAlone() {
        Config config = ConfigFactory.parseString("a { b = 1, c = [1, 2] }");
        assertThat(SecretMasking.mask(config.root())).isSameAs(config.root());
    }
}

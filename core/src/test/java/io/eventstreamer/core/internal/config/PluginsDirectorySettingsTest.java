package io.eventstreamer.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import io.eventstreamer.core.InvalidSettingsException;
import io.eventstreamer.core.it.fixtures.TestJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code event-streamer.plugins.directory}, and the plugins' reference.conf beneath the configuration. */
class PluginsDirectorySettingsTest {
    @TempDir
    Path temp;

    private static Settings parse(String hocon) {
        return Settings.from(ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription("test.conf")));
    }

    private static String directory(Path path) {
        return "event-streamer.plugins.directory = " + ConfigUtil.quoteString(path.toString());
    }

    @Test
    @DisplayName("by default there is no plugin directory")
    void noneByDefault() {
        assertThat(System.getenv("EVENT_STREAMER_PLUGINS_DIRECTORY")).as("the test's environment").isNull();
        assertThat(parse("").pluginsDirectory()).isEmpty();
        assertThat(parse("event-streamer.plugins.directory = \"\"").pluginsDirectory()).isEmpty();
    }

    @Test
    @DisplayName("an existing directory is taken as an absolute path; a relative one against the working directory")
    void existingDirectory() throws IOException {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));

        assertThat(parse(directory(plugins)).pluginsDirectory()).contains(plugins.toAbsolutePath().normalize());
        assertThat(parse("event-streamer.plugins.directory = src").pluginsDirectory())
                .contains(Path.of("src").toAbsolutePath());
    }

    @Test
    @DisplayName("a path that is no directory is refused with one line naming origin, key, value and why")
    void notADirectory() throws IOException {
        Path missing = temp.resolve("no-such-directory");
        Path file = Files.writeString(temp.resolve("plugins.txt"), "not a directory");

        assertThatThrownBy(() -> parse(directory(missing))).isInstanceOf(InvalidSettingsException.class)
                .hasMessage("test.conf:1: event-streamer.plugins.directory was " + missing
                        + " but must be a directory, or \"\" for none (it does not exist)");
        assertThatThrownBy(() -> parse(directory(file))).isInstanceOf(InvalidSettingsException.class)
                .hasMessage("test.conf:1: event-streamer.plugins.directory was " + file
                        + " but must be a directory, or \"\" for none (it is a file)");
        assertThatThrownBy(() -> parse("event-streamer.plugins.directory = [a, b]"))
                .hasMessage("test.conf:1: event-streamer.plugins.directory was [a, b] but must be a string");
    }

    @Test
    @DisplayName("a plugin's reference.conf lies beneath the configuration and core's defaults, and is checked with them")
    void pluginReferences() throws IOException {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        Path kafka = Files.createDirectories(plugins.resolve("kafka"));
        TestJar.create().resource("reference.conf", String.join("\n",
                "event-streamer.sources.kafka { enabled = true, overflow-policy = coalesce, history.size = 5,",
                "  topics = \".*\\\\.DLT\" }",
                "event-streamer.max-clients = 1")).writeTo(kafka.resolve("kafka-plugin.jar"));

        Settings settings = parse(directory(plugins) + "\nevent-streamer.sources.kafka.history.size = 7");

        assertThat(settings.category("kafka").overflowPolicy()).isEqualTo(OverflowPolicy.COALESCE);
        assertThat(settings.category("kafka").historySize()).as("the application's value").isEqualTo(7);
        assertThat(settings.config().getString("event-streamer.sources.kafka.topics")).isEqualTo(".*\\.DLT");
        assertThat(settings.maxClients()).as("core's default wins over a plugin's").isEqualTo(parse("").maxClients());
    }

    @Test
    @DisplayName("an invalid value in a plugin's reference.conf is reported with the jar it came from")
    void invalidPluginReference() throws IOException {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        Path jar = Files.createDirectories(plugins.resolve("kafka")).resolve("kafka-plugin.jar");
        TestJar.create().resource("reference.conf", "event-streamer.sources.kafka.overflow-policy = newest")
                .writeTo(jar);

        assertThatThrownBy(() -> parse(directory(plugins))).isInstanceOf(InvalidSettingsException.class)
                .hasMessageStartingWith(jar + "!/reference.conf:1: event-streamer.sources.kafka.overflow-policy"
                        + " was newest but must be one of");
    }

    @Test
    @DisplayName("a plugin whose reference.conf isn't HOCON is left out (its folder reports it), not the host")
    void unreadablePluginReference() throws IOException {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        TestJar.create().resource("reference.conf", "event-streamer.sources.broken {")
                .writeTo(Files.createDirectories(plugins.resolve("broken")).resolve("broken.jar"));

        assertThat(parse(directory(plugins)).config().hasPath("event-streamer.sources.broken")).isFalse();
    }
}

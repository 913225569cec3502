package io.eventstreamer.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.it.fixtures.GreeterPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin folders in the distribution's plugins/, as docs/plugins.md tells a plugin author to
 * install a plugin with libraries of its own: one folder per plugin, the server restarted.
 */
class PluginFoldersIT {
    @TempDir
    Path temp;

    private ServerProcess server;
    private final WebSocketClient webSocketClient = new WebSocketClient();

    @BeforeEach
    void startClient() throws Exception {
        webSocketClient.start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        webSocketClient.stop();
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("folders in plugins/: two plugins bundling conflicting versions of a library each serve events made"
            + " with their own, the example plugin serves billing, an empty folder is reported, lib/ still loads")
    void pluginFolders() throws Exception {
        assertThat(Distribution.directory().resolve("plugins")).as("the distribution ships plugins/").isDirectory();
        Path home = Distribution.copyTo(temp.resolve("event-streamer"));
        Path plugins = home.resolve("plugins");
        GreeterPlugins.pluginOne(plugins);
        GreeterPlugins.pluginTwo(plugins);
        Path billing = Files.createDirectories(plugins.resolve("billing"));
        Files.copy(Distribution.examplePluginJar(), billing.resolve(Distribution.examplePluginJar().getFileName()));
        Files.createDirectories(plugins.resolve("empty"));

        server = ServerProcess.start(home.resolve("bin").resolve("event-streamer"), Map.of("JAVA_OPTS",
                "-Devent-streamer.server.port=0 -Devent-streamer.server.host=127.0.0.1"));
        ServerApi api = ServerApi.awaitStarted(server, DistributionIT.START_TIMEOUT);

        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode source : api.sources()) {
            states.put(source.path("category").asText(), source.path("state").asText() + " " + source.path("plugin").asText("lib/"));
        }
        assertThat(states).as("GET /api/sources; output:%n%s", server.output())
                .containsEntry("scheduler", "running lib/")
                .containsEntry("billing", "running billing")
                .containsEntry(GreeterPlugins.ONE, "running greeter-one")
                .containsEntry(GreeterPlugins.TWO, "running greeter-two");
        Map<String, String> folders = new LinkedHashMap<>();
        for (JsonNode plugin : api.plugins()) {
            folders.put(plugin.path("name").asText(), plugin.path("state").asText());
        }
        assertThat(folders).containsExactly(Map.entry("billing", "loaded"), Map.entry("empty", "failed"),
                Map.entry("greeter-one", "loaded"), Map.entry("greeter-two", "loaded"));
        assertThat(server.output()).contains("Plugin 'empty'").contains("it holds no jar");

        assertThat(libraryVersion(api, GreeterPlugins.ONE)).isEqualTo("1.0");
        assertThat(libraryVersion(api, GreeterPlugins.TWO)).isEqualTo("2.0");

        assertThat(server.terminate(DistributionIT.STOP_TIMEOUT)).as("exit code; output:%n%s", server.output()).isZero();
    }

    @Test
    @DisplayName("a plugins directory that is not a directory stops the start with one line naming it")
    void notADirectory() {
        Path home = Distribution.copyTo(temp.resolve("event-streamer"));
        Path missing = temp.resolve("no-plugins-here");

        CommandRun run = CommandRun.run(home, Map.of("EVENT_STREAMER_PLUGINS_DIRECTORY", missing.toString()), "--check-config");

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).matches("event-streamer: invalid configuration: .*event-streamer\\.plugins\\.directory was "
                + java.util.regex.Pattern.quote(missing.toString()) + " but must be a directory, or \"\" for none"
                + " \\(it does not exist\\)\\R");
    }

    private String libraryVersion(ServerApi api, String category) throws Exception {
        RecordingEndpoint subscriber = api.subscribe(webSocketClient, category, category + "-watcher");
        JsonNode event = subscriber.awaitMessage("a greeted event of " + category,
                m -> "event".equals(m.path("type").asText()) && category.equals(m.path("category").asText()),
                DistributionIT.RECEIVE_TIMEOUT);
        return event.path("data").path("libraryVersion").asText();
    }
}

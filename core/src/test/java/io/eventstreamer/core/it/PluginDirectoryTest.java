package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigUtil;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.internal.cli.SchemaPrint;
import io.eventstreamer.core.internal.schema.SchemaFormat;
import io.eventstreamer.core.it.fixtures.GreeterPlugins;
import io.eventstreamer.core.it.fixtures.TestAlphaSource;
import io.eventstreamer.core.it.fixtures.TestJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plugins.directory}: each folder a plugin with a class loader of its own, next to the
 * sources of the class path. Two plugins bundle conflicting versions of one library
 * ({@link GreeterPlugins}) and run in the same host.
 */
class PluginDirectoryTest {
    private static final String SERVICES = "META-INF/services/io.eventstreamer.spi.EventSource";

    @TempDir
    static Path temp;

    /** greeter-one and greeter-two. */
    private static Path twoPlugins;
    /** greeter-two, greeter-one without its library, and three folders that are no plugin. */
    private static Path brokenPlugins;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @BeforeAll
    static void buildPlugins() throws IOException {
        twoPlugins = Files.createDirectories(temp.resolve("two"));
        GreeterPlugins.pluginOne(twoPlugins);
        GreeterPlugins.pluginTwo(twoPlugins);

        brokenPlugins = Files.createDirectories(temp.resolve("broken"));
        GreeterPlugins.pluginTwo(brokenPlugins);
        Path missingLibrary = Files.createDirectories(brokenPlugins.resolve("missing-library"));
        GreeterPlugins.pluginOneJar(missingLibrary.resolve("greeter-one-plugin.jar"),
                GreeterPlugins.greeterLibrary1(temp.resolve("greeter-1.0.jar")));
        Files.createDirectories(brokenPlugins.resolve("empty"));
        Files.writeString(brokenPlugins.resolve("README.txt"), "a file beside the folders is not a plugin");
        Path missingClass = Files.createDirectories(brokenPlugins.resolve("missing-class"));
        TestJar.create().resource(SERVICES, "com.example.missing.NoSuchSource\n")
                .writeTo(missingClass.resolve("missing-class.jar"));
        Path noSource = Files.createDirectories(brokenPlugins.resolve("no-source"));
        GreeterPlugins.greeterLibrary1(noSource.resolve("greeter-1.0.jar"));
    }

    @Test
    @DisplayName("two plugins that bundle conflicting versions of one library run in one host, each on its own version")
    void conflictingLibraries() {
        EventStreamer host = hosts.start(directory(twoPlugins), "sources.greeter-two.greeting-name = Grace");
        TestClient client = hosts.client();
        client.subscribed("greeters", GreeterPlugins.ONE, GreeterPlugins.TWO);

        Map<String, JsonNode> firstByCategory = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode event = client.nextEvent();
            firstByCategory.putIfAbsent(event.get("category").asText(), event.get("data"));
            return firstByCategory.size() == 2;
        });

        JsonNode one = firstByCategory.get(GreeterPlugins.ONE);
        assertThat(one.get("libraryVersion").asText()).isEqualTo("1.0");
        assertThat(one.get("greeting").asText()).as("its reference.conf's greeting-name")
                .isEqualTo("Hello, greeter-one user");
        JsonNode two = firstByCategory.get(GreeterPlugins.TWO);
        assertThat(two.get("libraryVersion").asText()).isEqualTo("2.0");
        assertThat(two.get("greeting").asText()).as("greeting-name set by the application")
                .isEqualTo("Hello again, Grace! Hello again, Grace!");
        for (JsonNode data : firstByCategory.values()) {
            assertThat(data.get("seesHostClasses").asBoolean()).as("core visible to the plugin").isFalse();
            assertThat(data.get("ownContextClassLoader").asBoolean()).as("context class loader in start").isTrue();
        }
        assertThat(host.categories()).contains(TestAlphaSource.CATEGORY, GreeterPlugins.ONE, GreeterPlugins.TWO);
    }

    @Test
    @DisplayName("GET /api/sources names the plugin of each source and lists the plugin folders; class path sources are unchanged")
    void sourcesEndpoint() {
        hosts.start(directory(twoPlugins));

        JsonNode body = HostExtension.json(hosts.get("/api/sources"));

        assertThat(keys(body)).containsExactly("sources", "plugins");
        Map<String, JsonNode> sources = byKey(body.get("sources"), "category");
        assertThat(keys(sources.get(TestAlphaSource.CATEGORY))).doesNotContain("plugin");
        for (String category : new String[] {GreeterPlugins.ONE, GreeterPlugins.TWO}) {
            JsonNode source = sources.get(category);
            assertThat(source.get("state").asText()).as(category).isEqualTo("running");
            assertThat(source.get("plugin").asText()).isEqualTo(category);
            assertThat(source.get("eventTypes").get(0).get("name").asText()).isEqualTo("greeted");
        }
        assertThat(body.get("plugins")).isEqualTo(Wire.json("["
                + "{\"name\":\"greeter-one\",\"state\":\"loaded\",\"categories\":[\"greeter-one\"]},"
                + "{\"name\":\"greeter-two\",\"state\":\"loaded\",\"categories\":[\"greeter-two\"]}]"));
    }

    @Test
    @DisplayName("folders that are no plugin are reported failed with the reason; the host and the other plugins run")
    void brokenFolders() {
        EventStreamer host = hosts.start(directory(brokenPlugins));

        JsonNode body = HostExtension.json(hosts.get("/api/sources"));
        Map<String, JsonNode> plugins = byKey(body.get("plugins"), "name");

        assertThat(plugins.keySet()).containsExactly("empty", "greeter-two", "missing-class", "missing-library", "no-source");
        assertThat(plugins.get("empty").get("error").asText())
                .isEqualTo("it holds no jar (a plugin folder holds the plugin's jar and the jars of its libraries)");
        assertThat(plugins.get("missing-class").get("error").asText())
                .isEqualTo("io.eventstreamer.spi.EventSource: Provider com.example.missing.NoSuchSource not found");
        assertThat(plugins.get("no-source").get("error").asText())
                .isEqualTo("none of its jars registers an event source in " + SERVICES);
        for (String failed : new String[] {"empty", "missing-class", "no-source"}) {
            assertThat(plugins.get(failed).get("state").asText()).as(failed).isEqualTo("failed");
            assertThat(plugins.get(failed).get("categories")).as(failed).isEmpty();
        }
        assertThat(plugins.get("greeter-two").get("state").asText()).isEqualTo("loaded");
        assertThat(host.sourceStates()).containsEntry(GreeterPlugins.TWO, "running")
                .containsEntry(TestAlphaSource.CATEGORY, "running");

        // Its source is found, but its start needs the library the folder lacks.
        assertThat(plugins.get("missing-library").get("state").asText()).isEqualTo("loaded");
        JsonNode greeterOne = byKey(body.get("sources"), "category").get(GreeterPlugins.ONE);
        assertThat(greeterOne.get("state").asText()).isEqualTo("failed");
        assertThat(greeterOne.get("plugin").asText()).isEqualTo("missing-library");
        assertThat(greeterOne.get("error").asText()).isEqualTo("NoClassDefFoundError: com/example/greeting/Greeter");
    }

    @Test
    @DisplayName("stopping the host stops the plugins' sources")
    void stop() {
        EventStreamer host = hosts.start(directory(twoPlugins));
        assertThat(timerThreads()).isEqualTo(2);

        host.stop();

        await().atMost(Duration.ofSeconds(10)).until(() -> timerThreads() == 0);
    }

    @Test
    @DisplayName("--print-schema includes the plugins' catalogs")
    void printSchema() {
        String schema = SchemaPrint.run(HostExtension.config(directory(twoPlugins)), SchemaFormat.TYPESCRIPT);

        assertThat(schema).contains(GreeterPlugins.ONE, GreeterPlugins.TWO, "libraryVersion");
    }

    private static long timerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("greeter-") && t.getName().endsWith("-timer"))
                .count();
    }

    private static String directory(Path plugins) {
        return "plugins.directory = " + ConfigUtil.quoteString(plugins.toString());
    }

    private static Map<String, JsonNode> byKey(JsonNode array, String key) {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode node : array) {
            byKey.put(node.get(key).asText(), node);
        }
        return byKey;
    }
}

package io.eventstreamer.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.internal.schema.CatalogPayloads;
import io.eventstreamer.core.internal.schema.EventSchemas;
import io.eventstreamer.core.internal.schema.JsonSchemaCheck;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventSource;
import io.eventstreamer.spi.EventType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/event-streamer --print-schema} and {@code GET /api/schema} of the distribution, with
 * the four categories it ships: the schemas agree with docs/events.md and with what the server
 * accepts and delivers.
 */
class SchemaIT {
    private static final List<String> STANDARD = List.of("error-recovery", "scheduler", "webhook", "dlq");
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Random payloads per event type and kind (catalog-valid, spoiled). */
    private static final int RANDOM_PAYLOADS = 25;

    @TempDir
    Path temp;

    private Path home;
    private ServerProcess server;
    private final WebSocketClient webSocketClient = new WebSocketClient();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @BeforeEach
    void install() throws Exception {
        home = Distribution.copyTo(temp.resolve("event-streamer"));
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
    @DisplayName("--print-schema prints the JSON Schemas of the four categories and exits 0, without opening a port")
    void printJsonSchema() throws IOException {
        try (ServerSocket occupied = new ServerSocket(0)) {
            // A start on this port would fail with exit code 1.
            CommandRun run = CommandRun.run(home, Map.of("EVENT_STREAMER_PORT", Integer.toString(occupied.getLocalPort())),
                    "--print-schema");

            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(run.stderr()).isEmpty();
            JsonNode schema = JsonSchemaCheck.parse(run.stdout());
            assertThat(schema.get("$schema").asText()).isEqualTo(EventSchemas.DIALECT);
            assertThat(schema.get("envelope")).isEqualTo(EventSchemas.envelope());
            assertThat(fieldNames(schema.get("categories"))).containsExactlyInAnyOrderElementsOf(STANDARD);
            for (EventCatalog catalog : catalogs(STANDARD)) {
                JsonNode types = schema.get("categories").get(catalog.category());
                assertThat(fieldNames(types)).containsExactlyElementsOf(names(catalog));
                for (EventType type : catalog.eventTypes()) {
                    assertThat(types.get(type.name())).isEqualTo(EventSchemas.data(catalog, type));
                }
            }
        }
    }

    @Test
    @DisplayName("--print-schema --format typescript prints a declaration file with every event type")
    void printTypeScript() {
        CommandRun run = CommandRun.run(home, Map.of(), "--print-schema", "--format", "typescript");

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout()).contains("export type Category = ", "export type EventStreamerEvent =",
                "export interface EventStreamerEventMap {", "export interface SchedulerScheduleExecutedEvent {",
                "export type ErrorRecoveryEvent =", "  'dlq:entry-added': DlqEntryAddedEvent;\n");
        for (EventCatalog catalog : catalogs(STANDARD)) {
            assertThat(run.stdout()).contains("'" + catalog.category() + "'");
            for (EventType type : catalog.eventTypes()) {
                assertThat(run.stdout()).contains("  '" + catalog.category() + ":" + type.name() + "': ",
                        "  event: '" + type.name() + "';\n");
            }
        }
    }

    @Test
    @DisplayName("a wrong --format is one error line, a usage line and exit code 2, with nothing on standard output")
    void wrongFormat() {
        CommandRun run = CommandRun.run(home, Map.of(), "--print-schema", "--format", "yaml");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr().lines()).as("%s", run).hasSize(2);
        assertThat(run.stderr()).startsWith(
                "event-streamer: unknown format 'yaml' for --format; use json-schema or typescript\nUsage: ");
        assertThat(run.stdout()).isEmpty();

        CommandRun alone = CommandRun.run(home, Map.of(), "--format", "typescript");
        assertThat(alone.exitCode()).as("%s", alone).isEqualTo(2);
        assertThat(alone.stderr()).startsWith("event-streamer: option --format goes with --print-schema\n");
    }

    @Test
    @DisplayName("a plugin dropped into lib/ gets its types with no work; a disabled category is left out; logging goes to stderr")
    void pluginsAndConfiguration() throws IOException {
        Path jar = Distribution.examplePluginJar();
        Files.copy(jar, home.resolve("lib").resolve(jar.getFileName()));
        // A jar that names a plugin class it doesn't have: logged and skipped, as at a start.
        writeBrokenPluginJar(home.resolve("lib").resolve("broken-plugin.jar"));
        Map<String, String> env = Map.of("JAVA_OPTS", "-Devent-streamer.sources.dlq.enabled=false");

        CommandRun json = CommandRun.run(home, env, "--print-schema", "--format=json-schema");
        CommandRun typescript = CommandRun.run(home, env, "--print-schema", "--format", "typescript");

        assertThat(json.exitCode()).as("%s", json).isZero();
        JsonNode schema = JsonSchemaCheck.parse(json.stdout());
        assertThat(fieldNames(schema.get("categories"))).contains("billing").doesNotContain("dlq");
        EventCatalog billing = catalogs(List.of("billing")).get(0);
        for (EventType type : billing.eventTypes()) {
            assertThat(schema.get("categories").get("billing").get(type.name())).isEqualTo(EventSchemas.data(billing, type));
        }
        assertThat(json.stderr()).contains("com.example.NoSuchSource").doesNotContain("\tat ");
        assertThat(typescript.exitCode()).as("%s", typescript).isZero();
        assertThat(typescript.stdout()).contains("export interface BillingInvoicePaidEvent {", "  'billing': BillingEvent;")
                .doesNotContain("'dlq'").doesNotContain("NoSuchSource");
    }

    /**
     * One source of truth: the server's schema is what --print-schema prints; every example of
     * docs/events.md and protocol.md is valid by it and accepted by the server; random catalog-valid
     * and spoiled payloads of every event type are accepted by the server exactly when the schema
     * accepts them; and what a client receives has the envelope's fields and matches its schemas.
     */
    @Test
    @DisplayName("the server's schema, docs/events.md, publish validation and delivered events agree")
    void schemaDocsAndServerAgree() throws Exception {
        CommandRun printed = CommandRun.run(home, Map.of(), "--print-schema");
        CommandRun printedTypeScript = CommandRun.run(home, Map.of(), "--print-schema", "--format", "typescript");
        server = ServerProcess.startOnFreePort(home);
        ServerApi api = ServerApi.awaitStarted(server, DistributionIT.START_TIMEOUT);
        URI base = URI.create("http://127.0.0.1:" + server.awaitListening(DistributionIT.START_TIMEOUT) + "/");
        RecordingEndpoint watcher = api.subscribe(webSocketClient, "scheduler", "schema-watcher");

        String served = get(base.resolve("api/schema"));
        assertThat(served).isEqualTo(printed.stdout());
        assertThat(get(base.resolve("api/schema?format=typescript"))).isEqualTo(printedTypeScript.stdout());
        JsonNode schema = JsonSchemaCheck.parse(served);

        int published = 0;
        List<JsonNode> examples = jsonBlocks(Distribution.projectRoot().resolve("docs/events.md"));
        examples.removeIf(block -> !block.has("data"));
        assertThat(examples).as("docs/events.md has an example per event type").hasSizeGreaterThanOrEqualTo(16);
        for (JsonNode example : examples) {
            JsonNode dataSchema = dataSchema(schema, example);
            assertThat(JsonSchemaCheck.errors(dataSchema, example.get("data"))).as("docs/events.md: %s", example).isEmpty();
            assertThat(post(base, example.toString()).statusCode()).as("POST %s", example).isEqualTo(202);
            published += "scheduler".equals(example.get("category").asText()) ? 1 : 0;
        }
        for (JsonNode received : receivedExamples()) {
            assertEvent(schema, received);
        }

        for (EventCatalog catalog : catalogs(STANDARD)) {
            for (EventType type : catalog.eventTypes()) {
                Random random = new Random(type.name().hashCode());
                for (int i = 0; i < 2 * RANDOM_PAYLOADS; i++) {
                    boolean valid = i < RANDOM_PAYLOADS;
                    String data = valid ? CatalogPayloads.valid(type, random) : CatalogPayloads.mutated(type, random);
                    String body = "{\"category\":\"" + catalog.category() + "\",\"event\":\"" + type.name()
                            + "\",\"data\":" + data + "}";
                    HttpResponse<String> response = post(base, body);
                    List<String> errors = JsonSchemaCheck.errors(schema.get("categories").get(catalog.category())
                            .get(type.name()), data);
                    assertThat(response.statusCode()).as("POST %s: %s", body, response.body()).isIn(202, 400);
                    if (valid) {
                        assertThat(response.statusCode()).as("catalog-valid %s: %s", body, response.body()).isEqualTo(202);
                    }
                    assertThat(errors).as("schema's errors for %s, which the server answered %s", body, response.body())
                            .matches(e -> e.isEmpty() == (response.statusCode() == 202));
                    if (response.statusCode() == 202 && catalog.category().equals("scheduler")) {
                        published++;
                    }
                }
            }
        }

        int expected = published;
        List<JsonNode> events = new ArrayList<>();
        watcher.awaitMessage(expected + " scheduler events", message -> {
            if ("event".equals(message.path("type").asText())) {
                events.add(message);
            }
            return events.size() == expected;
        }, DistributionIT.RECEIVE_TIMEOUT);
        for (JsonNode event : events) {
            assertThat(fieldNames(event)).as("%s", event)
                    .containsExactlyInAnyOrderElementsOf(fieldNames(schema.at("/envelope/properties")));
            assertEvent(schema, event);
        }
    }

    /** The messages clients receive as the docs show them: events.md's and protocol.md's event examples. */
    private static List<JsonNode> receivedExamples() throws IOException {
        List<JsonNode> examples = new ArrayList<>();
        String events = Files.readString(Distribution.projectRoot().resolve("docs/events.md"), UTF_8);
        for (String line : events.split("\n")) {
            if (line.startsWith("{\"type\":\"event\"")) {
                examples.add(JsonSchemaCheck.parse(line));
            }
        }
        for (JsonNode block : jsonBlocks(Distribution.projectRoot().resolve("docs/protocol.md"))) {
            if ("event".equals(block.path("type").asText())) {
                examples.add(block);
            }
        }
        assertThat(examples).as("event examples in events.md and protocol.md").hasSizeGreaterThanOrEqualTo(2);
        return examples;
    }

    private static void assertEvent(JsonNode schema, JsonNode event) {
        assertThat(JsonSchemaCheck.errors(schema.get("envelope"), event)).as("envelope of %s", event).isEmpty();
        assertThat(JsonSchemaCheck.errors(dataSchema(schema, event), event.get("data"))).as("data of %s", event).isEmpty();
    }

    private static JsonNode dataSchema(JsonNode schema, JsonNode event) {
        JsonNode dataSchema = schema.path("categories").path(event.path("category").asText())
                .path(event.path("event").asText());
        assertThat(dataSchema.isObject()).as("a schema for %s", event).isTrue();
        return dataSchema;
    }

    /** The ```json blocks of a Markdown file that are JSON objects (some are sketches with "..."). */
    private static List<JsonNode> jsonBlocks(Path markdown) throws IOException {
        List<JsonNode> blocks = new ArrayList<>();
        Matcher block = JSON_BLOCK.matcher(Files.readString(markdown, UTF_8));
        while (block.find()) {
            try {
                JsonNode node = JsonSchemaCheck.MAPPER.readTree(block.group(1));
                if (node.isObject()) {
                    blocks.add(node);
                }
            } catch (IOException e) {
                // Not a complete JSON document, e.g. {"...":"..."}; the docs' own tests cover those.
            }
        }
        return blocks;
    }

    /** The catalogs of the given categories, from the plugins on the test's class path (the same jars as lib/). */
    private static List<EventCatalog> catalogs(List<String> categories) {
        Map<String, EventCatalog> found = new LinkedHashMap<>();
        for (EventSource source : ServiceLoader.load(EventSource.class)) {
            if (categories.contains(source.category())) {
                found.put(source.category(), source.catalog());
            }
        }
        assertThat(found.keySet()).containsExactlyInAnyOrderElementsOf(categories);
        return new ArrayList<>(found.values());
    }

    private static List<String> names(EventCatalog catalog) {
        List<String> names = new ArrayList<>();
        catalog.eventTypes().forEach(type -> names.add(type.name()));
        return names;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> post(URI base, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve("api/events")).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void writeBrokenPluginJar(Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/services/" + EventSource.class.getName()));
            out.write("com.example.NoSuchSource\n".getBytes(UTF_8));
            out.closeEntry();
        }
    }
}

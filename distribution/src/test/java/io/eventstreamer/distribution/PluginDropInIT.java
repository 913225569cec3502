package io.eventstreamer.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party source plugin, built here against the SPI jar the distribution ships, is dropped
 * into lib/ and its category is served after a restart.
 */
class PluginDropInIT {
    private static final String CATEGORY = "billing";
    private static final String PLUGIN_CLASS = "com.example.billing.BillingSource";
    private static final String PLUGIN_SOURCE = String.join("\n",
            "package com.example.billing;",
            "",
            "import io.eventstreamer.spi.EventCatalog;",
            "import io.eventstreamer.spi.EventSource;",
            "import io.eventstreamer.spi.EventType;",
            "import io.eventstreamer.spi.JsonType;",
            "",
            "public final class BillingSource implements EventSource {",
            "    @Override",
            "    public String category() {",
            "        return \"billing\";",
            "    }",
            "",
            "    @Override",
            "    public EventCatalog catalog() {",
            "        return EventCatalog.builder(\"billing\")",
            "                .add(EventType.builder(\"invoice-paid\", \"An invoice was paid\")",
            "                        .required(\"invoiceId\", JsonType.STRING, \"Id of the invoice\")",
            "                        .required(\"amountCents\", JsonType.INTEGER, \"Amount paid, in cents\")",
            "                        .build())",
            "                .build();",
            "    }",
            "}",
            "");

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
    @DisplayName("a source jar dropped into lib/ makes its category available after a restart")
    void droppedInPluginIsServedAfterRestart() throws Exception {
        Path home = Distribution.copyTo(temp.resolve("event-streamer"));

        server = ServerProcess.startOnFreePort(home);
        ServerApi before = ServerApi.awaitStarted(server, DistributionIT.START_TIMEOUT);
        assertThat(before.source(CATEGORY)).as("billing before the plugin is dropped in").isEmpty();
        assertThat(server.terminate(DistributionIT.STOP_TIMEOUT)).as("exit code; output:%n%s", server.output()).isZero();

        Path pluginJar = buildPluginJar(home.resolve("lib"), temp.resolve("plugin-build"));
        Files.copy(pluginJar, home.resolve("lib").resolve("billing-source-1.0.jar"));

        server = ServerProcess.startOnFreePort(home);
        ServerApi after = ServerApi.awaitStarted(server, DistributionIT.START_TIMEOUT);
        JsonNode billing = after.source(CATEGORY).orElseThrow(() -> new AssertionError(
                "GET /api/sources does not list billing after the drop-in; output:\n" + server.output()));
        assertThat(billing.path("state").asText()).as("billing source: %s", billing).isEqualTo("running");
        JsonNode invoicePaid = ServerApi.eventType(billing, "invoice-paid");

        RecordingEndpoint subscriber = after.subscribe(webSocketClient, CATEGORY, "billing-dashboard");

        ObjectNode data = ServerApi.validPayload(invoicePaid);
        assertThat(data.has("invoiceId") && data.has("amountCents")).as("payload %s", data).isTrue();
        String id = after.publishOne(CATEGORY, "invoice-paid", data);

        JsonNode event = subscriber.awaitMessage("billing event " + id,
                m -> "event".equals(m.path("type").asText()) && id.equals(m.path("id").asText()),
                DistributionIT.RECEIVE_TIMEOUT);
        assertThat(event.path("category").asText()).isEqualTo(CATEGORY);
        assertThat(event.path("event").asText()).isEqualTo("invoice-paid");
        assertThat(event.path("data")).isEqualTo(data);

        assertThat(server.terminate(DistributionIT.STOP_TIMEOUT)).as("exit code; output:%n%s", server.output()).isZero();
        assertThat(subscriber.awaitClose(DistributionIT.RECEIVE_TIMEOUT)).as("close code").isEqualTo(1001);
    }

    /**
     * Compiles the plugin against the SPI jar in lib/ (and Typesafe Config, which the SPI exposes)
     * the way a plugin author compiles with the SPI as a provided dependency, then jars it with its
     * service registration.
     */
    private static Path buildPluginJar(Path lib, Path work) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK with javac (the tests run on a JRE?)").isNotNull();

        Path sources = work.resolve("src/com/example/billing");
        Path classes = work.resolve("classes");
        Files.createDirectories(sources);
        Files.createDirectories(classes);
        Path sourceFile = sources.resolve("BillingSource.java");
        Files.writeString(sourceFile, PLUGIN_SOURCE, UTF_8);

        String classPath = String.join(File.pathSeparator,
                jarIn(lib, "event-streamer-spi-").toString(), jarIn(lib, "config-").toString());
        StringWriter diagnostics = new StringWriter();
        boolean compiled = compiler.getTask(diagnostics, null, null,
                List.of("--release", "17", "-classpath", classPath, "-d", classes.toString()),
                null, compiler.getStandardFileManager(null, null, UTF_8).getJavaFileObjects(sourceFile.toFile()))
                .call();
        assertThat(compiled).as("compiling the plugin against %s: %s", classPath, diagnostics).isTrue();

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path jar = work.resolve("billing-source.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                Stream<Path> classFiles = Files.walk(classes)) {
            for (Path classFile : (Iterable<Path>) classFiles.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                Files.copy(classFile, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/io.eventstreamer.spi.EventSource"));
            write(out, PLUGIN_CLASS + "\n");
            out.closeEntry();
        }
        return jar;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(UTF_8));
    }

    /** The one jar in lib/ whose name starts with the prefix followed by a version. */
    private static Path jarIn(Path lib, String prefix) throws IOException {
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, prefix + "[0-9]*.jar")) {
            jars.forEach(matches::add);
        }
        assertThat(matches).as("%s*.jar in %s", prefix, lib).hasSize(1);
        return matches.get(0);
    }
}

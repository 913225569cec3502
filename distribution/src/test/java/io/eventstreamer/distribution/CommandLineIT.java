package io.eventstreamer.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/event-streamer's options, start-up banner and start-up failures, seen as a user sees them. */
class CommandLineIT {
    /** A line of a Java stack trace, as printed by Throwable.printStackTrace. */
    private static final Pattern STACK_LINE = Pattern.compile("(?m)^\\s+at \\S+\\(.*\\)$");

    @TempDir
    Path temp;

    private Path home;
    private ServerProcess server;

    @BeforeEach
    void install() {
        home = Distribution.copyTo(temp.resolve("event-streamer"));
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("--help prints the usage, every option and the environment variables, and exits 0; README shows it as it is")
    void help() throws IOException {
        CommandRun run = CommandRun.run(home, Map.of(), "--help");

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).startsWith("Usage: event-streamer [OPTIONS]")
                .contains("--config FILE", "--check-config", "--version", "--help",
                        "EVENT_STREAMER_PORT", "DEBUG_WEBSOCKET", "JAVA_OPTS");
        assertThat(run.stderr()).isEmpty();
        assertThat(Files.readString(Distribution.projectRoot().resolve("README.md"), UTF_8))
                .as("README.md's section 'Command line' shows the output of --help")
                .contains("$ bin/event-streamer --help\n" + run.stdout() + "```");
    }

    @Test
    @DisplayName("--version prints 'event-streamer <version>' from the core jar's manifest")
    void version() throws IOException {
        CommandRun run = CommandRun.run(home, Map.of(), "--version");

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).isEqualTo("event-streamer " + coreVersion() + "\n");
    }

    @Test
    @DisplayName("an unknown option is one line naming it, a usage hint, and exit code 2")
    void unknownOption() {
        CommandRun run = CommandRun.run(home, Map.of(), "--frobnicate");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr().lines()).as("%s", run).hasSize(2);
        assertThat(run.stderr()).startsWith("event-streamer: unknown option '--frobnicate'\n").contains("--help");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    @DisplayName("--check-config prints the effective settings of a valid configuration and exits 0")
    void checkValidConfiguration() {
        CommandRun run = CommandRun.run(home, Map.of("EVENT_STREAMER_PORT", "9191"), "--check-config");

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).contains(
                "event-streamer.server.port = \"9191\"  # environment variable",
                "event-streamer.max-clients = 1000  # ",
                "event-streamer.heartbeat-interval = \"30s\"",
                "event-streamer.sources.scheduler.enabled = true",
                "event-streamer.sources.dlq.enabled = true");
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout()).as("no logging, no server").doesNotContain("INFO", "listening");
    }

    @Test
    @DisplayName("--check-config rejects an invalid value with one line naming the key, and exits 2")
    void checkInvalidConfiguration() {
        CommandRun run = CommandRun.run(home, Map.of("JAVA_OPTS", "-Devent-streamer.max-clients=-5"), "--check-config");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr().lines()).as("%s", run).hasSize(1);
        assertThat(run.stderr()).startsWith("event-streamer: invalid configuration: ")
                .contains("event-streamer.max-clients was -5 but must be >= 1");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    @DisplayName("a start or --check-config with several invalid settings lists every one under a heading, no stack trace, exit code 2")
    void everyInvalidSettingIsListed() throws IOException {
        Path file = Files.writeString(temp.resolve("broken.conf"), String.join("\n",
                "event-streamer {",
                "  server.port = 70000",
                "  heartbeat-interval = fast",
                "  max-clients = -5",
                "  overflow-policy = newest",
                "  limits.max-events-per-publish = 0",
                "  sources.dlq.enabled = maybe",
                "}", ""), UTF_8);
        String expected = String.join("\n",
                "event-streamer: invalid configuration, 6 settings are invalid:",
                "  " + file + ":2: event-streamer.server.port was 70000 but must be between 0 and 65535",
                "  " + file + ":3: event-streamer.heartbeat-interval was fast but must be a duration such as 500ms, 30s or 2m",
                "  " + file + ":4: event-streamer.max-clients was -5 but must be >= 1",
                "  " + file + ":5: event-streamer.overflow-policy was newest but must be one of drop-oldest, coalesce, disconnect",
                "  " + file + ":6: event-streamer.limits.max-events-per-publish was 0 but must be between 1 and 1000000",
                "  " + file + ":7: event-streamer.sources.dlq.enabled was maybe but must be true or false", "");

        for (List<String> args : List.of(List.of("--config", file.toString()),
                List.of("--config", file.toString(), "--check-config"))) {
            CommandRun run = CommandRun.run(home, Map.of(), args.toArray(new String[0]));

            assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
            assertThat(run.stderr()).as("%s", run).isEqualTo(expected);
            assertThat(run.stdout() + run.stderr()).as("%s", run).doesNotContain("Exception")
                    .doesNotContainPattern(STACK_LINE).doesNotContain("  WebSocket  ");
        }
    }

    @Test
    @DisplayName("--check-config masks settings that look like secrets")
    void checkMasksSecrets() {
        CommandRun run = CommandRun.run(home, Map.of("JAVA_OPTS",
                "-Devent-streamer.sources.dlq.api-token=abc -Devent-streamer.sources.webhook.hmac-secret=s3cr3t"),
                "--check-config");

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).contains("event-streamer.sources.dlq.api-token = \"********\"",
                "event-streamer.sources.webhook.hmac-secret = \"********\"")
                .doesNotContain("abc").doesNotContain("s3cr3t");
    }

    @Test
    @DisplayName("--config FILE replaces conf/application.conf; a missing FILE is one line and exit code 2")
    void configFile() throws IOException {
        Path file = Files.writeString(temp.resolve("staging.conf"),
                "event-streamer {\n  max-clients = 42\n  sources.dlq.enabled = false\n}\n", UTF_8);

        CommandRun check = CommandRun.run(home, Map.of(), "--config", file.toString(), "--check-config");
        assertThat(check.exitCode()).as("%s", check).isZero();
        assertThat(check.stdout()).contains("event-streamer.max-clients = 42  # " + file + ":2",
                "event-streamer.sources.dlq.enabled = false  # " + file + ":3");

        Path missing = temp.resolve("no-such.conf");
        CommandRun run = CommandRun.run(home, Map.of(), "--config", missing.toString());
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("event-streamer: configuration file " + missing + " does not exist\n");
    }

    @Test
    @DisplayName("a server started with --config FILE uses it, and prints a banner with its version, URLs and sources")
    void serverWithConfigFileAndBanner() throws Exception {
        Path file = Files.writeString(temp.resolve("server.conf"), String.join("\n",
                "event-streamer.server { host = \"127.0.0.1\", port = 0 }",
                "event-streamer.sources.dlq.enabled = false", ""), UTF_8);

        server = ServerProcess.start(home.resolve("bin").resolve("event-streamer"), Map.of(), "--config", file.toString());
        ServerApi api = ServerApi.awaitStarted(server, DistributionIT.START_TIMEOUT);
        int port = server.awaitListening(DistributionIT.START_TIMEOUT);

        assertThat(api.source("dlq")).map(s -> s.path("state").asText()).contains("disabled");
        String base = "http://127.0.0.1:" + port + "/";
        await().atMost(DistributionIT.RECEIVE_TIMEOUT).until(() -> server.output().contains("  Health "));
        assertThat(server.output()).contains(
                "event-streamer " + coreVersion() + " started\n",
                "  WebSocket  ws://127.0.0.1:" + port + "/ws\n",
                "  Console    " + base + "\n",
                "  Status     " + base + "api/websocket/status\n",
                "  Metrics    " + base + "metrics\n",
                "  Health     " + base + "health/ready\n");
        for (JsonNode source : api.sources()) {
            assertThat(server.output()).containsPattern(Pattern.compile("^ {2}( {11}|Sources    )"
                    + Pattern.quote(source.path("category").asText()) + " +" + source.path("state").asText() + "$",
                    Pattern.MULTILINE));
        }
        assertThat(server.terminate(DistributionIT.STOP_TIMEOUT)).as("exit code; output:%n%s", server.output()).isZero();
    }

    @Test
    @DisplayName("a port already in use is one line on standard error, no stack trace, and exit code 1")
    void portInUse() throws IOException {
        try (ServerSocket occupied = new ServerSocket(0)) {
            String port = Integer.toString(occupied.getLocalPort());

            CommandRun run = CommandRun.run(home, Map.of("EVENT_STREAMER_PORT", port));

            assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
            assertThat(run.stderr().lines()).as("%s", run).hasSize(1);
            assertThat(run.stderr()).startsWith("event-streamer: port " + port + " on 0.0.0.0 is already in use");
            String everything = run.stdout() + run.stderr();
            assertThat(everything).as("%s", run).doesNotContain("Exception").doesNotContainPattern(STACK_LINE)
                    .as("no start-up banner; %s", run).doesNotContain("  WebSocket  ");
        }
    }

    /** The version in the name of lib/event-streamer-core-VERSION.jar. */
    private String coreVersion() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(home.resolve("lib"), "event-streamer-core-*.jar")) {
            for (Path jar : jars) {
                Matcher m = Pattern.compile("event-streamer-core-(.+)\\.jar").matcher(jar.getFileName().toString());
                if (m.matches()) {
                    return m.group(1);
                }
            }
        }
        throw new AssertionError("no event-streamer-core jar in " + home.resolve("lib"));
    }
}

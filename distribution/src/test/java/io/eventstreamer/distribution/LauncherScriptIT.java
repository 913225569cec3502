package io.eventstreamer.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The java command line that bin/event-streamer builds, observed through a fake {@code java} that
 * prints its pid and arguments instead of starting a JVM.
 */
class LauncherScriptIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String FAKE_JAVA = String.join("\n",
            "#!/bin/sh",
            "echo \"pid=$$\"",
            "echo \"MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX\"",
            "echo \"EVENT_STREAMER_PLUGINS_DIRECTORY=${EVENT_STREAMER_PLUGINS_DIRECTORY-(unset)}\"",
            "for arg in \"$@\"; do printf 'arg=%s\\n' \"$arg\"; done",
            "");

    @TempDir
    Path temp;

    private Path home;
    private Path fakeJavaHome;
    private final List<ServerProcess> processes = new ArrayList<>();

    @BeforeEach
    void install() throws IOException {
        // A blank in the path checks the script's quoting.
        home = Distribution.copyTo(Files.createDirectories(temp.resolve("opt with blank")).resolve("event-streamer"))
                .toRealPath();
        fakeJavaHome = temp.resolve("fake-jdk");
        Path java = Files.createDirectories(fakeJavaHome.resolve("bin")).resolve("java");
        Files.writeString(java, FAKE_JAVA, UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void stopProcesses() {
        for (ServerProcess process : processes) {
            process.close();
        }
    }

    @Test
    @DisplayName("defaults first, then JAVA_OPTS split into words, the lib/* class path, the main class and the script's arguments")
    void buildsTheJavaCommandLine() {
        ServerProcess run = run(launcher(), Map.of("JAVA_HOME", fakeJavaHome.toString(),
                "JAVA_OPTS", " -Xmx64m   -Dpattern=a*b "), "first arg", "second");

        assertThat(run.awaitExit(TIMEOUT)).isZero();
        assertThat(arguments(run)).containsExactly(
                "-XX:+UseSerialGC", "-Xmn48m", "-XX:SurvivorRatio=4",
                "-XX:+ExitOnOutOfMemoryError",
                "-Dlogback.configurationFile=" + home + "/conf/logback.xml",
                "-Dconfig.file=" + home + "/conf/application.conf",
                "-Xmx64m",
                "-Dpattern=a*b",
                "-cp", home + "/lib/*",
                "io.eventstreamer.core.Main",
                "first arg", "second");
    }

    @Test
    @DisplayName("a collector or young-generation size in JAVA_OPTS replaces the memory defaults")
    void gcOptionsFromJavaOptsWin() {
        for (String option : List.of("-XX:+UseG1GC", "-XX:+UseZGC", "-Xmn64m", "-XX:NewSize=8m",
                "-XX:MaxNewSize=64m", "-XX:SurvivorRatio=8", "-XX:NewRatio=2")) {
            ServerProcess run = run(launcher(), Map.of("JAVA_HOME", fakeJavaHome.toString(), "JAVA_OPTS", option));

            assertThat(run.awaitExit(TIMEOUT)).isZero();
            assertThat(arguments(run)).as("with JAVA_OPTS=%s", option)
                    .contains(option)
                    .doesNotContain("-XX:+UseSerialGC", "-Xmn48m", "-XX:SurvivorRatio=4");
        }
    }

    @Test
    @DisplayName("without JAVA_OPTS the collector and young-generation defaults come first, and no heap size is set")
    void memoryDefaults() {
        ServerProcess run = run(launcher(), Map.of("JAVA_HOME", fakeJavaHome.toString()));

        assertThat(run.awaitExit(TIMEOUT)).isZero();
        assertThat(arguments(run)).startsWith("-XX:+UseSerialGC", "-Xmn48m", "-XX:SurvivorRatio=4",
                "-XX:+ExitOnOutOfMemoryError");
        assertThat(arguments(run)).noneMatch(a -> a.startsWith("-Xms") || a.startsWith("-Xmx") || a.contains("PreTouch"));
    }

    @Test
    @DisplayName("the JVM gets two malloc arenas unless MALLOC_ARENA_MAX is set")
    void mallocArenas() {
        ServerProcess defaults = run(launcher(), Map.of("JAVA_HOME", fakeJavaHome.toString(), "MALLOC_ARENA_MAX", ""));
        assertThat(defaults.awaitExit(TIMEOUT)).isZero();
        assertThat(defaults.output()).contains("MALLOC_ARENA_MAX=2\n");

        ServerProcess own = run(launcher(), Map.of("JAVA_HOME", fakeJavaHome.toString(), "MALLOC_ARENA_MAX", "8"));
        assertThat(own.awaitExit(TIMEOUT)).isZero();
        assertThat(own.output()).contains("MALLOC_ARENA_MAX=8\n");
    }

    @Test
    @DisplayName("the JVM gets plugins/ as the plugin directory unless the environment names one (or none, empty)")
    void pluginsDirectory() throws IOException {
        ServerProcess defaults = run(launcher(), Map.of("JAVA_HOME", fakeJavaHome.toString()));
        assertThat(defaults.awaitExit(TIMEOUT)).isZero();
        assertThat(defaults.output()).contains("EVENT_STREAMER_PLUGINS_DIRECTORY=" + home + "/plugins\n");

        ServerProcess own = run(launcher(), Map.of("JAVA_HOME", fakeJavaHome.toString(),
                "EVENT_STREAMER_PLUGINS_DIRECTORY", "/srv/plugins"));
        assertThat(own.awaitExit(TIMEOUT)).isZero();
        assertThat(own.output()).contains("EVENT_STREAMER_PLUGINS_DIRECTORY=/srv/plugins\n");

        ServerProcess none = run(launcher(), Map.of("JAVA_HOME", fakeJavaHome.toString(),
                "EVENT_STREAMER_PLUGINS_DIRECTORY", ""));
        assertThat(none.awaitExit(TIMEOUT)).isZero();
        assertThat(none.output()).contains("EVENT_STREAMER_PLUGINS_DIRECTORY=\n");

        deleteDirectory(home.resolve("plugins"));
        ServerProcess removed = run(launcher(), Map.of("JAVA_HOME", fakeJavaHome.toString()));
        assertThat(removed.awaitExit(TIMEOUT)).isZero();
        assertThat(removed.output()).as("plugins/ removed").contains("EVENT_STREAMER_PLUGINS_DIRECTORY=(unset)\n");
    }

    @Test
    @DisplayName("java replaces the script's process (exec), so SIGTERM reaches the JVM")
    void execsJava() {
        ServerProcess run = run(launcher(), Map.of("JAVA_HOME", fakeJavaHome.toString()));

        assertThat(run.awaitExit(TIMEOUT)).isZero();
        assertThat(run.output()).contains("pid=" + run.pid() + "\n");
    }

    @Test
    @DisplayName("a configuration named in JAVA_OPTS replaces conf/application.conf")
    void configFromJavaOptsWins() {
        for (String option : List.of("-Dconfig.file=/etc/es.conf", "-Dconfig.resource=other.conf",
                "-Dconfig.url=file:///etc/es.conf")) {
            ServerProcess run = run(launcher(), Map.of("JAVA_HOME", fakeJavaHome.toString(), "JAVA_OPTS", option));

            assertThat(run.awaitExit(TIMEOUT)).isZero();
            assertThat(arguments(run)).as("with JAVA_OPTS=%s", option)
                    .contains(option)
                    .noneMatch(arg -> arg.startsWith("-Dconfig.file=" + home));
        }
    }

    @Test
    @DisplayName("started through a symlink in another directory, it still finds its installation")
    void followsSymlinks() throws IOException {
        Path links = Files.createDirectories(temp.resolve("usr/local/bin"));
        Path relativeLink = links.resolve("event-streamer-relative");
        Files.createSymbolicLink(relativeLink, links.relativize(home.resolve("bin/event-streamer")));
        Path chainedLink = Files.createSymbolicLink(links.resolve("event-streamer"), relativeLink);

        ServerProcess run = run(chainedLink, Map.of("JAVA_HOME", fakeJavaHome.toString()));

        assertThat(run.awaitExit(TIMEOUT)).isZero();
        assertThat(arguments(run)).contains("-cp", home + "/lib/*");
    }

    @Test
    @DisplayName("a JAVA_HOME without bin/java stops the script with a message naming it")
    void badJavaHome() {
        ServerProcess run = run(launcher(), Map.of("JAVA_HOME", temp.resolve("no-such-jdk").toString()));

        assertThat(run.awaitExit(TIMEOUT)).isEqualTo(1);
        assertThat(run.output()).contains("JAVA_HOME is '" + temp.resolve("no-such-jdk") + "'")
                .doesNotContain("arg=");
    }

    @Test
    @DisplayName("without JAVA_HOME, java comes from PATH; without either, a clear message")
    void javaFromPath() throws IOException {
        // A PATH with the few tools the script uses and, in one case, the fake java.
        Path tools = Files.createDirectories(temp.resolve("tools"));
        for (String tool : List.of("dirname", "ls")) {
            Files.copy(which(tool), tools.resolve(tool), StandardCopyOption.COPY_ATTRIBUTES);
        }
        ServerProcess noJava = run(launcher(), Map.of("JAVA_HOME", "", "PATH", tools.toString()));
        assertThat(noJava.awaitExit(TIMEOUT)).isEqualTo(1);
        assertThat(noJava.output()).contains("no Java found: set JAVA_HOME or put java (17 or later) on PATH");

        Files.copy(fakeJavaHome.resolve("bin/java"), tools.resolve("java"), StandardCopyOption.COPY_ATTRIBUTES);
        ServerProcess fromPath = run(launcher(), Map.of("JAVA_HOME", "", "PATH", tools.toString()));
        assertThat(fromPath.awaitExit(TIMEOUT)).isZero();
        assertThat(arguments(fromPath)).contains("io.eventstreamer.core.Main");
    }

    private ServerProcess run(Path script, Map<String, String> environment, String... args) {
        ServerProcess process = ServerProcess.start(script, environment, args);
        processes.add(process);
        return process;
    }

    private static void deleteDirectory(Path directory) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    private Path launcher() {
        return home.resolve("bin").resolve("event-streamer");
    }

    private static List<String> arguments(ServerProcess run) {
        List<String> arguments = new ArrayList<>();
        for (String line : run.output().split("\n")) {
            if (line.startsWith("arg=")) {
                arguments.add(line.substring("arg=".length()));
            }
        }
        assertThat(arguments).as("arguments; output:%n%s", run.output()).isNotEmpty();
        return arguments;
    }

    private static Path which(String tool) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path candidate = Paths.get(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(tool + " not found on PATH");
    }
}

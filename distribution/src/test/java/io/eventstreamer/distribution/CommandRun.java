package io.eventstreamer.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code bin/event-streamer} that ends by itself ({@code --help}, {@code --check-config},
 * a failed start), with its standard output and standard error kept apart, as a user's terminal or
 * a script ({@code 2>/dev/null}) sees them.
 */
final class CommandRun {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final int exitCode;
    private final String stdout;
    private final String stderr;

    private CommandRun(int exitCode, String stdout, String stderr) {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Runs {@code home/bin/event-streamer args...} to its end, with the test's Java as JAVA_HOME,
     * the given environment additions and none of the server's environment overrides that the
     * machine running the tests might have set.
     */
    static CommandRun run(Path home, Map<String, String> environment, String... args) {
        Path work = home.resolveSibling("command-runs");
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(home.resolve("bin").resolve("event-streamer").toString());
        builder.command().addAll(List.of(args));
        Map<String, String> env = builder.environment();
        env.remove("JAVA_OPTS");
        env.remove("EVENT_STREAMER_PORT");
        env.remove("DEBUG_WEBSOCKET");
        env.remove("EVENT_STREAMER_PLUGINS_DIRECTORY");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putAll(environment);
        Process process = null;
        try {
            Files.createDirectories(work);
            Path out = Files.createTempFile(work, "stdout", ".txt");
            Path err = Files.createTempFile(work, "stderr", ".txt");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            process = builder.start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.format("%s still running after %s; output:%n%s%n%s",
                        builder.command(), TIMEOUT, Files.readString(out, UTF_8), Files.readString(err, UTF_8)));
            }
            return new CommandRun(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("running " + builder.command(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    int exitCode() {
        return exitCode;
    }

    String stdout() {
        return stdout;
    }

    String stderr() {
        return stderr;
    }

    /** Both streams, for failure messages. */
    @Override
    public String toString() {
        return String.format("exit code %d%n--- stdout:%n%s--- stderr:%n%s", exitCode, stdout, stderr);
    }
}

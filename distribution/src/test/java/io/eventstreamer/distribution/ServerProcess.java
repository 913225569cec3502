package io.eventstreamer.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/event-streamer} of a distribution, running as a child process, the way a user starts it.
 *
 * <p>Its standard output and error are read on a thread as they come and kept for failure messages.
 * {@link #close()} always leaves no process behind: SIGTERM first, SIGKILL if that is not enough.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread pump;

    private ServerProcess(Process process) {
        this.process = process;
        this.pump = new Thread(this::pumpOutput, "event-streamer-output-" + process.pid());
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /**
     * Runs {@code script args...} (a distribution's bin/event-streamer, or a link to it) with the
     * test's own Java as JAVA_HOME, the given environment additions (e.g. JAVA_OPTS) and none of
     * the server's environment overrides that the machine running the tests might have set.
     */
    static ServerProcess start(Path script, Map<String, String> environment, String... args) {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(script.toString());
        builder.command().addAll(List.of(args));
        builder.redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("JAVA_OPTS");
        env.remove("EVENT_STREAMER_PORT");
        env.remove("DEBUG_WEBSOCKET");
        env.remove("EVENT_STREAMER_PLUGINS_DIRECTORY");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putAll(environment);
        try {
            return new ServerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + builder.command(), e);
        }
    }

    /** Starts a server on a free loopback port; {@link #awaitListening} tells which. */
    static ServerProcess startOnFreePort(Path home) {
        return start(home.resolve("bin").resolve("event-streamer"), Map.of("JAVA_OPTS",
                "-Devent-streamer.server.port=0 -Devent-streamer.server.host=127.0.0.1"));
    }

    /** Waits for the "listening on port N" line and returns N. */
    int awaitListening(Duration timeout) {
        try {
            return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(String.format(
                    "no 'listening on port <N>' line within %s; output so far:%n%s", timeout, output()));
        } catch (ExecutionException e) {
            throw new AssertionError(String.format("%s; output:%n%s", e.getCause().getMessage(), output()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends SIGTERM (what {@link Process#destroy()} does on Linux) and returns the exit code. */
    int terminate(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.format(
                        "process %d still running after %s; output:%n%s", process.pid(), timeout, output()));
            }
            // The pump reaches the end of the output once the process is gone; its last lines
            // belong in the failure messages.
            pump.join(TimeUnit.SECONDS.toMillis(5));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Everything the process printed so far, standard error included. */
    String output() {
        return output.toString();
    }

    /** SIGTERM, then SIGKILL if the process is still there after a while. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append(System.lineSeparator());
                Matcher matcher = LISTENING.matcher(line);
                if (!port.isDone() && matcher.find()) {
                    port.complete(Integer.parseInt(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            output.append("[reading the output failed: ").append(e).append(']').append(System.lineSeparator());
        }
        port.completeExceptionally(new IllegalStateException(
                "the output ended (process exited?) before a 'listening on port <N>' line"));
    }
}

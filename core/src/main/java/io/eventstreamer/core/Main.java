package io.eventstreamer.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.eventstreamer.core.internal.cli.ApplicationConfig;
import io.eventstreamer.core.internal.cli.CommandLine;
import io.eventstreamer.core.internal.cli.CommandLineException;
import io.eventstreamer.core.internal.cli.ConfigCheck;
import io.eventstreamer.core.internal.cli.ConfigFileException;
import io.eventstreamer.core.internal.cli.SchemaPrint;
import io.eventstreamer.core.internal.cli.StartupBanner;
import io.eventstreamer.core.internal.cli.Version;
import io.eventstreamer.core.internal.config.SecuritySettings;
import io.eventstreamer.core.internal.config.Settings;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The standalone server: {@code bin/event-streamer} runs this class.
 *
 * <p>Configuration comes from {@code ConfigFactory.load()}: system properties, the file named with
 * {@code --config} or {@code -Dconfig.file}, environment overrides and the {@code reference.conf}
 * defaults. SIGTERM or SIGINT stop the server gracefully with exit code 0. A start that fails
 * exits 1 (e.g. the port is in use); an invalid configuration or command line exits 2. Either way
 * the reason is one line on standard error, or, for a configuration with several invalid settings,
 * a heading and one line for each of them. {@code --help} lists the options.
 */
public final class Main {
    private static final int CANNOT_START = 1;
    private static final int INVALID = 2;

    private Main() {
    }

    public static void main(String[] args) {
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args);
        } catch (CommandLineException e) {
            System.err.println("event-streamer: " + e.getMessage());
            System.err.println(CommandLine.USAGE_HINT);
            System.exit(INVALID);
            return;
        }
        switch (commandLine.action()) {
            case HELP:
                System.out.print(CommandLine.help());
                System.exit(0);
                return;
            case VERSION:
                System.out.println("event-streamer " + Version.of(Main.class));
                System.exit(0);
                return;
            default:
                break;
        }
        // The schema alone on standard output: logging, which conf/logback.xml sends there, goes to
        // standard error meanwhile (Logback's console appender writes to whatever System.out is).
        PrintStream stdout = System.out;
        if (commandLine.action() == CommandLine.Action.PRINT_SCHEMA) {
            System.setOut(System.err);
        }
        Config config;
        try {
            config = ApplicationConfig.load(commandLine.configFile());
        } catch (ConfigFileException e) {
            exit(INVALID, e.getMessage());
            return;
        } catch (ConfigException e) {
            exit(INVALID, "invalid configuration: " + e.getMessage());
            return;
        }
        if (commandLine.action() == CommandLine.Action.CHECK_CONFIG) {
            print(() -> ConfigCheck.run(config), System.out, "the effective settings");
        } else if (commandLine.action() == CommandLine.Action.PRINT_SCHEMA) {
            print(() -> SchemaPrint.run(config, commandLine.schemaFormat()), stdout, "the schema");
        } else {
            serve(config);
        }
    }

    /**
     * {@code --check-config} and {@code --print-schema}: prints what {@code text} makes and exits 0,
     * or exits with the configuration's errors (2), or 1 when standard output can't be written.
     */
    private static void print(Supplier<String> text, PrintStream out, String what) {
        String printed;
        try {
            printed = text.get();
        } catch (InvalidSettingsException e) {
            exitInvalid(e);
            return;
        } catch (ConfigException e) {
            exit(INVALID, "invalid configuration: " + e.getMessage());
            return;
        }
        out.print(printed);
        out.flush();
        if (out.checkError()) {
            exit(CANNOT_START, what + " could not be written to standard output");
            return;
        }
        System.exit(0);
    }

    private static void serve(Config config) {
        EventStreamer host;
        try {
            host = EventStreamer.start(config);
        } catch (InvalidSettingsException e) {
            exitInvalid(e);
            return;
        } catch (ConfigException e) {
            exit(INVALID, "invalid configuration: " + e.getMessage());
            return;
        } catch (HostStartException e) {
            exit(CANNOT_START, e.getMessage());
            return;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        // Read again only for the banner: the host has already read and checked them.
        SecuritySettings security = Settings.from(config).security();
        System.out.print(StartupBanner.render(Version.of(Main.class), host.webSocketUri(), host.httpUri(),
                host.sourceStates(), StartupBanner.openAccessWarning(security)));
        System.out.flush();
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LoggerFactory.getLogger(Main.class).info("Stop requested");
        host.stop();
        System.exit(0);
    }

    /** One line on standard error, even when a message from a library spans several. */
    private static void exit(int status, String message) {
        System.err.println("event-streamer: " + oneLine(message));
        System.exit(status);
    }

    /** One line for one invalid setting; for several, a heading and then one indented line each. */
    private static void exitInvalid(InvalidSettingsException e) {
        List<String> problems = e.problems();
        if (problems.size() == 1) {
            exit(INVALID, "invalid configuration: " + problems.get(0));
            return;
        }
        StringBuilder out = new StringBuilder("event-streamer: invalid configuration, ")
                .append(problems.size()).append(" settings are invalid:");
        for (String problem : problems) {
            out.append(System.lineSeparator()).append("  ").append(oneLine(problem));
        }
        System.err.println(out);
        System.exit(INVALID);
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ");
    }
}

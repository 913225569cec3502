package io.eventstreamer.core.internal.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The arguments of {@code bin/event-streamer}: what to do, and which configuration file to read.
 *
 * <p>{@code --help} wins over {@code --version}, which wins over {@code --check-config}, so that
 * adding {@code --help} to any command line shows the help.
 */
public final class CommandLine {
    /** What the command line asks for. */
    public enum Action {
        /** Start the server and run until SIGTERM or SIGINT. */
        SERVE,
        /** Print the help text. */
        HELP,
        /** Print the version. */
        VERSION,
        /** Validate the configuration and print the effective settings. */
        CHECK_CONFIG
    }

    /** The second line after a command-line error. */
    public static final String USAGE_HINT =
            "Usage: event-streamer [--config FILE] [--check-config] [--version] [--help]";

    private static final String CONFIG = "--config";

    private final Action action;
    private final Path configFile;

    private CommandLine(Action action, Path configFile) {
        this.action = action;
        this.configFile = configFile;
    }

    /**
     * Parses the arguments.
     *
     * @throws CommandLineException naming the unknown option, the unexpected argument or the
     *         missing FILE
     */
    public static CommandLine parse(String... args) {
        boolean help = false;
        boolean version = false;
        boolean checkConfig = false;
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String file = null;
            if (arg.equals(CONFIG)) {
                if (i + 1 >= args.length || args[i + 1].isEmpty()) {
                    throw new CommandLineException("option --config needs a FILE argument");
                }
                file = args[++i];
            } else if (arg.startsWith(CONFIG + "=")) {
                file = arg.substring(CONFIG.length() + 1);
                if (file.isEmpty()) {
                    throw new CommandLineException("option --config needs a FILE argument");
                }
            }
            if (file != null) {
                if (configFile != null) {
                    throw new CommandLineException("option --config given more than once");
                }
                configFile = Path.of(file);
                continue;
            }
            switch (arg) {
                case "-h":
                case "--help":
                    help = true;
                    break;
                case "--version":
                    version = true;
                    break;
                case "--check-config":
                    checkConfig = true;
                    break;
                default:
                    if (arg.startsWith("-")) {
                        throw new CommandLineException(String.format("unknown option '%s'", arg));
                    }
                    throw new CommandLineException(String.format("unexpected argument '%s'", arg));
            }
        }
        return new CommandLine(action(help, version, checkConfig), configFile);
    }

    private static Action action(boolean help, boolean version, boolean checkConfig) {
        if (help) {
            return Action.HELP;
        }
        if (version) {
            return Action.VERSION;
        }
        if (checkConfig) {
            return Action.CHECK_CONFIG;
        }
        return Action.SERVE;
    }

    public Action action() {
        return action;
    }

    /** The file named with {@code --config}, as given (relative to the working directory). */
    public Optional<Path> configFile() {
        return Optional.ofNullable(configFile);
    }

    /** The text of {@code --help}, ending with a line break. */
    public static String help() {
        return String.join("\n",
                "Usage: event-streamer [OPTIONS]",
                "",
                "Runs the event-streamer server in the foreground until SIGTERM or Ctrl-C: WebSocket",
                "clients connect to ws://HOST:PORT/ws, services publish with POST /api/events.",
                "",
                "Options:",
                "  --config FILE   Read the configuration from FILE (HOCON) instead of",
                "                  conf/application.conf. Settings it leaves out keep their defaults.",
                "  --check-config  Validate the configuration as a start would, print the effective",
                "                  event-streamer settings with where each was set (secrets masked),",
                "                  and exit: 0 when valid, 2 when not.",
                "  --version       Print the version and exit.",
                "  -h, --help      Print this help and exit.",
                "",
                "Environment:",
                "  EVENT_STREAMER_PORT  TCP port to listen on (event-streamer.server.port, default 8080).",
                "  DEBUG_WEBSOCKET      true logs every connection, subscription and published event",
                "                       at debug level (event-streamer.debug).",
                "  JAVA_OPTS            JVM options, e.g. -Xmx512m. -Dkey=value overrides a setting and",
                "                       wins over the file: JAVA_OPTS=\"-Devent-streamer.server.port=9090\"",
                "  JAVA_HOME            The Java (17 or later) to run; java from PATH when unset.",
                "",
                "Exit status:",
                "  0  stopped by SIGTERM or Ctrl-C, or an option above did its work",
                "  1  the server could not start, e.g. the port is already in use",
                "  2  invalid configuration or command line",
                "",
                "Settings: conf/application.conf lists every key with its default; plugins: drop a",
                "source jar into lib/ and restart. See README.md and docs/ for more.",
                "");
    }
}

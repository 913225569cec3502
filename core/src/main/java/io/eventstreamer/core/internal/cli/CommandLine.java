package io.eventstreamer.core.internal.cli;

import io.eventstreamer.core.internal.schema.SchemaFormat;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The arguments of {@code bin/event-streamer}: what to do, and which configuration file to read.
 *
 * <p>{@code --help} wins over {@code --version}, which wins over {@code --check-config} and
 * {@code --print-schema}, so that adding {@code --help} to any command line shows the help. The
 * last two can't be combined.
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
        CHECK_CONFIG,
        /** Load the sources and print the schema of their events. */
        PRINT_SCHEMA
    }

    /** The second line after a command-line error. */
    public static final String USAGE_HINT =
            "Usage: event-streamer [--config FILE] [--check-config | --print-schema [--format NAME]] [--version] [--help]";

    private static final String CONFIG = "--config";
    private static final String FORMAT = "--format";

    private final Action action;
    private final Path configFile;
    private final SchemaFormat schemaFormat;

    private CommandLine(Action action, Path configFile, SchemaFormat schemaFormat) {
        this.action = action;
        this.configFile = configFile;
        this.schemaFormat = schemaFormat;
    }

    /**
     * Parses the arguments.
     *
     * @throws CommandLineException naming the unknown option, the unexpected argument, the missing
     *         FILE or the unknown format
     */
    public static CommandLine parse(String... args) {
        boolean help = false;
        boolean version = false;
        boolean checkConfig = false;
        boolean printSchema = false;
        Path configFile = null;
        SchemaFormat format = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(FORMAT) || arg.startsWith(FORMAT + "=")) {
                String name;
                if (arg.equals(FORMAT)) {
                    name = i + 1 < args.length ? args[++i] : "";
                } else {
                    name = arg.substring(FORMAT.length() + 1);
                }
                if (format != null) {
                    throw new CommandLineException("option --format given more than once");
                }
                format = format(name);
                continue;
            }
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
                case "--print-schema":
                    printSchema = true;
                    break;
                default:
                    if (arg.startsWith("-")) {
                        throw new CommandLineException(String.format("unknown option '%s'", arg));
                    }
                    throw new CommandLineException(String.format("unexpected argument '%s'", arg));
            }
        }
        Action action = action(help, version, checkConfig, printSchema);
        if (action == Action.HELP || action == Action.VERSION) {
            return new CommandLine(action, configFile, SchemaFormat.JSON_SCHEMA);
        }
        if (format != null && action != Action.PRINT_SCHEMA) {
            throw new CommandLineException("option --format goes with --print-schema");
        }
        return new CommandLine(action, configFile, format == null ? SchemaFormat.JSON_SCHEMA : format);
    }

    private static SchemaFormat format(String name) {
        if (name.isEmpty()) {
            throw new CommandLineException("option --format needs a value: " + SchemaFormat.choices());
        }
        return SchemaFormat.named(name).orElseThrow(() -> new CommandLineException(String.format(
                "unknown format '%s' for --format; use %s", name, SchemaFormat.choices())));
    }

    private static Action action(boolean help, boolean version, boolean checkConfig, boolean printSchema) {
        if (help) {
            return Action.HELP;
        }
        if (version) {
            return Action.VERSION;
        }
        if (checkConfig && printSchema) {
            throw new CommandLineException("options --check-config and --print-schema can't be used together");
        }
        if (checkConfig) {
            return Action.CHECK_CONFIG;
        }
        if (printSchema) {
            return Action.PRINT_SCHEMA;
        }
        return Action.SERVE;
    }

    public Action action() {
        return action;
    }

    /** The format of {@code --print-schema}: {@code --format}'s, JSON Schema by default. */
    public SchemaFormat schemaFormat() {
        return schemaFormat;
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
                "  --print-schema  Load the sources as a start would, print the JSON Schemas (draft",
                "                  2020-12) of their events to standard output and exit, without",
                "                  opening a port. GET /api/schema serves the same.",
                "  --format NAME   With --print-schema: json-schema (the default), or typescript for",
                "                  a TypeScript declaration file of the event types.",
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

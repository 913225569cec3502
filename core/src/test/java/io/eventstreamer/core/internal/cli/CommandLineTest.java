package io.eventstreamer.core.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstreamer.core.internal.cli.CommandLine.Action;
import io.eventstreamer.core.internal.schema.SchemaFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    @DisplayName("without arguments the server runs with the default configuration")
    void noArguments() {
        CommandLine commandLine = CommandLine.parse();
        assertThat(commandLine.action()).isEqualTo(Action.SERVE);
        assertThat(commandLine.configFile()).isEmpty();
    }

    @Test
    void options() {
        assertThat(CommandLine.parse("--help").action()).isEqualTo(Action.HELP);
        assertThat(CommandLine.parse("-h").action()).isEqualTo(Action.HELP);
        assertThat(CommandLine.parse("--version").action()).isEqualTo(Action.VERSION);
        assertThat(CommandLine.parse("--check-config").action()).isEqualTo(Action.CHECK_CONFIG);
    }

    @Test
    @DisplayName("--config takes FILE as the next argument or after '='")
    void configFile() {
        assertThat(CommandLine.parse("--config", "etc/es.conf").configFile()).contains(Path.of("etc/es.conf"));
        CommandLine check = CommandLine.parse("--config=/etc/es.conf", "--check-config");
        assertThat(check.configFile()).contains(Path.of("/etc/es.conf"));
        assertThat(check.action()).isEqualTo(Action.CHECK_CONFIG);
    }

    @Test
    @DisplayName("--help wins over --version, which wins over --check-config")
    void precedence() {
        assertThat(CommandLine.parse("--check-config", "--version", "--help").action()).isEqualTo(Action.HELP);
        assertThat(CommandLine.parse("--check-config", "--version").action()).isEqualTo(Action.VERSION);
    }

    @Test
    void mistakes() {
        assertThatThrownBy(() -> CommandLine.parse("--frobnicate"))
                .isInstanceOf(CommandLineException.class).hasMessage("unknown option '--frobnicate'");
        assertThatThrownBy(() -> CommandLine.parse("start"))
                .isInstanceOf(CommandLineException.class).hasMessage("unexpected argument 'start'");
        assertThatThrownBy(() -> CommandLine.parse("--config"))
                .isInstanceOf(CommandLineException.class).hasMessage("option --config needs a FILE argument");
        assertThatThrownBy(() -> CommandLine.parse("--config="))
                .isInstanceOf(CommandLineException.class).hasMessage("option --config needs a FILE argument");
        assertThatThrownBy(() -> CommandLine.parse("--config", "a.conf", "--config", "b.conf"))
                .isInstanceOf(CommandLineException.class).hasMessage("option --config given more than once");
    }

    @Test
    @DisplayName("--print-schema prints JSON Schemas, or with --format NAME (or --format=NAME) TypeScript")
    void printSchema() {
        CommandLine plain = CommandLine.parse("--print-schema");
        assertThat(plain.action()).isEqualTo(Action.PRINT_SCHEMA);
        assertThat(plain.schemaFormat()).isEqualTo(SchemaFormat.JSON_SCHEMA);
        assertThat(CommandLine.parse("--print-schema", "--format", "typescript").schemaFormat())
                .isEqualTo(SchemaFormat.TYPESCRIPT);
        CommandLine both = CommandLine.parse("--format=json-schema", "--config", "a.conf", "--print-schema");
        assertThat(both.schemaFormat()).isEqualTo(SchemaFormat.JSON_SCHEMA);
        assertThat(both.configFile()).contains(Path.of("a.conf"));
        assertThat(CommandLine.parse("--print-schema", "--help").action()).isEqualTo(Action.HELP);
    }

    @Test
    void printSchemaMistakes() {
        assertThatThrownBy(() -> CommandLine.parse("--print-schema", "--format", "yaml"))
                .isInstanceOf(CommandLineException.class)
                .hasMessage("unknown format 'yaml' for --format; use json-schema or typescript");
        assertThatThrownBy(() -> CommandLine.parse("--print-schema", "--format"))
                .isInstanceOf(CommandLineException.class)
                .hasMessage("option --format needs a value: json-schema or typescript");
        assertThatThrownBy(() -> CommandLine.parse("--print-schema", "--format="))
                .isInstanceOf(CommandLineException.class)
                .hasMessage("option --format needs a value: json-schema or typescript");
        assertThatThrownBy(() -> CommandLine.parse("--print-schema", "--format", "typescript", "--format=typescript"))
                .isInstanceOf(CommandLineException.class).hasMessage("option --format given more than once");
        assertThatThrownBy(() -> CommandLine.parse("--format", "typescript"))
                .isInstanceOf(CommandLineException.class).hasMessage("option --format goes with --print-schema");
        assertThatThrownBy(() -> CommandLine.parse("--print-schema", "--check-config"))
                .isInstanceOf(CommandLineException.class)
                .hasMessage("options --check-config and --print-schema can't be used together");
    }

    @Test
    @DisplayName("the help names every option and environment variable")
    void help() {
        assertThat(CommandLine.help()).contains("--config FILE", "--check-config", "--print-schema", "--format NAME",
                "--version", "--help",
                "EVENT_STREAMER_PORT", "DEBUG_WEBSOCKET", "JAVA_OPTS").endsWith("\n");
    }
}

package io.eventstreamer.core.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstreamer.core.internal.cli.CommandLine.Action;
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
    @DisplayName("the help names every option and environment variable")
    void help() {
        assertThat(CommandLine.help()).contains("--config FILE", "--check-config", "--version", "--help",
                "EVENT_STREAMER_PORT", "DEBUG_WEBSOCKET", "JAVA_OPTS").endsWith("\n");
    }
}

package dev.walrus.broker.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @Test
    void shouldReadKafkaServerStartStyleArguments() {
        CommandLine line = CommandLine.parse(new String[] {"config/server.properties", "--override", "num.partitions=3",
                "--override", "log.dirs=/tmp/x"});

        assertThat(line.configFile()).contains(Path.of("config/server.properties"));
        assertThat(line.overrides()).containsExactly(Map.entry("num.partitions", "3"), Map.entry("log.dirs", "/tmp/x"));
    }

    @Test
    void shouldReadTheShorthandFlagsInBothForms() {
        CommandLine line = CommandLine.parse(new String[] {"--config=server.properties", "--port", "19092",
                "--host=0.0.0.0", "--data-dir", "data"});

        assertThat(line.configFile()).contains(Path.of("server.properties"));
        assertThat(line.port()).contains(19092);
        assertThat(line.host()).contains("0.0.0.0");
        assertThat(line.dataDir()).contains(Path.of("data"));
    }

    @Test
    void shouldRefuseAnUnknownOption() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--prot", "9092"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown option --prot");
    }

    @Test
    void shouldRefuseAFlagWithoutItsValue() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--port"}))
                .hasMessage("option --port needs a value");
    }

    @Test
    void shouldRefuseABadPort() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--port", "99999"}))
                .hasMessage("--port must be a number from 0 to 65535, got '99999'");
    }

    @Test
    void shouldRefuseTwoConfigFiles() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"a.properties", "b.properties"}))
                .hasMessage("only one config file may be given (got a.properties and b.properties)");
    }
}

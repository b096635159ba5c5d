package dev.walrus.broker.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigOverridesTest {

    @TempDir
    Path dir;

    @Test
    void shouldLayerOverridesOverTheFile() throws IOException {
        Path file = write("""
                # a Kafka-style file
                listeners=PLAINTEXT://localhost:9092
                num.partitions = 3
                log.dirs=/tmp/from-file
                """);

        Map<String, String> merged = ConfigOverrides.merge(Optional.of(file), Map.of("num.partitions", "5"),
                Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(merged).containsEntry("num.partitions", "5")
                .containsEntry("log.dirs", "/tmp/from-file")
                .containsEntry("listeners", "PLAINTEXT://localhost:9092");
    }

    @Test
    void shouldLetTheFriendlyFlagsWinOverOverrides() throws IOException {
        Path file = write("listeners=PLAINTEXT://localhost:9092\n");

        Map<String, String> merged = ConfigOverrides.merge(Optional.of(file), Map.of("log.dirs", "/tmp/override"),
                Optional.of(Path.of("/tmp/flag")), Optional.empty(), Optional.of(19093));

        assertThat(merged).containsEntry("log.dirs", "/tmp/flag")
                .containsEntry("listeners", "PLAINTEXT://localhost:19093");
    }

    @Test
    void shouldAdjustOnlyThePlaintextListenerForPortAndHost() {
        Map<String, String> merged = ConfigOverrides.merge(Optional.empty(),
                Map.of("listeners", "PLAINTEXT://:9092,CONTROLLER://:9093"), Optional.empty(), Optional.of("127.0.0.1"),
                Optional.of(0));

        assertThat(merged).containsEntry("listeners", "PLAINTEXT://127.0.0.1:0");
    }

    @Test
    void shouldAdjustTheFirstListenerAndKeepTheOthers() {
        Map<String, String> merged = ConfigOverrides.merge(Optional.empty(),
                Map.of("listeners", "PLAINTEXT://:9092,SASL_PLAINTEXT://:9094"), Optional.empty(), Optional.empty(),
                Optional.of(0));

        assertThat(merged).containsEntry("listeners", "PLAINTEXT://:0,SASL_PLAINTEXT://:9094");
    }

    @Test
    void shouldSayWhichFileIsMissing() {
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> ConfigOverrides.merge(Optional.of(missing), Map.of(), Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Config file " + missing + " does not exist");
    }

    @Test
    void shouldRefuseAnOverrideWithoutEquals() {
        assertThatThrownBy(() -> ConfigOverrides.parseOverride("num.partitions"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid override 'num.partitions': expected key=value");
    }

    @Test
    void shouldKeepEqualsSignsInAnOverrideValue() {
        assertThat(ConfigOverrides.parseOverride("sasl.jaas.config=a=b")).isEqualTo(Map.entry("sasl.jaas.config", "a=b"));
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, content);
        return file;
    }
}

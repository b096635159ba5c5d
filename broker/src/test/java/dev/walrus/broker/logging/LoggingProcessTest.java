package dev.walrus.broker.logging;

import dev.walrus.broker.testing.BrokerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker process's log: its line format with no logging library's notices, and the launch-level keys. */
class LoggingProcessTest {

    private static final String LINE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) "
            + "\\[[^\\]]+] \\[(TRACE|DEBUG|INFO|WARN|ERROR)] [\\w$]+ - .*";

    @TempDir
    Path dir;

    @Test
    void everyLineShouldBeInTheBrokersFormatAtInfoByDefault() throws Exception {
        List<String> output = run();

        assertThat(output).filteredOn(line -> !BrokerProcess.READY.matcher(line).find()).isNotEmpty()
                .allMatch(line -> line.matches(LINE));
        assertThat(output).anyMatch(line -> line.contains(" [main] [INFO] Broker - Listening on "));
    }

    @Test
    void theRootLevelShouldBeSetByWalrusLogLevelOrTheFormerSlf4jSimpleKey() throws Exception {
        assertThat(run("-Dwalrus.log.level=warn")).noneMatch(line -> line.contains("[INFO]"));
        assertThat(run("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")).noneMatch(line -> line.contains("[INFO]"));
    }

    @Test
    void oneLoggersLevelShouldBeSetByItsOwnKey() throws Exception {
        List<String> output = run("-Dwalrus.log.level.dev.walrus.broker=warn");

        assertThat(output).noneMatch(line -> line.contains("[INFO] Broker - "))
                .anyMatch(line -> line.contains("[INFO] Walrus - opened Walrus"));
    }

    /** A start and a stop of the broker process with {@code jvmOptions}; its standard output and error. */
    private List<String> run(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.walrus.broker.BrokerMain",
                "--port", "0", "--data-dir", dir.resolve("data").toString()));
        try (BrokerProcess broker = BrokerProcess.start(new ProcessBuilder(command))) {
            broker.awaitReady();
            broker.terminate();
            return broker.output();
        }
    }
}

package dev.walrus.broker;

import dev.walrus.broker.testing.BrokerProcess;
import dev.walrus.broker.testing.Clients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker as an operator runs it: a separate process, a ready line, SIGTERM for a graceful stop. */
class BrokerProcessTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldStopGracefullyOnSigtermAndServeTheSameRecordsAfterARestart() throws Exception {
        List<String> sent = Clients.values("before-sigterm", 20);
        try (BrokerProcess broker = BrokerProcess.start(dataDir)) {
            String bootstrap = broker.awaitReady();
            Clients.createTopic(bootstrap, "survivors", 1);
            Clients.produce(bootstrap, "survivors", "1", sent);

            int exitCode = broker.terminate();

            assertThat(exitCode).as("exit code after SIGTERM (128 + 15, as the JVM reports it)").isEqualTo(143);
            assertThat(broker.output()).anyMatch(line -> line.contains("Walrus Broker stopped in"));
        }

        try (BrokerProcess restarted = BrokerProcess.start(dataDir)) {
            String bootstrap = restarted.awaitReady();
            assertThat(Clients.consume(bootstrap, "survivors", sent.size())).containsExactlyElementsOf(sent);
            restarted.terminate();
        }
    }

    @Test
    void shouldPrintOnlyItsOwnLinesNoLoggingLibraryNotices() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(dataDir)) {
            broker.awaitReady();
            broker.terminate();
            assertThat(broker.output()).as("stdout and stderr of a start and a stop").isNotEmpty()
                    .noneMatch(line -> line.startsWith("SLF4J"));
        }
    }

    @Test
    void shouldNameAKeyItDoesNotUseOnceOnly() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(dataDir, "--override", "process.roles=broker,controller")) {
            broker.awaitReady();
            broker.terminate();

            assertThat(broker.output()).filteredOn(line -> line.contains("not used"))
                    .singleElement().asString().contains("process.roles");
        }
    }

    @Test
    void shouldPrintItsLoopbackAddressInTheReadyLine() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(dataDir)) {
            String bootstrap = broker.awaitReady();

            assertThat(bootstrap).matches("127\\.0\\.0\\.1:\\d+");
            broker.terminate();
        }
    }
}

package dev.walrus.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The process entry point's answers to bad input: one line on standard error and the documented exit code. */
class BrokerMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BrokerMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintUsageForHelp() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: walrus-broker").contains("--override KEY=VALUE");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldPrintTheVersion() {
        assertThat(run("--version")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).matches("walrus-broker \\S+\\R");
    }

    @Test
    void shouldExitWithUsageErrorForAnUnknownFlag() {
        assertThat(run("--frobnicate")).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("walrus-broker: unknown option --frobnicate (see --help)" + System.lineSeparator());
    }

    @Test
    void shouldExitWithUsageErrorForABadValueInTheConfigFile() throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "socket.request.max.bytes=big\n");

        assertThat(run(file.toString())).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("walrus-broker: bad configuration: Invalid value 'big' for "
                + "configuration socket.request.max.bytes: not a number of type INT" + System.lineSeparator());
    }

    @Test
    void shouldExitWithStartFailureWhenThePortIsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThat(run("--port", String.valueOf(port), "--data-dir", dir.resolve("data").toString())).isEqualTo(1);

            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("walrus-broker: Cannot listen on 127.0.0.1:" + port
                    + ": the port is already in use" + System.lineSeparator());
            assertThat(dir.resolve("data")).doesNotExist();
        }
    }
}

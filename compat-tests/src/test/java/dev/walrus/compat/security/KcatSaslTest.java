package dev.walrus.compat.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.Commands;
import dev.walrus.compat.SaslFixtures;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kcat (librdkafka's own SASL client) on a SASL_PLAINTEXT listener with PLAIN: it produces as one user and consumes
 * as another, record for record; a wrong password fails its authentication. Fails, never skips, when kcat is
 * missing: .ci/run installs it.
 *
 * <p>Not here: librdkafka's SCRAM against a credential the Java admin client set. It fails its authentication on
 * Kafka 4.4 exactly as on this broker ("invalid credentials with SASL mechanism SCRAM-SHA-256"), while Java clients
 * authenticate with the same credential on both (SaslListenerTest).
 */
class KcatSaslTest extends OwnBrokerTest {

    @BeforeAll
    static void requireKcat() {
        Commands.requireOnPath("kcat", "apt-get install -y kcat");
    }

    @Test
    void shouldProduceAndConsumeAsPlainUsers() throws Exception {
        Map<String, String> alice = SaslFixtures.alice();
        broker = ChildBroker.forCurrentTarget("kcat-sasl", "SASL_PLAINTEXT",
                SaslFixtures.brokerSettings("SASL_PLAINTEXT", "PLAIN", "bob", "bob-secret"), alice).start();
        String topic;
        try (Admin admin = Clients.admin(broker.bootstrapServers(), alice)) {
            topic = TestTopics.create(admin, TestTopics.unique("kcat-sasl"), 1);
        }
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            input.append("k").append(i).append(':').append("v").append(i).append('\n');
        }

        CommandResult produced = kcat(input.toString(), "PLAIN", "alice", "alice-secret",
                "-t", topic, "-P", "-p", "0", "-K", ":", "-X", "acks=all");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();

        CommandResult consumed = kcat(null, "PLAIN", "bob", "bob-secret",
                "-t", topic, "-C", "-p", "0", "-o", "beginning", "-e", "-f", "%o %k=%s\\n");
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(i + " k" + i + "=v" + i);
        }
        assertThat(consumed.stdoutLines()).as(consumed.toString()).containsExactlyElementsOf(expected);

        CommandResult refused = kcat(null, "PLAIN", "bob", "not-bobs", "-L");
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(refused.toString()).contains("Authentication failed");
    }

    private CommandResult kcat(String stdin, String mechanism, String user, String password, String... args) {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", broker.bootstrapServers(),
                "-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms=" + mechanism,
                "-X", "sasl.username=" + user, "-X", "sasl.password=" + password));
        command.addAll(List.of(args));
        return Commands.run(command, stdin, Duration.ofSeconds(60));
    }
}

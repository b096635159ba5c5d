package dev.walrus.compat.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.SaslFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * Kafka's own {@code kafka-configs} managing SCRAM users on a SASL listener ({@code --command-config} with a PLAIN
 * user): adding a credential, describing it, a client authenticating with it, deleting it.
 */
class ScramConfigCommandTest extends OwnBrokerTest {

    @Test
    void shouldAddDescribeUseAndDeleteAScramUserWithKafkaConfigs() throws Exception {
        Map<String, String> alice = SaslFixtures.alice();
        broker = ChildBroker.forCurrentTarget("scram-cli", "SASL_PLAINTEXT",
                SaslFixtures.brokerSettings("SASL_PLAINTEXT", "PLAIN,SCRAM-SHA-256"), alice).start();
        Path commandConfig = CompatSettings.newWorkDir("scram-cli").resolve("client.properties");
        Files.writeString(commandConfig, alice.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        String[] common = {"--bootstrap-server", broker.bootstrapServers(), "--command-config", commandConfig.toString()};

        CommandResult added = configs(common, "--alter", "--add-config",
                "SCRAM-SHA-256=[iterations=8192,password=carol-secret]", "--entity-type", "users", "--entity-name", "carol");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.stdoutLines()).as(added.toString()).contains("Completed updating config for user carol.");

        CommandResult described = configs(common, "--describe", "--entity-type", "users", "--entity-name", "carol");
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.stdoutLines()).as(described.toString())
                .contains("SCRAM credential configs for user-principal 'carol' are SCRAM-SHA-256=iterations=8192");

        Map<String, String> carol = SaslFixtures.client("SASL_PLAINTEXT", "SCRAM-SHA-256", "carol", "carol-secret");
        try (Admin admin = Clients.admin(broker.bootstrapServers(), carol)) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }

        CommandResult deleted = configs(common, "--alter", "--delete-config", "SCRAM-SHA-256", "--entity-type", "users",
                "--entity-name", "carol");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        CommandResult none = configs(common, "--describe", "--entity-type", "users", "--entity-name", "carol");
        assertThat(none.stdoutLines()).as(none.toString()).noneMatch(line -> line.contains("SCRAM-SHA-256=iterations"));
    }

    private static CommandResult configs(String[] common, String... args) {
        String[] all = new String[common.length + args.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(args, 0, all, common.length, args.length);
        return KafkaCli.run(KafkaCli.CONFIGS, all);
    }
}

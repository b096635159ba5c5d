package dev.walrus.compat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code kafka-topics.sh} (TopicCommand): create, list, describe, delete, as a user types them. */
@ExtendWith(BrokerExtension.class)
class TopicCommandTest {

    @Test
    void shouldCreateListDescribeAndDeleteATopic(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.unique("cli-topics");

        CommandResult created = KafkaCli.run(KafkaCli.TOPICS, "--bootstrap-server", bootstrap, "--create",
            "--topic", topic, "--partitions", "3", "--replication-factor", "1", "--config", "retention.ms=3600000");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.stdoutLines()).as(created.toString()).containsExactly("Created topic " + topic + ".");

        CommandResult listed = KafkaCli.run(KafkaCli.TOPICS, "--bootstrap-server", bootstrap, "--list");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.stdoutLines()).as(listed.toString()).contains(topic);

        CommandResult described = KafkaCli.run(KafkaCli.TOPICS, "--bootstrap-server", bootstrap, "--describe",
            "--topic", topic);
        assertThat(described.exitCode()).as(described.toString()).isZero();
        int node = nodeId(bootstrap);
        List<String> lines = described.stdoutLines();
        assertThat(lines).as(described.toString()).hasSize(4);
        assertThat(lines.getFirst()).as(described.toString())
            .startsWith("Topic: " + topic + "\tTopicId: ")
            .contains("\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: ")
            .contains("retention.ms=3600000");
        for (int p = 0; p < 3; p++) {
            assertThat(lines.get(1 + p)).as(described.toString()).startsWith("Topic: " + topic + "\tPartition: " + p
                + "\tLeader: " + node + "\tReplicas: " + node + "\tIsr: " + node);
        }

        CommandResult deleted = KafkaCli.run(KafkaCli.TOPICS, "--bootstrap-server", bootstrap, "--delete",
            "--topic", topic);
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(KafkaCli.run(KafkaCli.TOPICS, "--bootstrap-server", bootstrap, "--list").stdoutLines())
            .doesNotContain(topic);
    }

    @Test
    void shouldFailToDescribeAnUnknownTopic(TargetBroker broker) {
        String topic = TestTopics.unique("cli-topics-unknown");

        CommandResult described = KafkaCli.run(KafkaCli.TOPICS, "--bootstrap-server", broker.bootstrapServers(),
            "--describe", "--topic", topic);

        assertThat(described.exitCode()).as(described.toString()).isEqualTo(1);
        assertThat(described.stdout() + described.stderr()).as(described.toString())
            .contains("Topic '" + topic + "' does not exist as expected");
    }

    private static int nodeId(String bootstrap) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();
        }
    }
}

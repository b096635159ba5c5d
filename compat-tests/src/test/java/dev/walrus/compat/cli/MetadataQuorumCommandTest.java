package dev.walrus.compat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka's {@code kafka-metadata-quorum} and {@code Admin.describeMetadataQuorum} (DescribeQuorum), which health
 * checks and operators use: a one-node quorum whose only voter is the broker's node and its leader, caught up, with no
 * observers.
 */
@ExtendWith(BrokerExtension.class)
class MetadataQuorumCommandTest {

    @Test
    void shouldDescribeAOneNodeQuorumLedByThisNode(TargetBroker broker) throws Exception {
        int node;
        String clusterId;
        QuorumInfo quorum;
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            node = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();
            clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
            quorum = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS);
        }
        assertThat(quorum.leaderId()).isEqualTo(node);
        assertThat(quorum.leaderEpoch()).isPositive();
        assertThat(quorum.highWatermark()).isPositive();
        assertThat(quorum.voters()).singleElement().satisfies(voter -> {
            assertThat(voter.replicaId()).isEqualTo(node);
            assertThat(voter.logEndOffset()).isGreaterThanOrEqualTo(quorum.highWatermark());
        });
        assertThat(quorum.observers()).isEmpty();

        CommandResult status = KafkaCli.run(KafkaCli.METADATA_QUORUM, "--bootstrap-server", broker.bootstrapServers(),
                "describe", "--status");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.stdoutLines()).as(status.toString())
                .anySatisfy(line -> assertThat(line).matches("ClusterId:\\s+" + clusterId))
                .anySatisfy(line -> assertThat(line).matches("LeaderId:\\s+" + node))
                .anySatisfy(line -> assertThat(line).matches("LeaderEpoch:\\s+[1-9][0-9]*"))
                .anySatisfy(line -> assertThat(line).matches("HighWatermark:\\s+[1-9][0-9]*"))
                .anySatisfy(line -> assertThat(line).matches("MaxFollowerLag:\\s+0"))
                .anySatisfy(line -> assertThat(line).matches("CurrentVoters:\\s+\\[\\{\"id\": " + node + ".*\\}\\]"))
                .anySatisfy(line -> assertThat(line).matches("CurrentObservers:\\s+\\[\\]"));

        CommandResult replication = KafkaCli.run(KafkaCli.METADATA_QUORUM, "--bootstrap-server",
                broker.bootstrapServers(), "describe", "--replication");
        assertThat(replication.exitCode()).as(replication.toString()).isZero();
        assertThat(replication.stdoutLines()).as(replication.toString())
                .anySatisfy(line -> assertThat(line).startsWith("NodeId").contains("Status"))
                .anySatisfy(line -> assertThat(line.split("\\s+")).startsWith(String.valueOf(node))
                        .contains("0", "Leader"));
    }
}

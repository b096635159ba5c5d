package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On one node: leader elections are never needed and reassignments have nowhere to go. electLeaders,
 * listPartitionReassignments and alterPartitionReassignments answer as a one-node Kafka does.
 */
@ExtendWith(BrokerExtension.class)
class AdminLeadersAndReassignmentsTest {

    private Admin admin;
    private int node;
    private String topic;

    @BeforeEach
    void createTopic(TargetBroker broker) throws Exception {
        admin = Clients.admin(broker.bootstrapServers());
        node = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();
        topic = TestTopics.create(admin, TestTopics.unique("leaders"), 2);
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void noLeaderElectionShouldBeNeeded() throws Exception {
        for (ElectionType type : ElectionType.values()) {
            Map<TopicPartition, Optional<Throwable>> results = admin.electLeaders(type, Set.of(
                    new TopicPartition(topic, 0), new TopicPartition(topic + "-missing", 0), new TopicPartition(topic, 9)))
                    .partitions().get(30, TimeUnit.SECONDS);

            assertThat(results.get(new TopicPartition(topic, 0))).containsInstanceOf(ElectionNotNeededException.class);
            assertThat(results.get(new TopicPartition(topic + "-missing", 0))).hasValueSatisfying(e -> assertThat(e)
                    .isInstanceOf(UnknownTopicOrPartitionException.class)
                    .hasMessage("No such topic as " + topic + "-missing"));
            assertThat(results.get(new TopicPartition(topic, 9))).hasValueSatisfying(e -> assertThat(e)
                    .isInstanceOf(UnknownTopicOrPartitionException.class)
                    .hasMessage("No such partition as " + topic + "-9"));
            assertThat(admin.electLeaders(type, null).partitions().get(30, TimeUnit.SECONDS))
                    .as("every partition: none needed an election").isEmpty();
        }
    }

    @Test
    void noReassignmentShouldEverBeInProgress() throws Exception {
        assertThat(admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(admin.listPartitionReassignments(Set.of(new TopicPartition(topic, 0))).reassignments()
                .get(30, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aReassignmentShouldBeAcceptedOnlyOntoThisNode() throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(node)))))
                .all().get(30, TimeUnit.SECONDS);

        assertReassignmentRefused(tp, Optional.of(new NewPartitionReassignment(List.of(node + 1))),
                InvalidReplicaAssignmentException.class, "The manual partition assignment includes broker " + (node + 1)
                        + ", but no such broker is registered.");
        assertReassignmentRefused(tp, Optional.of(new NewPartitionReassignment(List.of(node, node))),
                InvalidReplicaAssignmentException.class,
                "The manual partition assignment includes the broker " + node + " more than once.");
        assertReassignmentRefused(tp, Optional.empty(), NoReassignmentInProgressException.class, null);
        assertReassignmentRefused(new TopicPartition(topic + "-missing", 0), Optional.of(new NewPartitionReassignment(List.of(node))),
                UnknownTopicOrPartitionException.class, "Unable to find a topic named " + topic + "-missing.");
        assertReassignmentRefused(new TopicPartition(topic, 7), Optional.of(new NewPartitionReassignment(List.of(node))),
                UnknownTopicOrPartitionException.class, "Unable to find partition " + topic + ":7.");
    }

    private void assertReassignmentRefused(TopicPartition tp, Optional<NewPartitionReassignment> target,
                                           Class<? extends Throwable> error, String message) {
        var refused = assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(tp, target)).all()
                .get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(error);
        if (message != null) {
            refused.hasMessage(message);
        }
    }
}

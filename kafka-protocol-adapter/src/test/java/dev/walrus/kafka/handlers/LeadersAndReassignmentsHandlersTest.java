package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsResponse;
import org.apache.kafka.common.requests.ElectLeadersResponse;
import org.apache.kafka.common.requests.ListPartitionReassignmentsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** ElectLeaders, ListPartitionReassignments, AlterPartitionReassignments on one node, at every version. */
class LeadersAndReassignmentsHandlersTest {

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        broker.createTopic("t", 2);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2})
    void shouldNeedNoElectionForAKnownPartitionAtEveryVersion(short version) {
        ElectLeadersRequestData.TopicPartitionsCollection named = new ElectLeadersRequestData.TopicPartitionsCollection();
        named.add(new ElectLeadersRequestData.TopicPartitions().setTopic("t").setPartitions(List.of(1, 5)));
        ElectLeadersResponse response = broker.send(ApiKeys.ELECT_LEADERS, version,
                new ElectLeadersRequestData().setTopicPartitions(named).setTimeoutMs(1000));

        List<PartitionResult> results = response.data().replicaElectionResults().getFirst().partitionResult();
        assertThat(results).extracting(PartitionResult::partitionId, PartitionResult::errorCode).containsExactly(
                tuple(1, Errors.ELECTION_NOT_NEEDED.code()),
                tuple(5, Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
    }

    @Test
    void shouldAnswerAnElectionOfEveryPartitionWithNothing() {
        ElectLeadersResponse response = broker.send(ApiKeys.ELECT_LEADERS, (short) 2,
                new ElectLeadersRequestData().setTopicPartitions(null).setTimeoutMs(1000));
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().replicaElectionResults()).isEmpty();
    }

    @Test
    void shouldListNoReassignment() {
        ListPartitionReassignmentsResponse response = broker.send(ApiKeys.LIST_PARTITION_REASSIGNMENTS, (short) 0,
                new ListPartitionReassignmentsRequestData().setTopics(null).setTimeoutMs(1000));
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().topics()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1})
    void shouldAcceptOnlyThisNodeAsTheReplicasAtEveryVersion(short version) {
        assertThat(reassign(version, 1)).extracting(ReassignablePartitionResponse::errorCode)
                .isEqualTo(Errors.NONE.code());
        assertThat(reassign(version, 2)).extracting(ReassignablePartitionResponse::errorCode)
                .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(reassign(version, (Integer[]) null)).extracting(ReassignablePartitionResponse::errorCode)
                .isEqualTo(Errors.NO_REASSIGNMENT_IN_PROGRESS.code());
    }

    private ReassignablePartitionResponse reassign(short version, Integer... replicas) {
        AlterPartitionReassignmentsRequestData request = new AlterPartitionReassignmentsRequestData().setTimeoutMs(1000);
        request.topics().add(new AlterPartitionReassignmentsRequestData.ReassignableTopic().setName("t").setPartitions(
                List.of(new AlterPartitionReassignmentsRequestData.ReassignablePartition().setPartitionIndex(0)
                        .setReplicas(replicas == null ? null : Arrays.asList(replicas)))));
        AlterPartitionReassignmentsResponse response = broker.send(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, version, request);
        return response.data().responses().getFirst().partitions().getFirst();
    }
}

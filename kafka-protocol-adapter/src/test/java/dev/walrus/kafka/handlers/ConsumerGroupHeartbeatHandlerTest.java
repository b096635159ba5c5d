package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.GroupFixture;
import dev.walrus.kafka.metadata.TopicInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.walrus.kafka.group.GroupRequests.commit;
import static dev.walrus.kafka.group.GroupRequests.consumerHeartbeat;
import static dev.walrus.kafka.group.GroupRequests.consumerJoin;
import static org.assertj.core.api.Assertions.assertThat;

class ConsumerGroupHeartbeatHandlerTest {

    @TempDir
    Path dir;
    GroupFixture broker;
    TopicInfo orders;

    @BeforeEach
    void open() {
        broker = GroupFixture.open(dir);
        orders = broker.topics().create("orders", 6);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    private ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
        return broker.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1, request);
    }

    private static List<Integer> partitions(ConsumerGroupHeartbeatResponseData response) {
        List<Integer> all = new ArrayList<>();
        response.assignment().topicPartitions().forEach(tp -> all.addAll(tp.partitions()));
        return all;
    }

    private Map<Uuid, List<Integer>> owning(List<Integer> partitions) {
        return Map.of(orders.id(), partitions);
    }

    @Test
    void shouldGiveTheFirstMemberEveryPartitionAtEpochOne() {
        ConsumerGroupHeartbeatResponseData response = send(consumerJoin("g", "m-1", "orders"));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.memberId()).isEqualTo("m-1");
        assertThat(response.memberEpoch()).isEqualTo(1);
        assertThat(response.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(response.assignment().topicPartitions().getFirst().topicId()).isEqualTo(orders.id());
        assertThat(partitions(response)).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void shouldRevokeBeforeReassigningWhenASecondMemberJoins() {
        send(consumerJoin("g", "m-1", "orders"));

        ConsumerGroupHeartbeatResponseData second = send(consumerJoin("g", "m-2", "orders"));
        assertThat(second.memberEpoch()).isEqualTo(2);
        assertThat(partitions(second)).as("m-1 still owns everything").isEmpty();

        ConsumerGroupHeartbeatResponseData revoke = send(consumerHeartbeat("g", "m-1", 1, owning(List.of(0, 1, 2, 3, 4, 5))));
        assertThat(revoke.memberEpoch()).as("epoch waits for the revocation").isEqualTo(1);
        List<Integer> kept = partitions(revoke);
        assertThat(kept).hasSize(3);

        ConsumerGroupHeartbeatResponseData revoked = send(consumerHeartbeat("g", "m-1", 1, owning(kept)));
        assertThat(revoked.memberEpoch()).isEqualTo(2);

        ConsumerGroupHeartbeatResponseData assigned = send(consumerHeartbeat("g", "m-2", 2, owning(List.of())));
        assertThat(assigned.memberEpoch()).isEqualTo(2);
        assertThat(partitions(assigned)).hasSize(3).doesNotContainAnyElementsOf(kept);
    }

    @Test
    void shouldHandTheLeaversPartitionsToTheOthers() {
        send(consumerJoin("g", "m-1", "orders"));
        send(consumerJoin("g", "m-2", "orders"));
        List<Integer> kept = partitions(send(consumerHeartbeat("g", "m-1", 1, owning(List.of(0, 1, 2, 3, 4, 5)))));
        send(consumerHeartbeat("g", "m-1", 1, owning(kept)));
        send(consumerHeartbeat("g", "m-2", 2, owning(List.of())));

        ConsumerGroupHeartbeatResponseData left = send(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g").setMemberId("m-2").setMemberEpoch(-1));
        assertThat(left.memberEpoch()).isEqualTo(-1);

        ConsumerGroupHeartbeatResponseData all = send(consumerHeartbeat("g", "m-1", 2, owning(kept)));
        assertThat(all.memberEpoch()).isEqualTo(3);
        assertThat(partitions(all)).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void shouldFenceAMemberThatClaimsAnEpochItNeverHad() {
        send(consumerJoin("g", "m-1", "orders"));

        ConsumerGroupHeartbeatResponseData response = send(consumerHeartbeat("g", "m-1", 9, owning(List.of())));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
    }

    @Test
    void shouldRejectAnUnknownMember() {
        send(consumerJoin("g", "m-1", "orders"));

        ConsumerGroupHeartbeatResponseData response = send(consumerHeartbeat("g", "ghost", 1, owning(List.of())));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectAFirstHeartbeatWithoutRebalanceTimeoutOrMemberId() {
        ConsumerGroupHeartbeatResponseData noTimeout = send(consumerJoin("g", "m-1", "orders").setRebalanceTimeoutMs(-1));
        ConsumerGroupHeartbeatResponseData noId = send(consumerJoin("g", "", "orders"));

        assertThat(Errors.forCode(noTimeout.errorCode())).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(Errors.forCode(noId.errorCode())).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(noId.errorMessage()).contains("MemberId");
    }

    @Test
    void shouldGenerateTheMemberIdInVersion0() {
        ConsumerGroupHeartbeatResponseData response = broker.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, consumerJoin("g", "", "orders"));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.memberId()).isNotEmpty();
    }

    @Test
    void shouldRejectAnUnknownServerAssignor() {
        ConsumerGroupHeartbeatResponseData response = send(consumerJoin("g", "m-1", "orders").setServerAssignor("sticky"));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.UNSUPPORTED_ASSIGNOR);
    }

    @Test
    void shouldAssignContiguousRangesWithTheRangeAssignor() {
        send(consumerJoin("g", "a", "orders").setServerAssignor("range"));
        send(consumerJoin("g", "b", "orders").setServerAssignor("range"));
        ConsumerGroupHeartbeatResponseData a = send(consumerHeartbeat("g", "a", 1, owning(List.of(0, 1, 2, 3, 4, 5))));

        assertThat(partitions(a)).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void shouldSubscribeByRegularExpression() {
        broker.topics().create("orders-eu", 2);

        ConsumerGroupHeartbeatResponseData response = send(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g").setMemberId("m-1").setMemberEpoch(0).setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicRegex("orders-.*").setTopicPartitions(new ArrayList<>()));

        assertThat(response.assignment().topicPartitions()).hasSize(1);
        assertThat(partitions(response)).containsExactly(0, 1);
    }

    @Test
    void shouldBumpTheEpochWhenASubscribedTopicGainsPartitionsOrAppears() {
        send(consumerJoin("g", "m-1", "orders", "later"));
        broker.topics().create("later", 2);

        ConsumerGroupHeartbeatResponseData response = send(consumerHeartbeat("g", "m-1", 1, owning(List.of(0, 1, 2, 3, 4, 5))));

        assertThat(response.memberEpoch()).isEqualTo(2);
        assertThat(response.assignment().topicPartitions()).hasSize(2);
    }

    @Test
    void shouldLetAStaticMemberComeBackUnderANewIdWithItsPartitionsAndNoNewEpoch() {
        send(consumerJoin("g", "m-1", "orders").setInstanceId("i-1"));
        send(consumerJoin("g", "m-2", "orders").setInstanceId("i-2"));
        List<Integer> kept = partitions(send(consumerHeartbeat("g", "m-1", 1, owning(List.of(0, 1, 2, 3, 4, 5))).setInstanceId("i-1")));
        send(consumerHeartbeat("g", "m-1", 1, owning(kept)).setInstanceId("i-1"));

        ConsumerGroupHeartbeatResponseData left = send(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g").setMemberId("m-1").setInstanceId("i-1").setMemberEpoch(-2));
        assertThat(left.memberEpoch()).isEqualTo(-2);

        ConsumerGroupHeartbeatResponseData back = send(consumerJoin("g", "m-1b", "orders").setInstanceId("i-1"));

        assertThat(Errors.forCode(back.errorCode())).isEqualTo(Errors.NONE);
        assertThat(back.memberEpoch()).isEqualTo(2);
        assertThat(partitions(back)).containsExactlyInAnyOrderElementsOf(kept);
    }

    @Test
    void shouldRefuseAStaticInstanceIdStillHeldByAnActiveMember() {
        send(consumerJoin("g", "m-1", "orders").setInstanceId("i-1"));

        ConsumerGroupHeartbeatResponseData response = send(consumerJoin("g", "m-2", "orders").setInstanceId("i-1"));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.UNRELEASED_INSTANCE_ID);
    }

    @Test
    void shouldKeepMembersEpochsAndAssignmentsAcrossARestart() {
        send(consumerJoin("g", "m-1", "orders"));

        broker.restart();

        ConsumerGroupHeartbeatResponseData response = send(consumerHeartbeat("g", "m-1", 1, owning(List.of(0, 1, 2, 3, 4, 5))));
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.memberEpoch()).isEqualTo(1);
    }

    @Test
    void shouldAcceptOffsetCommitsOnlyAtTheMembersCurrentEpoch() {
        send(consumerJoin("g", "m-1", "orders"));

        OffsetCommitResponseData current = broker.call(ApiKeys.OFFSET_COMMIT, 9, commit("g", "m-1", 1, "orders", 0, 5));
        OffsetCommitResponseData stale = broker.call(ApiKeys.OFFSET_COMMIT, 9, commit("g", "m-1", 0, "orders", 0, 6));

        assertThat(Errors.forCode(current.topics().getFirst().partitions().getFirst().errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(stale.topics().getFirst().partitions().getFirst().errorCode())).isEqualTo(Errors.STALE_MEMBER_EPOCH);
    }

    @Test
    void shouldLetAClassicMemberJoinALiveConsumerGroupWithTheMigrationPolicyOfKafka() {
        send(consumerJoin("g", "m-1", "orders"));

        // bidirectional by default: the classic member is admitted (KIP-394 first asks it to rejoin with its id)
        var response = broker.<org.apache.kafka.common.message.JoinGroupResponseData>call(ApiKeys.JOIN_GROUP, 9,
                dev.walrus.kafka.group.GroupRequests.join("g", ""));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    }

    @Test
    void shouldAcceptACommitOfThePreviousEpochOnlyForPartitionsTheMemberStillOwnsSinceThen() {
        send(consumerJoin("g", "m-1", "orders"));
        send(consumerJoin("g", "m-2", "orders"));
        List<Integer> kept = partitions(send(consumerHeartbeat("g", "m-1", 1, owning(List.of(0, 1, 2, 3, 4, 5)))));
        assertThat(send(consumerHeartbeat("g", "m-1", 1, owning(kept))).memberEpoch()).isEqualTo(2);
        int given = partitions(send(consumerHeartbeat("g", "m-2", 2, owning(List.of())))).getFirst();

        OffsetCommitResponseData stillOwned = broker.call(ApiKeys.OFFSET_COMMIT, 9, commit("g", "m-1", 1, "orders", kept.getFirst(), 5));
        OffsetCommitResponseData movedOn = broker.call(ApiKeys.OFFSET_COMMIT, 9, commit("g", "m-1", 1, "orders", given, 5));
        OffsetCommitResponseData fromTheFuture = broker.call(ApiKeys.OFFSET_COMMIT, 9, commit("g", "m-1", 3, "orders", kept.getFirst(), 5));

        assertThat(Errors.forCode(stillOwned.topics().getFirst().partitions().getFirst().errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(movedOn.topics().getFirst().partitions().getFirst().errorCode())).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(Errors.forCode(fromTheFuture.topics().getFirst().partitions().getFirst().errorCode())).isEqualTo(Errors.STALE_MEMBER_EPOCH);
    }
}

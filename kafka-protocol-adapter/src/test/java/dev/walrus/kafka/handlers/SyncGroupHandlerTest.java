package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.ClassicMembers;
import dev.walrus.kafka.group.GroupFixture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.walrus.kafka.group.GroupRequests.assignment;
import static dev.walrus.kafka.group.GroupRequests.decodeAssignment;
import static dev.walrus.kafka.group.GroupRequests.join;
import static dev.walrus.kafka.group.GroupRequests.sync;
import static org.assertj.core.api.Assertions.assertThat;

class SyncGroupHandlerTest {

    @TempDir
    Path dir;
    GroupFixture broker;

    @BeforeEach
    void open() {
        broker = GroupFixture.open(dir);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void shouldHoldTheFollowerUntilTheLeaderSendsTheAssignmentAndThenDeliverIt() {
        JoinGroupResponseData[] members = ClassicMembers.twoMembers(broker, "g");
        JoinGroupResponseData leader = members[0];
        JoinGroupResponseData follower = members[1];

        CompletableFuture<SyncGroupResponseData> followerSync = broker.send(ApiKeys.SYNC_GROUP, 5,
                sync("g", follower.memberId(), 2, Map.of()));
        assertThat(followerSync).isNotDone();

        SyncGroupResponseData leaderSync = broker.call(ApiKeys.SYNC_GROUP, 5, sync("g", leader.memberId(), 2, Map.of(
                leader.memberId(), assignment(new TopicPartition("orders", 0)),
                follower.memberId(), assignment(new TopicPartition("orders", 1)))));

        assertThat(Errors.forCode(leaderSync.errorCode())).isEqualTo(Errors.NONE);
        assertThat(decodeAssignment(leaderSync.assignment())).containsExactly(new TopicPartition("orders", 0));
        SyncGroupResponseData delivered = followerSync.join();
        assertThat(Errors.forCode(delivered.errorCode())).isEqualTo(Errors.NONE);
        assertThat(decodeAssignment(delivered.assignment())).containsExactly(new TopicPartition("orders", 1));
        assertThat(delivered.protocolType()).isEqualTo("consumer");
        assertThat(delivered.protocolName()).isEqualTo("range");
    }

    @Test
    void shouldAnswerALateSyncInAStableGroupWithTheMembersAssignment() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");

        SyncGroupResponseData again = broker.call(ApiKeys.SYNC_GROUP, 5, sync("g", member.memberId(), 1, Map.of()));

        assertThat(decodeAssignment(again.assignment())).containsExactly(new TopicPartition("orders", 0));
    }

    @Test
    void shouldRejectAnOldGeneration() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");

        SyncGroupResponseData response = broker.call(ApiKeys.SYNC_GROUP, 5, sync("g", member.memberId(), 0, Map.of()));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void shouldRejectAnUnknownMember() {
        ClassicMembers.stableSingleMember(broker, "g");

        SyncGroupResponseData response = broker.call(ApiKeys.SYNC_GROUP, 5, sync("g", "ghost", 1, Map.of()));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectAnUnknownGroupAsUnknownMember() {
        SyncGroupResponseData response = broker.call(ApiKeys.SYNC_GROUP, 5, sync("nobody", "ghost", 1, Map.of()));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectAProtocolNameOtherThanTheGroupsFromVersion5() {
        JoinGroupResponseData member = ClassicMembers.joinNew(broker, "g");

        SyncGroupResponseData response = broker.call(ApiKeys.SYNC_GROUP, 5,
                sync("g", member.memberId(), 1, Map.of()).setProtocolType("consumer").setProtocolName("roundrobin"));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void shouldTellAMemberToRejoinWhileTheGroupPreparesARebalance() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");
        JoinGroupResponseData required = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", ""));
        broker.send(ApiKeys.JOIN_GROUP, 9, join("g", required.memberId()));

        SyncGroupResponseData response = broker.call(ApiKeys.SYNC_GROUP, 5, sync("g", member.memberId(), 1, Map.of()));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void shouldFailAPendingFollowerSyncWhenARebalanceStartsBeforeTheLeaderSyncs() {
        JoinGroupResponseData[] members = ClassicMembers.twoMembers(broker, "g");
        CompletableFuture<SyncGroupResponseData> followerSync = broker.send(ApiKeys.SYNC_GROUP, 5,
                sync("g", members[1].memberId(), 2, Map.of()));

        JoinGroupResponseData required = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", ""));
        broker.send(ApiKeys.JOIN_GROUP, 9, join("g", required.memberId()));

        assertThat(Errors.forCode(followerSync.join().errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.ClassicMembers;
import dev.walrus.kafka.group.GroupFixture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
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
import java.util.concurrent.CompletableFuture;

import static dev.walrus.kafka.group.GroupRequests.join;
import static dev.walrus.kafka.group.GroupRequests.sync;
import static org.assertj.core.api.Assertions.assertThat;

class LeaveGroupHandlerTest {

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
    void shouldLetTheOnlyMemberLeaveWithVersion0AndEmptyTheGroup() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");

        LeaveGroupResponseData response = broker.call(ApiKeys.LEAVE_GROUP, 0,
                new LeaveGroupRequestData().setGroupId("g").setMemberId(member.memberId()));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        var described = broker.<org.apache.kafka.common.message.DescribeGroupsResponseData>call(ApiKeys.DESCRIBE_GROUPS, 5,
                new org.apache.kafka.common.message.DescribeGroupsRequestData().setGroups(List.of("g")));
        assertThat(described.groups().getFirst().groupState()).isEqualTo("Empty");
    }

    @Test
    void shouldReportAnUnknownMemberAtTopLevelBeforeVersion3() {
        ClassicMembers.stableSingleMember(broker, "g");

        LeaveGroupResponseData response = broker.call(ApiKeys.LEAVE_GROUP, 2,
                new LeaveGroupRequestData().setGroupId("g").setMemberId("ghost"));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldAnswerEachMemberOfABatchWithItsOwnError() {
        JoinGroupResponseData staticMember = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", "").setGroupInstanceId("i-1"));
        broker.call(ApiKeys.SYNC_GROUP, 5, sync("g", staticMember.memberId(), 1, Map.of()));

        LeaveGroupResponseData response = broker.call(ApiKeys.LEAVE_GROUP, 5, new LeaveGroupRequestData().setGroupId("g")
                .setMembers(new ArrayList<>(List.of(
                        new MemberIdentity().setMemberId("ghost"),
                        new MemberIdentity().setMemberId("wrong-id").setGroupInstanceId("i-1"),
                        new MemberIdentity().setMemberId("").setGroupInstanceId("i-unknown")))));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.members()).extracting(MemberResponse::errorCode).containsExactly(
                Errors.UNKNOWN_MEMBER_ID.code(), Errors.FENCED_INSTANCE_ID.code(), Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void shouldLetAStaticMemberLeaveByInstanceIdAlone() {
        JoinGroupResponseData staticMember = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", "").setGroupInstanceId("i-1"));
        broker.call(ApiKeys.SYNC_GROUP, 5, sync("g", staticMember.memberId(), 1, Map.of()));

        LeaveGroupResponseData response = broker.call(ApiKeys.LEAVE_GROUP, 5, new LeaveGroupRequestData().setGroupId("g")
                .setMembers(new ArrayList<>(List.of(new MemberIdentity().setMemberId("").setGroupInstanceId("i-1")))));

        assertThat(response.members()).extracting(MemberResponse::errorCode).containsExactly(Errors.NONE.code());
    }

    @Test
    void shouldCompleteTheRebalanceOfTheOthersWhenAMemberLeaves() {
        JoinGroupResponseData[] members = ClassicMembers.twoMembers(broker, "g");
        broker.call(ApiKeys.SYNC_GROUP, 5, sync("g", members[0].memberId(), 2, Map.of()));
        // A third member joins; the leader rejoins; the follower leaves instead of rejoining.
        JoinGroupResponseData required = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", ""));
        CompletableFuture<JoinGroupResponseData> third = broker.send(ApiKeys.JOIN_GROUP, 9, join("g", required.memberId()));
        CompletableFuture<JoinGroupResponseData> leader = broker.send(ApiKeys.JOIN_GROUP, 9, join("g", members[0].memberId()));
        assertThat(third).isNotDone();

        broker.call(ApiKeys.LEAVE_GROUP, 5, new LeaveGroupRequestData().setGroupId("g")
                .setMembers(new ArrayList<>(List.of(new MemberIdentity().setMemberId(members[1].memberId())))));

        assertThat(third.join().generationId()).isEqualTo(3);
        assertThat(leader.join().members()).hasSize(2);
    }

    @Test
    void shouldRejectALeaveFromAnUnknownGroup() {
        LeaveGroupResponseData response = broker.call(ApiKeys.LEAVE_GROUP, 5, new LeaveGroupRequestData().setGroupId("nobody")
                .setMembers(new ArrayList<>(List.of(new MemberIdentity().setMemberId("x")))));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }
}

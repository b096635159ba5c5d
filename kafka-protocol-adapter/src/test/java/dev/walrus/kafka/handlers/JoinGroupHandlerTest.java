package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.GroupFixture;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.walrus.kafka.group.GroupRequests.heartbeat;
import static dev.walrus.kafka.group.GroupRequests.join;
import static org.assertj.core.api.Assertions.assertThat;

class JoinGroupHandlerTest {

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

    private JoinGroupResponseData joinNew(String group) {
        JoinGroupResponseData first = broker.call(ApiKeys.JOIN_GROUP, 9, join(group, ""));
        return broker.call(ApiKeys.JOIN_GROUP, 9, join(group, first.memberId()));
    }

    @Test
    void shouldAskForAMemberIdOnFirstJoinFromVersion4() {
        JoinGroupResponseData response = broker.call(ApiKeys.JOIN_GROUP, 4, join("g", ""));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(response.memberId()).startsWith("test-client-");
        assertThat(response.generationId()).isEqualTo(-1);
    }

    @Test
    void shouldMakeTheFirstMemberLeaderOfGenerationOneWhenItJoinsWithItsId() {
        JoinGroupResponseData response = joinNew("g");

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.generationId()).isEqualTo(1);
        assertThat(response.leader()).isEqualTo(response.memberId());
        assertThat(response.protocolName()).isEqualTo("range");
        assertThat(response.protocolType()).isEqualTo("consumer");
        assertThat(response.members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
                .containsExactly(response.memberId());
    }

    @Test
    void shouldJoinWithoutTheMemberIdRoundTripBeforeVersion4() {
        JoinGroupResponseData response = broker.call(ApiKeys.JOIN_GROUP, 3, join("g", ""));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.generationId()).isEqualTo(1);
        assertThat(response.memberId()).isNotEmpty();
    }

    @Test
    void shouldRejectASessionTimeoutBelowTheBrokerMinimum() {
        JoinGroupResponseData response = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", "").setSessionTimeoutMs(50));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
    }

    @Test
    void shouldRejectASessionTimeoutAboveTheBrokerMaximum() {
        JoinGroupResponseData response = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", "").setSessionTimeoutMs(1_800_001));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
    }

    @Test
    void shouldRejectAnEmptyGroupId() {
        JoinGroupResponseData response = broker.call(ApiKeys.JOIN_GROUP, 9, join("", ""));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
    }

    @Test
    void shouldRejectAnUnknownMemberIdForAGroupThatDoesNotExist() {
        JoinGroupResponseData response = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", "ghost"));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectAMemberWhoseProtocolTypeDiffersFromTheGroup() {
        joinNew("g");

        JoinGroupResponseData response = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", "").setProtocolType("connect"));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void shouldRejectAMemberWithNoProtocolInCommonWithTheGroup() {
        joinNew("g");

        JoinGroupResponseData response = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", "", "roundrobin"));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void shouldRebalanceWhenASecondMemberJoinsAndGiveTheLeaderEveryMember() {
        JoinGroupResponseData first = joinNew("g");
        JoinGroupResponseData required = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", ""));
        CompletableFuture<JoinGroupResponseData> second = broker.send(ApiKeys.JOIN_GROUP, 9, join("g", required.memberId()));

        HeartbeatResponseData beat = broker.call(ApiKeys.HEARTBEAT, 4, heartbeat("g", first.memberId(), 1));
        assertThat(Errors.forCode(beat.errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(second).isNotDone();

        JoinGroupResponseData leader = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", first.memberId()));
        JoinGroupResponseData follower = second.join();

        assertThat(leader.generationId()).isEqualTo(2);
        assertThat(follower.generationId()).isEqualTo(2);
        assertThat(leader.leader()).isEqualTo(first.memberId());
        assertThat(follower.leader()).isEqualTo(first.memberId());
        assertThat(leader.members()).hasSize(2);
        assertThat(follower.members()).isEmpty();
    }

    @Test
    void shouldSelectTheProtocolMostMembersPreferAmongThoseAllSupport() {
        JoinGroupResponseData first = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", "", "cooperative-sticky", "range"));
        first = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", first.memberId(), "cooperative-sticky", "range"));
        assertThat(first.protocolName()).isEqualTo("cooperative-sticky");

        JoinGroupResponseData required = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", "", "range"));
        CompletableFuture<JoinGroupResponseData> second = broker.send(ApiKeys.JOIN_GROUP, 9, join("g", required.memberId(), "range"));
        JoinGroupResponseData leader = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", first.memberId(), "cooperative-sticky", "range"));

        assertThat(leader.protocolName()).isEqualTo("range");
        assertThat(second.join().protocolName()).isEqualTo("range");
    }

    @Test
    void shouldRefuseAMemberBeyondTheGroupMaxSize(@TempDir Path other) {
        try (GroupFixture small = GroupFixture.open(other, Map.of("group.max.size", "1"))) {
            JoinGroupResponseData first = small.call(ApiKeys.JOIN_GROUP, 9, join("g", ""));
            small.call(ApiKeys.JOIN_GROUP, 9, join("g", first.memberId()));

            JoinGroupResponseData second = small.call(ApiKeys.JOIN_GROUP, 9, join("g", ""));

            assertThat(Errors.forCode(second.errorCode())).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        }
    }

    @Test
    void shouldLetAStaticMemberRejoinWithoutARebalanceAndFenceItsOldId() {
        JoinGroupRequestData staticJoin = join("g", "").setGroupInstanceId("instance-1");
        JoinGroupResponseData first = broker.call(ApiKeys.JOIN_GROUP, 9, staticJoin);
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.NONE);
        broker.call(ApiKeys.SYNC_GROUP, 5, dev.walrus.kafka.group.GroupRequests.sync("g", first.memberId(), 1, Map.of()));

        JoinGroupResponseData again = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", "").setGroupInstanceId("instance-1"));

        assertThat(Errors.forCode(again.errorCode())).isEqualTo(Errors.NONE);
        assertThat(again.generationId()).isEqualTo(1);
        assertThat(again.memberId()).isNotEqualTo(first.memberId());
        assertThat(again.skipAssignment()).isTrue();
        HeartbeatResponseData stale = broker.call(ApiKeys.HEARTBEAT, 4,
                heartbeat("g", first.memberId(), 1).setGroupInstanceId("instance-1"));
        assertThat(Errors.forCode(stale.errorCode())).isEqualTo(Errors.FENCED_INSTANCE_ID);
        HeartbeatResponseData current = broker.call(ApiKeys.HEARTBEAT, 4,
                heartbeat("g", again.memberId(), 1).setGroupInstanceId("instance-1"));
        assertThat(Errors.forCode(current.errorCode())).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldAnswerEveryVersionWithAResponseThatVersionCanCarry() {
        for (int version = 0; version <= 9; version++) {
            JoinGroupResponseData response = broker.call(ApiKeys.JOIN_GROUP, version, join("g" + version, ""));
            if (version >= 4) {
                assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
                response = broker.call(ApiKeys.JOIN_GROUP, version, join("g" + version, response.memberId()));
            }
            assertThat(Errors.forCode(response.errorCode())).as("v%d", version).isEqualTo(Errors.NONE);
            assertThat(response.generationId()).as("v%d", version).isEqualTo(1);
        }
    }

    @Test
    void shouldGatherMembersThatJoinWithinTheInitialRebalanceDelayIntoTheFirstGeneration(@TempDir Path other) {
        try (GroupFixture delayed = GroupFixture.open(other, Map.of("group.initial.rebalance.delay.ms", "500"))) {
            JoinGroupResponseData a = delayed.call(ApiKeys.JOIN_GROUP, 9, join("g", ""));
            JoinGroupResponseData b = delayed.call(ApiKeys.JOIN_GROUP, 9, join("g", ""));
            CompletableFuture<JoinGroupResponseData> first = delayed.send(ApiKeys.JOIN_GROUP, 9, join("g", a.memberId()));
            CompletableFuture<JoinGroupResponseData> second = delayed.send(ApiKeys.JOIN_GROUP, 9, join("g", b.memberId()));

            assertThat(first.join().generationId()).isEqualTo(1);
            assertThat(second.join().generationId()).isEqualTo(1);
            assertThat(first.join().members()).hasSize(2);
        }
    }
}

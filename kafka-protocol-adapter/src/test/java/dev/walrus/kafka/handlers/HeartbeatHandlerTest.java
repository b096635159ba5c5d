package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.ClassicMembers;
import dev.walrus.kafka.group.GroupFixture;
import org.apache.kafka.common.message.HeartbeatResponseData;
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
import static dev.walrus.kafka.group.GroupRequests.sync;
import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatHandlerTest {

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

    private Errors beat(String group, String member, int generation) {
        HeartbeatResponseData response = broker.call(ApiKeys.HEARTBEAT, 4, heartbeat(group, member, generation));
        return Errors.forCode(response.errorCode());
    }

    @Test
    void shouldAcceptAHeartbeatOfAStableMember() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");

        assertThat(beat("g", member.memberId(), 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldRejectAHeartbeatOfAnOldGeneration() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");

        assertThat(beat("g", member.memberId(), 7)).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void shouldRejectAHeartbeatOfAnUnknownMemberOrGroup() {
        ClassicMembers.stableSingleMember(broker, "g");

        assertThat(beat("g", "ghost", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(beat("nobody", "ghost", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldAskMembersToRejoinDuringARebalance() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");
        JoinGroupResponseData required = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", ""));
        broker.send(ApiKeys.JOIN_GROUP, 9, join("g", required.memberId()));

        assertThat(beat("g", member.memberId(), 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void shouldExpireAMemberThatStopsHeartbeatingAndRebalanceTheOthers() throws Exception {
        JoinGroupResponseData quiet = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", "").setSessionTimeoutMs(300));
        quiet = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", quiet.memberId()).setSessionTimeoutMs(300));
        broker.call(ApiKeys.SYNC_GROUP, 5, sync("g", quiet.memberId(), 1, Map.of()));
        JoinGroupResponseData required = broker.call(ApiKeys.JOIN_GROUP, 9, join("g", ""));
        CompletableFuture<JoinGroupResponseData> survivor = broker.send(ApiKeys.JOIN_GROUP, 9,
                join("g", required.memberId()).setRebalanceTimeoutMs(60_000));

        // The quiet member never rejoins: the rebalance completes without it once its session has expired.
        JoinGroupResponseData joined = survivor.get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.generationId()).isEqualTo(2);
        assertThat(joined.leader()).isEqualTo(required.memberId());
        assertThat(joined.members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
                .containsExactly(required.memberId());
        assertThat(beat("g", quiet.memberId(), 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }
}

package dev.walrus.kafka.group;

import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.walrus.kafka.group.GroupRequests.commit;
import static dev.walrus.kafka.group.GroupRequests.consumerHeartbeat;
import static dev.walrus.kafka.group.GroupRequests.consumerJoin;
import static dev.walrus.kafka.group.GroupRequests.decodeAssignment;
import static dev.walrus.kafka.group.GroupRequests.fetch;
import static dev.walrus.kafka.group.GroupRequests.heartbeat;
import static dev.walrus.kafka.group.GroupRequests.join;
import static dev.walrus.kafka.group.GroupRequests.sync;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the online migration between the classic and the consumer protocol (KIP-848, Kafka 4.4's
 * GroupMetadataManager), request by request through the adapter: frames encoded from kafka-clients' generated
 * message classes, answers parsed back by kafka-clients.
 */
class GroupProtocolMigrationAdapterTest {

    private static final String GROUP = "g";

    @TempDir
    Path dir;
    AdapterHarness broker;
    TopicInfo orders;

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close();
        }
    }

    private void open(Map<String, String> properties) {
        broker = new AdapterHarness(dir, properties);
        orders = broker.createTopic("orders", 6);
    }

    private void open() {
        open(Map.of());
    }

    @SuppressWarnings("unchecked")
    private <T extends ApiMessage> T call(ApiKeys key, int version, ApiMessage body) {
        AbstractResponse response = broker.send(key, (short) version, body);
        return (T) response.data();
    }

    /** A classic member joined and synced alone: Stable at generation 1, owning every partition of "orders". */
    private JoinGroupResponseData stableClassicMember(String protocolType, byte[] assignment) {
        JoinGroupRequestData request = join(GROUP, "").setProtocolType(protocolType);
        JoinGroupResponseData first = call(ApiKeys.JOIN_GROUP, 9, request);
        JoinGroupResponseData joined = call(ApiKeys.JOIN_GROUP, 9, request.setMemberId(first.memberId()));
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        SyncGroupResponseData synced = call(ApiKeys.SYNC_GROUP, 5, sync(GROUP, joined.memberId(), joined.generationId(),
                Map.of(joined.memberId(), assignment)));
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        return joined;
    }

    private JoinGroupResponseData stableClassicMember() {
        return stableClassicMember("consumer", allOrders(null));
    }

    private static byte[] allOrders(ByteBuffer userData) {
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            all.add(new TopicPartition("orders", p));
        }
        return Utils.toArray(ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(all, userData)));
    }

    private ConsumerGroupHeartbeatResponseData consumerHeartbeatCall(ConsumerGroupHeartbeatRequestData request) {
        return call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1, request);
    }

    private ConsumerGroupDescribeResponseData.DescribedGroup describeConsumerGroup() {
        ConsumerGroupDescribeResponseData response = call(ApiKeys.CONSUMER_GROUP_DESCRIBE, 1,
                new ConsumerGroupDescribeRequestData().setGroupIds(List.of(GROUP)));
        return response.groups().getFirst();
    }

    private ConsumerGroupDescribeResponseData.Member describedMember(String memberId) {
        return describeConsumerGroup().members().stream().filter(m -> m.memberId().equals(memberId)).findFirst()
                .orElseThrow(() -> new AssertionError("no member " + memberId + " in " + describeConsumerGroup()));
    }

    private ListGroupsResponseData.ListedGroup listed() {
        ListGroupsResponseData response = call(ApiKeys.LIST_GROUPS, 5, new ListGroupsRequestData());
        return response.groups().stream().filter(g -> g.groupId().equals(GROUP)).findFirst().orElseThrow();
    }

    private static List<Integer> partitions(ConsumerGroupHeartbeatResponseData response) {
        List<Integer> all = new ArrayList<>();
        response.assignment().topicPartitions().forEach(tp -> all.addAll(tp.partitions()));
        return all;
    }

    private static List<Integer> partitions(byte[] classicAssignment) {
        return decodeAssignment(classicAssignment).stream().map(TopicPartition::partition).sorted().toList();
    }

    /** A classic member that joins a consumer group, with its KIP-394 round trip. */
    private JoinGroupResponseData classicJoinsConsumerGroup() {
        JoinGroupResponseData required = call(ApiKeys.JOIN_GROUP, 9, join(GROUP, ""));
        assertThat(Errors.forCode(required.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        return call(ApiKeys.JOIN_GROUP, 9, join(GROUP, required.memberId()));
    }

    // ---- upgrade ------------------------------------------------------------------------------------------------------

    @Test
    void shouldUpgradeAClassicGroupKeepingTheClassicMemberAtItsGenerationWithItsPartitions() {
        open();
        JoinGroupResponseData classic = stableClassicMember();

        ConsumerGroupHeartbeatResponseData modern = consumerHeartbeatCall(consumerJoin(GROUP, "m-2", "orders"));

        assertThat(Errors.forCode(modern.errorCode())).isEqualTo(Errors.NONE);
        assertThat(modern.memberEpoch()).isEqualTo(2); // the classic generation 1 became the group epoch, then bumped
        assertThat(partitions(modern)).isEmpty(); // its partitions are still the classic member's
        assertThat(listed().groupType()).isEqualTo("consumer");
        ConsumerGroupDescribeResponseData.Member described = describedMember(classic.memberId());
        assertThat(described.memberType()).isEqualTo((byte) 0);
        assertThat(described.memberEpoch()).isEqualTo(1);
        assertThat(described.assignment().topicPartitions().getFirst().partitions()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(describedMember("m-2").memberType()).isEqualTo((byte) 1);
    }

    @Test
    void shouldAskTheClassicMemberToRejoinAndHandItsShareThroughJoinAndSyncThenReleaseTheRest() {
        open();
        JoinGroupResponseData classic = stableClassicMember();
        consumerHeartbeatCall(consumerJoin(GROUP, "m-2", "orders"));

        HeartbeatResponseData beat = call(ApiKeys.HEARTBEAT, 4, heartbeat(GROUP, classic.memberId(), 1));
        assertThat(Errors.forCode(beat.errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        // an eager client gave everything up before rejoining: it owns nothing
        JoinGroupResponseData rejoined = call(ApiKeys.JOIN_GROUP, 9, join(GROUP, classic.memberId()));
        assertThat(Errors.forCode(rejoined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(rejoined.generationId()).isEqualTo(2);
        assertThat(rejoined.protocolType()).isEqualTo("consumer");
        assertThat(rejoined.protocolName()).isEqualTo("range");
        assertThat(rejoined.leader()).isEmpty(); // nobody assigns on the client side: the member syncs as a follower
        assertThat(rejoined.members()).isEmpty();

        SyncGroupResponseData synced = call(ApiKeys.SYNC_GROUP, 5, sync(GROUP, classic.memberId(), 2, Map.of())
                .setProtocolType("consumer").setProtocolName("range"));
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        List<Integer> classicShare = partitions(synced.assignment());
        assertThat(classicShare).hasSize(3);

        ConsumerGroupHeartbeatResponseData modern = consumerHeartbeatCall(consumerHeartbeat(GROUP, "m-2", 2, Map.of()));
        assertThat(partitions(modern)).hasSize(3).doesNotContainAnyElementsOf(classicShare);
        assertThat(Errors.forCode(((HeartbeatResponseData) call(ApiKeys.HEARTBEAT, 4, heartbeat(GROUP, classic.memberId(), 2)))
                .errorCode())).isEqualTo(Errors.NONE);
        assertThat(describeConsumerGroup().groupState()).isEqualTo("Stable");
    }

    @Test
    void shouldKeepCommittedOffsetsAcrossTheUpgradeAndCheckTheClassicMembersGeneration() {
        open();
        JoinGroupResponseData classic = stableClassicMember();
        OffsetCommitResponseData before = call(ApiKeys.OFFSET_COMMIT, 8, commit(GROUP, classic.memberId(), 1, "orders", 0, 42));
        assertThat(Errors.forCode(before.topics().getFirst().partitions().getFirst().errorCode())).isEqualTo(Errors.NONE);

        consumerHeartbeatCall(consumerJoin(GROUP, "m-2", "orders"));

        OffsetFetchResponseData fetched = call(ApiKeys.OFFSET_FETCH, 8, fetch(GROUP, "orders", 0));
        assertThat(fetched.groups().getFirst().topics().getFirst().partitions().getFirst().committedOffset()).isEqualTo(42);
        // a classic member of a consumer group may commit with the classic versions and its generation
        OffsetCommitResponseData same = call(ApiKeys.OFFSET_COMMIT, 8, commit(GROUP, classic.memberId(), 1, "orders", 1, 7));
        assertThat(Errors.forCode(same.topics().getFirst().partitions().getFirst().errorCode())).isEqualTo(Errors.NONE);
        OffsetCommitResponseData newer = call(ApiKeys.OFFSET_COMMIT, 9, commit(GROUP, classic.memberId(), 5, "orders", 1, 8));
        assertThat(Errors.forCode(newer.topics().getFirst().partitions().getFirst().errorCode())).isEqualTo(Errors.ILLEGAL_GENERATION);
        // a consumer-protocol member still needs version 9
        OffsetCommitResponseData old = call(ApiKeys.OFFSET_COMMIT, 8, commit(GROUP, "m-2", 2, "orders", 1, 8));
        assertThat(Errors.forCode(old.topics().getFirst().partitions().getFirst().errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
    }

    @Test
    void shouldRefuseToUpgradeAGroupWhoseMembersDoNotUseTheConsumerProtocolType() {
        open();
        stableClassicMember("connect", new byte[0]);

        ConsumerGroupHeartbeatResponseData refused = consumerHeartbeatCall(consumerJoin(GROUP, "m-2", "orders"));

        assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(refused.errorMessage()).isEqualTo("Cannot upgrade classic group g to consumer group because the group "
                + "does not use the consumer embedded protocol.");
        assertThat(listed().groupType()).isEqualTo("classic");
    }

    @Test
    void shouldRefuseToUpgradeAGroupWhoseAssignorKeepsUserData() {
        open();
        stableClassicMember("consumer", allOrders(ByteBuffer.wrap(new byte[] {1, 2, 3})));

        ConsumerGroupHeartbeatResponseData refused = consumerHeartbeatCall(consumerJoin(GROUP, "m-2", "orders"));

        assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(refused.errorMessage()).startsWith("Cannot upgrade classic group g to consumer group because an "
                + "unsupported custom assignor is in use.");
    }

    @Test
    void shouldRefuseToUpgradeAGroupLargerThanTheConsumerGroupMaximum() {
        open(Map.of("group.consumer.max.size", "1"));
        JoinGroupResponseData first = stableClassicMember();
        JoinGroupResponseData required = call(ApiKeys.JOIN_GROUP, 9, join(GROUP, ""));
        var second = broker.sendAsync(ApiKeys.JOIN_GROUP, (short) 9, join(GROUP, required.memberId()));
        JoinGroupResponseData rejoined = call(ApiKeys.JOIN_GROUP, 9, join(GROUP, first.memberId()));
        assertThat(Errors.forCode(rejoined.errorCode())).isEqualTo(Errors.NONE);
        AdapterHarness.await(second); // two members in generation 2

        ConsumerGroupHeartbeatResponseData refused = consumerHeartbeatCall(consumerJoin(GROUP, "m-3", "orders"));

        assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(refused.errorMessage()).isEqualTo("Cannot upgrade classic group g to consumer group because the group "
                + "size exceeds the consumer group maximum size.");
    }

    @Test
    void shouldLeaveTheClassicGroupAsItIsWhenTheUpgradedGroupWouldBeFull() {
        open(Map.of("group.consumer.max.size", "1"));
        JoinGroupResponseData classic = stableClassicMember();

        ConsumerGroupHeartbeatResponseData refused = consumerHeartbeatCall(consumerJoin(GROUP, "m-2", "orders"));

        assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        assertThat(listed().groupType()).isEqualTo("classic");
        HeartbeatResponseData beat = call(ApiKeys.HEARTBEAT, 4, heartbeat(GROUP, classic.memberId(), 1));
        assertThat(Errors.forCode(beat.errorCode())).isEqualTo(Errors.NONE);
    }

    // ---- classic members of a consumer group --------------------------------------------------------------------------

    @Test
    void shouldAdmitAClassicMemberIntoAConsumerGroupAndRejectProtocolsItCannotServe() {
        open();
        consumerHeartbeatCall(consumerJoin(GROUP, "m-1", "orders"));

        JoinGroupResponseData connect = call(ApiKeys.JOIN_GROUP, 9, join(GROUP, "").setProtocolType("connect"));
        assertThat(Errors.forCode(connect.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

        JoinGroupResponseData joined = classicJoinsConsumerGroup();
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.generationId()).isEqualTo(2);
        assertThat(describedMember(joined.memberId()).memberType()).isEqualTo((byte) 0);
        assertThat(describedMember(joined.memberId()).subscribedTopicNames()).containsExactly("orders");

        // a SyncGroup naming another protocol than the one its JoinGroup answer named is inconsistent
        SyncGroupResponseData wrongName = call(ApiKeys.SYNC_GROUP, 5, sync(GROUP, joined.memberId(), 2, Map.of())
                .setProtocolType("consumer").setProtocolName("roundrobin"));
        assertThat(Errors.forCode(wrongName.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        SyncGroupResponseData wrongGeneration = call(ApiKeys.SYNC_GROUP, 5, sync(GROUP, joined.memberId(), 1, Map.of()));
        assertThat(Errors.forCode(wrongGeneration.errorCode())).isEqualTo(Errors.ILLEGAL_GENERATION);
        // the consumer-protocol member is not a classic member: classic heartbeats do not know it
        HeartbeatResponseData notClassic = call(ApiKeys.HEARTBEAT, 4, heartbeat(GROUP, "m-1", 1));
        assertThat(Errors.forCode(notClassic.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldExpireAClassicMemberOfAConsumerGroupAfterItsOwnSessionTimeout() throws InterruptedException {
        open(Map.of("group.min.session.timeout.ms", "100"));
        consumerHeartbeatCall(consumerJoin(GROUP, "m-1", "orders"));
        JoinGroupResponseData required = call(ApiKeys.JOIN_GROUP, 9, join(GROUP, "").setSessionTimeoutMs(300));
        JoinGroupResponseData classic = call(ApiKeys.JOIN_GROUP, 9, join(GROUP, required.memberId()).setSessionTimeoutMs(300));
        assertThat(describeConsumerGroup().members()).hasSize(2);

        // its JoinGroup's 300 ms, not the consumer protocol's 45 s: it is gone long before the other member
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (describeConsumerGroup().members().size() == 2 && System.nanoTime() < deadline) {
            consumerHeartbeatCall(consumerHeartbeat(GROUP, "m-1", describedMember("m-1").memberEpoch(), Map.of()));
            Thread.sleep(50);
        }
        assertThat(describeConsumerGroup().members()).extracting(ConsumerGroupDescribeResponseData.Member::memberId)
                .containsExactly("m-1");
        HeartbeatResponseData late = call(ApiKeys.HEARTBEAT, 4, heartbeat(GROUP, classic.memberId(), classic.generationId()));
        assertThat(Errors.forCode(late.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    // ---- downgrade ----------------------------------------------------------------------------------------------------

    @Test
    void shouldDowngradeToAClassicGroupThatRebalancesWhenTheLastConsumerProtocolMemberLeaves() {
        open();
        consumerHeartbeatCall(consumerJoin(GROUP, "m-1", "orders"));
        JoinGroupResponseData classic = classicJoinsConsumerGroup();
        int generation = classic.generationId();

        ConsumerGroupHeartbeatResponseData left = consumerHeartbeatCall(new ConsumerGroupHeartbeatRequestData()
                .setGroupId(GROUP).setMemberId("m-1").setMemberEpoch(-1));

        assertThat(Errors.forCode(left.errorCode())).isEqualTo(Errors.NONE);
        assertThat(listed().groupType()).isEqualTo("classic");
        DescribeGroupsResponseData described = call(ApiKeys.DESCRIBE_GROUPS, 5,
                new DescribeGroupsRequestData().setGroups(List.of(GROUP)));
        assertThat(described.groups().getFirst().groupState()).isEqualTo("PreparingRebalance");
        assertThat(described.groups().getFirst().members()).extracting(DescribeGroupsResponseData.DescribedGroupMember::memberId)
                .containsExactly(classic.memberId());
        // the classic group starts at the consumer group's epoch, which the classic member's join had reached
        HeartbeatResponseData beat = call(ApiKeys.HEARTBEAT, 4, heartbeat(GROUP, classic.memberId(), generation));
        assertThat(Errors.forCode(beat.errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        JoinGroupResponseData rejoined = call(ApiKeys.JOIN_GROUP, 9, join(GROUP, classic.memberId()));
        assertThat(Errors.forCode(rejoined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(rejoined.leader()).isEqualTo(classic.memberId()); // the classic rules are back: it assigns itself
        assertThat(rejoined.generationId()).isGreaterThan(generation);
    }

    @Test
    void shouldDowngradeWhenAClassicStaticMemberReplacesTheLastConsumerProtocolMember() {
        open();
        ConsumerGroupHeartbeatResponseData modern = consumerHeartbeatCall(consumerJoin(GROUP, "m-1", "orders").setInstanceId("i-1"));
        JoinGroupResponseData classic = call(ApiKeys.JOIN_GROUP, 9, join(GROUP, "").setGroupInstanceId("i-2"));
        assertThat(Errors.forCode(classic.errorCode())).isEqualTo(Errors.NONE);
        call(ApiKeys.SYNC_GROUP, 5, sync(GROUP, classic.memberId(), classic.generationId(), Map.of()).setGroupInstanceId("i-2"));
        // m-1 gives up what it must and settles on its share, then leaves for a moment (static: it keeps it)
        List<Integer> share = partitions(consumerHeartbeatCall(consumerHeartbeat(GROUP, "m-1", modern.memberEpoch(),
                Map.of(orders.id(), List.of(0, 1, 2, 3, 4, 5)))));
        ConsumerGroupHeartbeatResponseData settled = consumerHeartbeatCall(consumerHeartbeat(GROUP, "m-1",
                modern.memberEpoch(), Map.of(orders.id(), share)));
        int epoch = settled.memberEpoch();
        consumerHeartbeatCall(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId("m-1")
                .setInstanceId("i-1").setMemberEpoch(-2));

        JoinGroupResponseData replacing = call(ApiKeys.JOIN_GROUP, 9, join(GROUP, "").setGroupInstanceId("i-1"));

        assertThat(Errors.forCode(replacing.errorCode())).isEqualTo(Errors.NONE);
        assertThat(replacing.generationId()).isEqualTo(epoch);
        assertThat(listed().groupType()).isEqualTo("classic");
        DescribeGroupsResponseData described = call(ApiKeys.DESCRIBE_GROUPS, 5,
                new DescribeGroupsRequestData().setGroups(List.of(GROUP)));
        assertThat(described.groups().getFirst().groupState()).isEqualTo("Stable"); // same subscription: no rebalance
        SyncGroupResponseData synced = call(ApiKeys.SYNC_GROUP, 5, sync(GROUP, replacing.memberId(), epoch, Map.of())
                .setGroupInstanceId("i-1").setProtocolType("consumer").setProtocolName("range"));
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        assertThat(partitions(synced.assignment())).containsExactlyInAnyOrderElementsOf(share);
    }

    @Test
    void shouldStayAConsumerGroupWhenTheLastConsumerProtocolMemberLeavesAndDowngradesAreNotAllowed() {
        open(Map.of("group.consumer.migration.policy", "upgrade"));
        consumerHeartbeatCall(consumerJoin(GROUP, "m-1", "orders"));
        classicJoinsConsumerGroup();

        consumerHeartbeatCall(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId("m-1").setMemberEpoch(-1));

        assertThat(listed().groupType()).isEqualTo("consumer");
        assertThat(describeConsumerGroup().members()).hasSize(1);
    }

    @Test
    void shouldLetAClassicMemberLeaveAConsumerGroup() {
        open();
        consumerHeartbeatCall(consumerJoin(GROUP, "m-1", "orders"));
        JoinGroupResponseData classic = classicJoinsConsumerGroup();

        LeaveGroupResponseData left = call(ApiKeys.LEAVE_GROUP, 5, new LeaveGroupRequestData().setGroupId(GROUP)
                .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(classic.memberId()),
                        new LeaveGroupRequestData.MemberIdentity().setMemberId("nobody"))));

        assertThat(left.members()).extracting(m -> Errors.forCode(m.errorCode()))
                .containsExactly(Errors.NONE, Errors.UNKNOWN_MEMBER_ID);
        assertThat(listed().groupType()).isEqualTo("consumer");
        assertThat(describeConsumerGroup().members()).extracting(ConsumerGroupDescribeResponseData.Member::memberId)
                .containsExactly("m-1");
    }

    // ---- policy -------------------------------------------------------------------------------------------------------

    @Test
    void shouldRefuseBothDirectionsWhenMigrationIsDisabled() {
        open(Map.of("group.consumer.migration.policy", "disabled"));
        stableClassicMember();

        ConsumerGroupHeartbeatResponseData upgrade = consumerHeartbeatCall(consumerJoin(GROUP, "m-2", "orders"));
        assertThat(Errors.forCode(upgrade.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(upgrade.errorMessage()).isEqualTo(
                "Cannot upgrade classic group g to consumer group because online upgrade is disabled.");

        consumerHeartbeatCall(consumerJoin("other", "m-1", "orders"));
        JoinGroupResponseData classicJoin = call(ApiKeys.JOIN_GROUP, 9, join("other", ""));
        assertThat(Errors.forCode(classicJoin.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    // ---- restart ------------------------------------------------------------------------------------------------------

    @Test
    void shouldKeepAMixedGroupAcrossARestart() {
        open();
        consumerHeartbeatCall(consumerJoin(GROUP, "m-1", "orders"));
        JoinGroupResponseData classic = classicJoinsConsumerGroup();
        SyncGroupResponseData synced = call(ApiKeys.SYNC_GROUP, 5, sync(GROUP, classic.memberId(), classic.generationId(), Map.of()));
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);

        broker.restart();

        assertThat(listed().groupType()).isEqualTo("consumer");
        assertThat(describedMember(classic.memberId()).memberType()).isEqualTo((byte) 0);
        assertThat(describedMember("m-1").memberType()).isEqualTo((byte) 1);
        HeartbeatResponseData beat = call(ApiKeys.HEARTBEAT, 4, heartbeat(GROUP, classic.memberId(), classic.generationId()));
        assertThat(Errors.forCode(beat.errorCode())).isIn(Errors.NONE, Errors.REBALANCE_IN_PROGRESS);
        // its classic protocols survived: a SyncGroup is answered in the protocol its JoinGroup named
        SyncGroupResponseData again = call(ApiKeys.SYNC_GROUP, 5, sync(GROUP, classic.memberId(), classic.generationId(), Map.of())
                .setProtocolType("consumer").setProtocolName("range"));
        assertThat(Errors.forCode(again.errorCode())).isIn(Errors.NONE, Errors.REBALANCE_IN_PROGRESS);
    }
}

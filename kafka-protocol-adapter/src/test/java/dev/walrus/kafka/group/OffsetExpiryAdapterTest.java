package dev.walrus.kafka.group;

import dev.walrus.kafka.group.classic.ClassicGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static dev.walrus.kafka.group.GroupRequests.commit;
import static dev.walrus.kafka.group.GroupRequests.consumerJoin;
import static dev.walrus.kafka.group.GroupRequests.fetch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The offset retention check wired into the coordinator, on a real engine: with a retention of 1 ms every offset
 * nothing holds on to expires at the next check (every 20 ms), so these tests wait for checks, never for a retention.
 */
class OffsetExpiryAdapterTest {

    /** Far longer than any check needs: reaching it is a failure, not slowness. */
    private static final long GIVE_UP_MS = 10_000;

    @TempDir
    Path dir;
    GroupFixture broker;

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close();
        }
    }

    private void open(Map<String, String> properties) {
        broker = GroupFixture.open(dir, properties);
        broker.topics().create("orders", 1);
        broker.topics().create("payments", 1);
    }

    private void openExpiringAtOnce() {
        open(Map.of("offsets.retention.check.interval.ms", "20", "walrus.offsets.retention.ms", "1"));
    }

    private long committed(String group, String topic) {
        OffsetFetchResponseData response = broker.call(ApiKeys.OFFSET_FETCH, 8, fetch(group, topic, 0));
        return response.groups().getFirst().topics().getFirst().partitions().getFirst().committedOffset();
    }

    private List<String> listedGroups() {
        ListGroupsResponseData listed = broker.call(ApiKeys.LIST_GROUPS, 4, new ListGroupsRequestData());
        return listed.groups().stream().map(ListGroupsResponseData.ListedGroup::groupId).toList();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + GIVE_UP_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("still waiting for: " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private long stateTimestampOf(String groupId) {
        return broker.module().coordinator().onGroupThread(groups ->
                CompletableFuture.completedFuture(((ClassicGroup) groups.get(groupId)).stateTimestampMs())).join();
    }

    @Test
    void shouldRemoveAnExpiredSimpleGroupWithItsOffsetsAndKeepItGoneAfterARestart() throws Exception {
        openExpiringAtOnce();
        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("simple", "", -1, "orders", 0, 5));
        assertThat(response.topics().getFirst().partitions().getFirst().errorCode()).isEqualTo(Errors.NONE.code());

        await("the simple group to be removed", () -> !listedGroups().contains("simple"));

        assertThat(committed("simple", "orders")).isEqualTo(-1);
        assertThat(broker.engine().readerNames(broker.topics().byName("orders").orElseThrow().engineTopic(0)))
                .doesNotContain("group:simple");
        broker.restart();
        assertThat(listedGroups()).doesNotContain("simple");
        assertThat(committed("simple", "orders")).isEqualTo(-1);
    }

    @Test
    void shouldExpireTheOffsetsOfATopicALiveGroupDoesNotReadAndKeepThoseOfTheTopicItReads() throws Exception {
        openExpiringAtOnce();
        ConsumerGroupHeartbeatResponseData member = broker.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1,
                consumerJoin("g", "m-1", "orders"));
        broker.call(ApiKeys.OFFSET_COMMIT, 9, commit("g", "m-1", member.memberEpoch(), "orders", 0, 7));
        broker.call(ApiKeys.OFFSET_COMMIT, 9, commit("g", "m-1", member.memberEpoch(), "payments", 0, 9));

        await("the offset of payments to expire", () -> committed("g", "payments") == -1);

        assertThat(committed("g", "orders")).isEqualTo(7);
        assertThat(listedGroups()).contains("g");
    }

    @Test
    void shouldExpireAnOffsetCommittedWithARetentionTimeOfItsOwnAtItsExpireTimestamp() throws Exception {
        open(Map.of("offsets.retention.check.interval.ms", "20")); // the broker's retention: Kafka's 7 days
        broker.call(ApiKeys.OFFSET_COMMIT, 2, commit("short", "", -1, "orders", 0, 5).setRetentionTimeMs(1));
        broker.call(ApiKeys.OFFSET_COMMIT, 2, commit("long", "", -1, "orders", 0, 6).setRetentionTimeMs(3_600_000));
        broker.call(ApiKeys.OFFSET_COMMIT, 2, commit("plain", "", -1, "orders", 0, 7));

        await("the offset committed with 1 ms of retention to expire", () -> !listedGroups().contains("short"));

        assertThat(committed("short", "orders")).isEqualTo(-1);
        assertThat(committed("long", "orders")).isEqualTo(6);
        assertThat(committed("plain", "orders")).isEqualTo(7);
    }

    @Test
    void shouldKeepWhenAClassicGroupBecameEmptyAcrossARestart() {
        open(Map.of());
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");
        broker.call(ApiKeys.LEAVE_GROUP, 0, new LeaveGroupRequestData().setGroupId("g").setMemberId(member.memberId()));
        DescribeGroupsResponseData described = broker.call(ApiKeys.DESCRIBE_GROUPS, 5,
                new DescribeGroupsRequestData().setGroups(List.of("g")));
        assertThat(described.groups().getFirst().groupState()).isEqualTo("Empty");
        long emptySince = stateTimestampOf("g");

        broker.restart();

        assertThat(emptySince).isNotEqualTo(ClassicGroup.UNKNOWN_TIMESTAMP);
        assertThat(stateTimestampOf("g")).isEqualTo(emptySince);
    }
}

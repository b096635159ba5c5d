package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** DescribeShareGroupOffsets, AlterShareGroupOffsets and DeleteShareGroupOffsets: their group and topic ladders. */
class ShareGroupOffsetsHandlersTest {

    @TempDir
    Path dir;
    AdapterHarness broker;

    @AfterEach
    void close() {
        broker.close();
    }

    private void open(Map<String, String> properties) {
        broker = new AdapterHarness(dir, properties);
        broker.actAs("admin"); // the super user where an authorizer is configured
        broker.createTopic("orders", 2);
    }

    @SuppressWarnings("unchecked")
    private <T extends ApiMessage> T call(ApiKeys key, int version, ApiMessage request) {
        return (T) broker.send(key, (short) version, request).data();
    }

    private DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup describe(String group, String topic) {
        DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup g =
                new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup().setGroupId(group)
                        .setTopics(topic == null ? null : List.of(new DescribeShareGroupOffsetsRequestData
                                .DescribeShareGroupOffsetsRequestTopic().setTopicName(topic).setPartitions(List.of(0, 1))));
        DescribeShareGroupOffsetsResponseData response = call(ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, 1,
                new DescribeShareGroupOffsetsRequestData().setGroups(List.of(g)));
        return response.groups().getFirst();
    }

    private AlterShareGroupOffsetsResponseData alter(String group, String topic, long offset) {
        AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopicCollection topics =
                new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopicCollection();
        topics.add(new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic().setTopicName(topic)
                .setPartitions(List.of(new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestPartition()
                        .setPartitionIndex(0).setStartOffset(offset))));
        return call(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, 0, new AlterShareGroupOffsetsRequestData().setGroupId(group).setTopics(topics));
    }

    private DeleteShareGroupOffsetsResponseData delete(String group, String topic) {
        return call(ApiKeys.DELETE_SHARE_GROUP_OFFSETS, 0, new DeleteShareGroupOffsetsRequestData().setGroupId(group)
                .setTopics(List.of(new DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic().setTopicName(topic))));
    }

    @Test
    void shouldSetDescribeAndForgetTheStartOffsetsOfAnEmptyShareGroup() {
        open(Map.of());
        assertThat(describe("g", null).topics()).as("an unknown group has no share partitions").isEmpty();
        assertThat(Errors.forCode(delete("g", "orders").errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);

        AlterShareGroupOffsetsResponseData altered = alter("g", "orders", 7);
        assertThat(Errors.forCode(altered.errorCode())).isEqualTo(Errors.NONE);
        assertThat(altered.responses().iterator().next().partitions().getFirst().errorCode()).isZero();
        ListGroupsResponseData listed = call(ApiKeys.LIST_GROUPS, 5, new ListGroupsRequestData().setTypesFilter(List.of("share")));
        assertThat(listed.groups()).singleElement().satisfies(g -> assertThat(g.groupState()).isEqualTo("Empty"));

        var described = describe("g", "orders").topics().getFirst().partitions();
        assertThat(described.get(0).startOffset()).isEqualTo(7);
        assertThat(described.get(0).lag()).isZero();
        assertThat(described.get(1).startOffset()).as("never read").isEqualTo(-1);
        assertThat(described.get(1).lag()).isEqualTo(-1);

        assertThat(alter("g", "nope", 1).responses().iterator().next().partitions().getFirst().errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        DeleteShareGroupOffsetsResponseData deleted = delete("g", "orders");
        assertThat(Errors.forCode(deleted.errorCode())).isEqualTo(Errors.NONE);
        assertThat(deleted.responses().getFirst().errorCode()).isZero();
        assertThat(describe("g", null).topics()).isEmpty();
    }

    @Test
    void shouldRefuseGroupsWithMembersAndGroupsOfAnotherKind() {
        open(Map.of());
        call(ApiKeys.SHARE_GROUP_HEARTBEAT, 1, new ShareGroupHeartbeatRequestData().setGroupId("busy").setMemberId("m")
                .setMemberEpoch(0).setSubscribedTopicNames(List.of("orders")));
        assertThat(Errors.forCode(alter("busy", "orders", 0).errorCode())).isEqualTo(Errors.NON_EMPTY_GROUP);
        assertThat(Errors.forCode(delete("busy", "orders").errorCode())).isEqualTo(Errors.NON_EMPTY_GROUP);

        call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1, new ConsumerGroupHeartbeatRequestData().setGroupId("consumers")
                .setMemberId("c").setMemberEpoch(0).setRebalanceTimeoutMs(1000).setTopicPartitions(List.of())
                .setSubscribedTopicNames(List.of("orders")));
        assertThat(Errors.forCode(alter("consumers", "orders", 0).errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(Errors.forCode(describe("consumers", null).errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void shouldAuthorizeTheGroupFirst() {
        open(Map.of("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:admin"));
        broker.actAs("alice");
        assertThat(Errors.forCode(describe("g", null).errorCode())).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
        assertThat(Errors.forCode(alter("g", "orders", 0).errorCode())).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
        assertThat(Errors.forCode(delete("g", "orders").errorCode())).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
    }
}

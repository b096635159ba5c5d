package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShareGroupHeartbeatHandlerTest {

    @TempDir
    Path dir;
    AdapterHarness broker;
    TopicInfo orders;

    @BeforeEach
    void open() {
        broker = new AdapterHarness(dir);
        orders = broker.createTopic("orders", 2);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @SuppressWarnings("unchecked")
    private <T extends ApiMessage> T call(ApiKeys key, int version, ApiMessage request) {
        return (T) broker.send(key, (short) version, request).data();
    }

    private ShareGroupHeartbeatResponseData heartbeat(String group, String member, int epoch, List<String> topics) {
        return call(ApiKeys.SHARE_GROUP_HEARTBEAT, 1, new ShareGroupHeartbeatRequestData().setGroupId(group)
                .setMemberId(member).setMemberEpoch(epoch).setSubscribedTopicNames(topics));
    }

    private static List<Integer> partitions(ShareGroupHeartbeatResponseData response) {
        List<Integer> all = new ArrayList<>();
        response.assignment().topicPartitions().forEach(tp -> all.addAll(tp.partitions()));
        return all;
    }

    @Test
    void shouldShareEveryPartitionWithMoreMembersThanPartitions() {
        ShareGroupHeartbeatResponseData first = heartbeat("g", "m-1", 0, List.of("orders"));
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.NONE);
        assertThat(first.memberEpoch()).isEqualTo(1);
        assertThat(first.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(partitions(first)).containsExactlyInAnyOrder(0, 1);

        ShareGroupHeartbeatResponseData second = heartbeat("g", "m-2", 0, List.of("orders"));
        ShareGroupHeartbeatResponseData third = heartbeat("g", "m-3", 0, List.of("orders"));
        assertThat(third.memberEpoch()).isEqualTo(3);
        assertThat(heartbeat("g", "m-1", 1, null).memberEpoch()).isEqualTo(3);
        assertThat(heartbeat("g", "m-2", second.memberEpoch(), null).memberEpoch()).isEqualTo(3);
        ShareGroupDescribeResponseData described = call(ApiKeys.SHARE_GROUP_DESCRIBE, 1,
                new ShareGroupDescribeRequestData().setGroupIds(List.of("g")));
        // 3 members, 2 partitions: each partition read by 2 members, no member idle
        List<Integer> all = new ArrayList<>();
        described.groups().getFirst().members().forEach(m -> {
            List<Integer> mine = new ArrayList<>();
            m.assignment().topicPartitions().forEach(tp -> mine.addAll(tp.partitions()));
            assertThat(mine).as(m.memberId()).isNotEmpty();
            all.addAll(mine);
        });
        assertThat(all).hasSize(4);
        assertThat(all.stream().filter(p -> p == 0)).hasSize(2);
    }

    @Test
    void shouldFollowKafkasValidationLadder() {
        assertThat(heartbeat("g", "", 0, List.of("orders")).errorMessage()).isEqualTo("MemberId can't be empty.");
        assertThat(heartbeat("", "m", 0, List.of("orders")).errorMessage()).isEqualTo("GroupId can't be empty.");
        ShareGroupHeartbeatResponseData noTopics = heartbeat("g", "m", 0, null);
        assertThat(Errors.forCode(noTopics.errorCode())).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(noTopics.errorMessage()).isEqualTo("SubscribedTopicNames must be set in first request.");
        assertThat(heartbeat("g", "m", -2, null).errorMessage()).isEqualTo("MemberEpoch is invalid.");
        assertThat(Errors.forCode(heartbeat("missing", "m", 1, null).errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);

        heartbeat("g", "m", 0, List.of("orders"));
        assertThat(Errors.forCode(heartbeat("g", "other", 1, null).errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(heartbeat("g", "m", 5, null).errorCode())).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
    }

    @Test
    void shouldKeepShareAndConsumerGroupsApart() {
        heartbeat("shared-id", "m", 0, List.of("orders"));
        ConsumerGroupHeartbeatResponseData consumer = call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1,
                new ConsumerGroupHeartbeatRequestData().setGroupId("shared-id").setMemberId("c").setMemberEpoch(0)
                        .setRebalanceTimeoutMs(1000).setTopicPartitions(List.of()).setSubscribedTopicNames(List.of("orders")));
        assertThat(Errors.forCode(consumer.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(consumer.errorMessage()).isEqualTo("Group shared-id is not a consumer group.");

        call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1, new ConsumerGroupHeartbeatRequestData().setGroupId("consumers")
                .setMemberId("c").setMemberEpoch(0).setRebalanceTimeoutMs(1000).setTopicPartitions(List.of())
                .setSubscribedTopicNames(List.of("orders")));
        ShareGroupHeartbeatResponseData share = heartbeat("consumers", "m", 0, List.of("orders"));
        assertThat(Errors.forCode(share.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(share.errorMessage()).isEqualTo("Group consumers is not a share group.");

        ListGroupsResponseData listed = call(ApiKeys.LIST_GROUPS, 5, new ListGroupsRequestData().setTypesFilter(List.of("share")));
        assertThat(listed.groups()).singleElement().satisfies(g -> {
            assertThat(g.groupId()).isEqualTo("shared-id");
            assertThat(g.groupType()).isEqualTo("share");
            assertThat(g.protocolType()).isEqualTo("share");
            assertThat(g.groupState()).isEqualTo("Stable");
        });
    }

    @Test
    void shouldLeaveAndDescribeAndSurviveARestart() {
        heartbeat("g", "m-1", 0, List.of("orders"));
        heartbeat("g", "m-2", 0, List.of("orders"));
        ShareGroupHeartbeatResponseData left = heartbeat("g", "m-2", -1, null);
        assertThat(left.memberEpoch()).isEqualTo(-1);

        broker.restart();

        ShareGroupDescribeResponseData described = call(ApiKeys.SHARE_GROUP_DESCRIBE, 1,
                new ShareGroupDescribeRequestData().setGroupIds(List.of("g", "nope")));
        assertThat(described.groups().get(0).groupState()).isEqualTo("Stable");
        assertThat(described.groups().get(0).groupEpoch()).isEqualTo(3);
        assertThat(described.groups().get(0).assignorName()).isEqualTo("simple");
        assertThat(described.groups().get(0).members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo("m-1");
            assertThat(m.clientId()).isEqualTo(AdapterHarness.CLIENT_ID);
            assertThat(m.subscribedTopicNames()).containsExactly("orders");
        });
        assertThat(Errors.forCode(described.groups().get(1).errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(described.groups().get(1).errorMessage()).isEqualTo("Group nope not found.");

        // an empty id: INVALID_GROUP_ID without a message, as Kafka's GroupCoordinatorService answers it
        ShareGroupDescribeResponseData empty = call(ApiKeys.SHARE_GROUP_DESCRIBE, 1,
                new ShareGroupDescribeRequestData().setGroupIds(List.of("")));
        assertThat(empty.groups()).singleElement().satisfies(g -> {
            assertThat(g.groupId()).isEmpty();
            assertThat(Errors.forCode(g.errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
            assertThat(g.errorMessage()).isNull();
        });
        // the restored member heartbeats on at its epoch
        assertThat(Errors.forCode(heartbeat("g", "m-1", 1, null).errorCode())).isEqualTo(Errors.NONE);
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.ClassicMembers;
import dev.walrus.kafka.group.GroupFixture;
import dev.walrus.kafka.metadata.TopicInfo;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.walrus.kafka.group.GroupRequests.consumerJoin;
import static org.assertj.core.api.Assertions.assertThat;

class ConsumerGroupDescribeHandlerTest {

    @TempDir
    Path dir;
    GroupFixture broker;
    TopicInfo orders;

    @BeforeEach
    void open() {
        broker = GroupFixture.open(dir);
        orders = broker.topics().create("orders", 4);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    private DescribedGroup describe(String group) {
        ConsumerGroupDescribeResponseData response = broker.call(ApiKeys.CONSUMER_GROUP_DESCRIBE, 1,
                new ConsumerGroupDescribeRequestData().setGroupIds(List.of(group)));
        return response.groups().getFirst();
    }

    @Test
    void shouldDescribeEpochsMembersAndAssignments() {
        broker.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1, consumerJoin("g", "m-1", "orders"));

        DescribedGroup group = describe("g");

        assertThat(Errors.forCode(group.errorCode())).isEqualTo(Errors.NONE);
        assertThat(group.groupState()).isEqualTo("Stable");
        assertThat(group.groupEpoch()).isEqualTo(1);
        assertThat(group.assignmentEpoch()).isEqualTo(1);
        assertThat(group.assignorName()).isEqualTo("uniform");
        ConsumerGroupDescribeResponseData.Member member = group.members().getFirst();
        assertThat(member.memberId()).isEqualTo("m-1");
        assertThat(member.memberEpoch()).isEqualTo(1);
        assertThat(member.clientId()).isEqualTo("test-client");
        assertThat(member.subscribedTopicNames()).containsExactly("orders");
        assertThat(member.assignment().topicPartitions().getFirst().topicName()).isEqualTo("orders");
        assertThat(member.assignment().topicPartitions().getFirst().partitions()).containsExactly(0, 1, 2, 3);
        assertThat(member.targetAssignment().topicPartitions().getFirst().partitions()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void shouldShowAGroupReconcilingWhileAMemberStillRevokes() {
        broker.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1, consumerJoin("g", "m-1", "orders"));
        broker.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1, consumerJoin("g", "m-2", "orders"));

        assertThat(describe("g").groupState()).isEqualTo("Reconciling");
    }

    @Test
    void shouldReportAClassicOrUnknownGroupAsNotFound() {
        ClassicMembers.stableSingleMember(broker, "classic");

        assertThat(Errors.forCode(describe("classic").errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(Errors.forCode(describe("nobody").errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.ClassicMembers;
import dev.walrus.kafka.group.GroupFixture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.walrus.kafka.group.GroupRequests.commit;
import static dev.walrus.kafka.group.GroupRequests.fetch;
import static org.assertj.core.api.Assertions.assertThat;

class OffsetDeleteHandlerTest {

    @TempDir
    Path dir;
    GroupFixture broker;

    @BeforeEach
    void open() {
        broker = GroupFixture.open(dir);
        broker.topics().create("orders", 1);
        broker.topics().create("archive", 1);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    private OffsetDeleteResponseData deleteOffsets(String group, String topic) {
        OffsetDeleteRequestTopicCollection topics = new OffsetDeleteRequestTopicCollection();
        topics.add(new OffsetDeleteRequestTopic().setName(topic)
                .setPartitions(new ArrayList<>(List.of(new OffsetDeleteRequestPartition().setPartitionIndex(0)))));
        return broker.call(ApiKeys.OFFSET_DELETE, 0, new OffsetDeleteRequestData().setGroupId(group).setTopics(topics));
    }

    private static Errors partitionError(OffsetDeleteResponseData response, String topic) {
        return Errors.forCode(response.topics().find(topic).partitions().find(0).errorCode());
    }

    private long committed(String group, String topic) {
        OffsetFetchResponseData response = broker.call(ApiKeys.OFFSET_FETCH, 8, fetch(group, topic, 0));
        return response.groups().getFirst().topics().getFirst().partitions().getFirst().committedOffset();
    }

    @Test
    void shouldDeleteOffsetsOfATopicNoMemberSubscribesTo() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("g", member.memberId(), 1, "archive", 0, 3));

        OffsetDeleteResponseData response = deleteOffsets("g", "archive");

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(partitionError(response, "archive")).isEqualTo(Errors.NONE);
        assertThat(committed("g", "archive")).isEqualTo(-1);
    }

    @Test
    void shouldRefuseToDeleteOffsetsOfASubscribedTopic() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("g", member.memberId(), 1, "orders", 0, 3));

        OffsetDeleteResponseData response = deleteOffsets("g", "orders");

        assertThat(partitionError(response, "orders")).isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC);
        assertThat(committed("g", "orders")).isEqualTo(3);
    }

    @Test
    void shouldReportAnUnknownGroup() {
        OffsetDeleteResponseData response = deleteOffsets("nobody", "orders");

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void shouldReportAnUnknownTopic() {
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("simple", "", -1, "orders", 0, 3));

        OffsetDeleteResponseData response = deleteOffsets("simple", "missing");

        assertThat(partitionError(response, "missing")).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }
}

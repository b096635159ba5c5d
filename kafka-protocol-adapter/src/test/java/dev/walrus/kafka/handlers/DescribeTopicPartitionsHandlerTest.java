package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.MetadataHarness;
import dev.walrus.kafka.metadata.TopicInfo;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DescribeTopicPartitionsHandlerTest {

    @TempDir
    Path dir;

    private MetadataHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private TopicInfo create(String name, int partitions) {
        TopicInfo topic = harness.registry().create(name, partitions, Map.of(), false).value();
        harness.registry().durable().join();
        return topic;
    }

    private DescribeTopicPartitionsResponseData describe(int limit, DescribeTopicPartitionsRequestData.Cursor cursor, String... names) {
        DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData()
                .setResponsePartitionLimit(limit).setCursor(cursor);
        for (String name : names) {
            request.topics().add(new TopicRequest().setName(name));
        }
        return harness.call(request, (short) 0);
    }

    private static List<String> partitionsOf(DescribeTopicPartitionsResponseData response) {
        List<String> seen = new ArrayList<>();
        for (DescribeTopicPartitionsResponseTopic topic : response.topics()) {
            for (DescribeTopicPartitionsResponsePartition p : topic.partitions()) {
                seen.add(topic.name() + "-" + p.partitionIndex());
            }
        }
        return seen;
    }

    @Test
    void shouldDescribeTopicsInNameOrderWithThisNodeAsLeader() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 2);
        create("audit", 1);

        DescribeTopicPartitionsResponseData response = describe(2000, null, "orders", "audit");

        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("audit", "orders");
        DescribeTopicPartitionsResponseTopic topic = response.topics().find("orders");
        assertThat(topic.topicId()).isEqualTo(orders.id());
        assertThat(topic.topicAuthorizedOperations()).isEqualTo(3576);
        DescribeTopicPartitionsResponsePartition partition = topic.partitions().getFirst();
        assertThat(partition.leaderId()).isEqualTo(1);
        assertThat(partition.replicaNodes()).containsExactly(1);
        assertThat(partition.isrNodes()).containsExactly(1);
        assertThat(partition.eligibleLeaderReplicas()).isEmpty();
        assertThat(response.nextCursor()).isNull();
    }

    @Test
    void shouldDescribeEveryTopicForAnEmptyList() {
        harness = MetadataHarness.open(dir);
        create("b", 1);
        create("a", 1);

        DescribeTopicPartitionsResponseData response = describe(2000, null);

        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("a", "b");
    }

    @Test
    void shouldAnswerUnknownAndInvalidTopics() {
        harness = MetadataHarness.open(dir);

        DescribeTopicPartitionsResponseData response = describe(2000, null, "nosuch", "bad name");

        assertThat(response.topics().find("nosuch").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.topics().find("bad name").errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
    }

    @Test
    void shouldStopAtThePartitionLimitInsideATopicAndPointTheCursorThere() {
        harness = MetadataHarness.open(dir);
        create("a", 3);
        create("b", 1);

        DescribeTopicPartitionsResponseData response = describe(2, null);

        assertThat(partitionsOf(response)).containsExactly("a-0", "a-1");
        assertThat(response.nextCursor().topicName()).isEqualTo("a");
        assertThat(response.nextCursor().partitionIndex()).isEqualTo(2);
    }

    @Test
    void shouldPointTheCursorAtTheNextTopicWhenTheLimitEndsATopic() {
        harness = MetadataHarness.open(dir);
        create("a", 2);
        create("b", 1);

        DescribeTopicPartitionsResponseData response = describe(2, null);

        assertThat(partitionsOf(response)).containsExactly("a-0", "a-1");
        assertThat(response.nextCursor().topicName()).isEqualTo("b");
        assertThat(response.nextCursor().partitionIndex()).isZero();
    }

    @Test
    void shouldPageThroughEveryPartitionExactlyOnceFollowingTheCursor() {
        harness = MetadataHarness.open(dir);
        create("a", 3);
        create("b", 2);
        create("c", 4);

        List<String> seen = new ArrayList<>();
        DescribeTopicPartitionsRequestData.Cursor cursor = null;
        int pages = 0;
        do {
            DescribeTopicPartitionsResponseData page = describe(2, cursor);
            seen.addAll(partitionsOf(page));
            cursor = page.nextCursor() == null ? null : new DescribeTopicPartitionsRequestData.Cursor()
                    .setTopicName(page.nextCursor().topicName()).setPartitionIndex(page.nextCursor().partitionIndex());
            pages++;
        } while (cursor != null && pages < 20);

        assertThat(seen).containsExactly("a-0", "a-1", "a-2", "b-0", "b-1", "c-0", "c-1", "c-2", "c-3");
    }

    @Test
    void shouldTreatALimitBelowOneAsOne() {
        harness = MetadataHarness.open(dir);
        create("a", 2);

        DescribeTopicPartitionsResponseData response = describe(0, null);

        assertThat(partitionsOf(response)).containsExactly("a-0");
        assertThat(response.nextCursor().partitionIndex()).isEqualTo(1);
    }

    @Test
    void shouldCapTheLimitAtTheBrokersMaximum() {
        harness = MetadataHarness.open(dir, Map.of("max.request.partition.size.limit", "3"));
        create("a", 5);

        DescribeTopicPartitionsResponseData response = describe(2000, null);

        assertThat(partitionsOf(response)).hasSize(3);
        assertThat(response.nextCursor().partitionIndex()).isEqualTo(3);
    }

    @Test
    void shouldRefuseACursorOnATopicTheRequestDoesNotList() {
        harness = MetadataHarness.open(dir);
        create("a", 1);

        DescribeTopicPartitionsResponseData response = describe(2000,
                new DescribeTopicPartitionsRequestData.Cursor().setTopicName("z").setPartitionIndex(0), "a");

        assertThat(response.topics().find("a").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(response.topics().find("a").partitions()).isEmpty();
        assertThat(response.nextCursor()).isNull();
    }
}

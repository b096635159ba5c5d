package dev.walrus.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code __consumer_offsets} across a crash (a broker in its own process, SIGKILL): the acknowledged commits are
 * still in the topic and still what OffsetFetch answers, and a commit after the restart follows them in the topic.
 */
@Tag("slow")
class OffsetsTopicRestartTest {

    private static final long T = 30;
    private ChildBroker broker;

    @AfterEach
    void removeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldKeepAcknowledgedCommitsInTheTopicAcrossAKill() throws Exception {
        broker = ChildBroker.forCurrentTarget("offsets-topic-kill").start();
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "offsets-topic-kill", 2);
        String group = "offsets-topic-kill-" + UUID.randomUUID();
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(7, "before"))).all().get(T, TimeUnit.SECONDS);
            admin.alterConsumerGroupOffsets(group, Map.of(p1, new OffsetAndMetadata(9))).all().get(T, TimeUnit.SECONDS);
        }

        broker.kill();
        broker.start();

        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(T, TimeUnit.SECONDS))
                .as("committed offsets after kill -9")
                .isEqualTo(Map.of(p0, new OffsetAndMetadata(7, "before"), p1, new OffsetAndMetadata(9)));
            assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(T, TimeUnit.SECONDS))
                .contains(OffsetsTopicReader.OFFSETS_TOPIC);
            admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(11, "after"))).all().get(T, TimeUnit.SECONDS);

            List<OffsetsTopicReader.OffsetCommit> records =
                OffsetsTopicReader.offsetCommitsOf(broker.bootstrapServers(), admin, group);

            assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::partition).containsExactly(0, 1, 0);
            assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::offset).containsExactly(7L, 9L, 11L);
            assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::metadata).containsExactly("before", "", "after");
        }
    }
}

package dev.walrus.compat.share;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.walrus.compat.share.ShareFixtures.explicit;
import static dev.walrus.compat.share.ShareFixtures.fromEarliest;
import static dev.walrus.compat.share.ShareFixtures.pollCount;
import static dev.walrus.compat.share.ShareFixtures.produce;
import static dev.walrus.compat.share.ShareFixtures.shareConsumer;
import static dev.walrus.compat.share.ShareFixtures.shareOffsets;
import static dev.walrus.compat.share.ShareFixtures.values;
import static dev.walrus.compat.share.ShareFixtures.valuesOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Share groups across broker restarts (a broker in its own process): the group, its configs, its start offset and
 * its acknowledged records survive a graceful restart and a kill -9; records acquired but not acknowledged come back;
 * the dead-letter queue records of rejected records (KIP-1191) are kept, the rejected records stay archived.
 */
@Tag("slow")
class ShareGroupRestartTest extends OwnBrokerTest {

    @ParameterizedTest(name = "killed: {0}")
    @ValueSource(booleans = {false, true})
    void shouldKeepAcknowledgementsAndRedeliverAcquiredRecordsAfterARestart(boolean kill) throws Exception {
        broker = ChildBroker.forCurrentTarget("share-restart").start();
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "share-restart", 1);
        String group = "share-restart-" + UUID.randomUUID();
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, values("r-", 10));
        KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group, explicit());
        try {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = pollCount(consumer, 10);
            // 0-3 accepted (the start offset moves to 4), 6 accepted in the middle; the rest stays acquired
            for (ConsumerRecord<String, String> r : got) {
                if (r.offset() < 4 || r.offset() == 6) {
                    consumer.acknowledge(r);
                }
            }
            consumer.commitSync();
            if (kill) {
                broker.kill();
            } else {
                broker.stop();
            }
        } finally {
            // the broker is gone: the consumer cannot release what it holds, which stays acquired until the restart
            consumer.close(java.time.Duration.ZERO);
        }
        broker.start();
        try (Admin admin = Clients.admin(bootstrap)) {
            // the member that could not leave stays until its session times out, as in Kafka
            assertThat(admin.describeShareGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS)
                    .groupState()).isIn(GroupState.EMPTY, GroupState.STABLE);
            // 10 records, 0-3 and 6 acknowledged: 5 to go
            assertThat(shareOffsets(admin, group).get(new TopicPartition(topic, 0)).lag()).contains(5L);
        }
        try (KafkaShareConsumer<String, String> second = shareConsumer(bootstrap, group, explicit())) {
            second.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> again = pollCount(second, 5);
            assertThat(valuesOf(again)).containsExactly("r-4", "r-5", "r-7", "r-8", "r-9");
            again.forEach(second::acknowledge);
            second.commitSync();
        }
    }

    @ParameterizedTest(name = "killed: {0}")
    @ValueSource(booleans = {false, true})
    void shouldKeepTheDeadLetterQueueRecordsOfRejectedRecordsAfterARestart(boolean kill) throws Exception {
        broker = ChildBroker.forCurrentTarget("share-dlq-restart").start();
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "share-dlq-restart", 1);
        String dlq = "dlq.restart-" + UUID.randomUUID().toString().substring(0, 8);
        String group = "share-dlq-restart-" + UUID.randomUUID();
        try (Admin admin = Clients.admin(bootstrap)) {
            TestTopics.create(admin, dlq, 1, java.util.Map.of("errors.deadletterqueue.group.enable", "true"));
            ShareFixtures.setGroupConfig(admin, group, "share.auto.offset.reset", "earliest");
            ShareFixtures.setGroupConfig(admin, group, "errors.deadletterqueue.topic.name", dlq);
        }
        produce(bootstrap, topic, values("d-", 3));
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group, explicit())) {
            consumer.subscribe(List.of(topic));
            for (ConsumerRecord<String, String> r : pollCount(consumer, 3)) {
                consumer.acknowledge(r, org.apache.kafka.clients.consumer.AcknowledgeType.REJECT);
            }
            consumer.commitSync();
        }
        if (kill) {
            broker.kill();
        } else {
            broker.stop();
        }
        broker.start();

        // Kafka resumes a DLQ write its kill interrupted once the share partition is read again: a member reads it
        List<String> offsets = new java.util.ArrayList<>();
        List<ConsumerRecord<String, String>> redelivered = new java.util.ArrayList<>();
        try (KafkaShareConsumer<String, String> second = shareConsumer(bootstrap, group, explicit());
             var reader = Clients.consumer(bootstrap, java.util.Map.of("allow.auto.create.topics", false))) {
            second.subscribe(List.of(topic));
            TopicPartition tp = new TopicPartition(dlq, 0);
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
            while (offsets.size() < 3 && System.nanoTime() < deadline) {
                second.poll(java.time.Duration.ofMillis(200)).forEach(redelivered::add);
                reader.poll(java.time.Duration.ofMillis(200)).forEach(r -> offsets.add(
                        new String(r.headers().lastHeader("__dlq.errors.offset").value(), java.nio.charset.StandardCharsets.UTF_8)));
            }
            redelivered.addAll(ShareFixtures.pollFor(second, java.time.Duration.ofSeconds(2)));
        }
        assertThat(offsets).as("the DLQ records of the rejected records").containsExactlyInAnyOrder("0", "1", "2");
        assertThat(redelivered).as("still archived").isEmpty();
    }
}

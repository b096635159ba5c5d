package dev.walrus.compat.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.LazyFs;
import dev.walrus.compat.Records;
import dev.walrus.compat.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Transactions across a power cut (LazyFS drops every write not fsynced): each committed transaction is there whole,
 * with the group offsets it committed, and the transaction open at the cut is still open afterwards, its records and
 * its group offsets kept, so that its producer commits it, as README.md promises. Checks our broker only: Kafka on one
 * node does not fsync.
 */
@Tag("powerloss")
class TransactionPowerLossTest {

    private static final int TRANSACTIONS = 5;
    private static final int PER_TRANSACTION = 20;

    private LazyFs lazyFs;

    @BeforeEach
    void mountLazyFs() throws Exception {
        Assumptions.assumeTrue(CompatSettings.target() == CompatSettings.Target.EMBEDDED,
            "checks our broker's transaction durability and its restart behaviour, which differ from Kafka's");
        lazyFs = LazyFs.mount("512mb");
    }

    @AfterEach
    void unmount() throws Exception {
        if (lazyFs != null) {
            lazyFs.close();
        }
    }

    @Test
    void shouldKeepCommittedTransactionsWholeAndTheOpenOneOpenAcrossAPowerCut() throws Exception {
        Path dataDir = lazyFs.mountPoint().resolve("data");
        String topic = TestTopics.unique("txn-power");
        String source = TestTopics.unique("txn-power-source");
        String group = TestTopics.unique("txn-power-group");
        String transactionalId = TestTopics.unique("txn-power-id");
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        TopicPartition sourcePartition = new TopicPartition(source, 0);
        try (ChildBroker broker = ChildBroker.walrus(dataDir, Map.of())) {
            broker.start();
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                TestTopics.create(admin, topic, 2);
                TestTopics.create(admin, source, 1);
            }
            KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId, "delivery.timeout.ms", "30000",
                "request.timeout.ms", "10000", "max.block.ms", "20000"));
            try {
                producer.initTransactions();
                for (int t = 0; t < TRANSACTIONS; t++) {
                    producer.beginTransaction();
                    send(producer, topic, "committed-" + t);
                    producer.sendOffsetsToTransaction(Map.of(sourcePartition, new OffsetAndMetadata((t + 1) * 10L)),
                        new ConsumerGroupMetadata(group));
                    producer.commitTransaction();   // acknowledged: must survive the cut
                }
                producer.beginTransaction();
                send(producer, topic, "open");
                producer.sendOffsetsToTransaction(Map.of(sourcePartition, new OffsetAndMetadata(999L)),
                    new ConsumerGroupMetadata(group));
                producer.flush();   // written (acknowledged, so durable), not yet committed

                broker.kill();
                lazyFs.clearCache();
                Thread.sleep(500);
                lazyFs.clearCache();   // pages the kernel wrote back after the process died
                broker.start();

                producer.commitTransaction();   // the open transaction survived the cut
            } finally {
                producer.close(Duration.ZERO);
            }

            List<String> expected = new ArrayList<>();
            for (int t = 0; t < TRANSACTIONS; t++) {
                for (int i = 0; i < PER_TRANSACTION; i++) {
                    expected.add("committed-" + t + "-" + i);
                }
            }
            for (int i = 0; i < PER_TRANSACTION; i++) {
                expected.add("open-" + i);
            }
            try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                    Map.of("isolation.level", "read_committed"))) {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                List<String> read = new ArrayList<>();
                for (ConsumerRecord<String, String> r : Records.pollExactly(consumer, expected.size())) {
                    read.add(r.value());
                }
                assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(consumer.poll(Duration.ofMillis(500))).isEmpty();
                // the last commit marker ended the last transaction: read_committed reaches the end
                Map<TopicPartition, Long> committedEnd = consumer.endOffsets(partitions);
                try (KafkaConsumer<String, String> uncommitted = Clients.consumer(broker.bootstrapServers())) {
                    assertThat(committedEnd).isEqualTo(uncommitted.endOffsets(partitions));
                }
            }
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertThat(offsets.get(sourcePartition).offset()).as("committed by the transaction after the cut")
                    .isEqualTo(999L);
            }
            try (KafkaProducer<String, String> next = Clients.producer(broker.bootstrapServers(),
                    Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId))) {
                next.initTransactions();
                next.beginTransaction();
                next.send(new ProducerRecord<>(topic, 0, null, "after")).get(30, TimeUnit.SECONDS);
                next.commitTransaction();
            }
        }
    }

    /** PER_TRANSACTION records, alternating over the two partitions. */
    private static void send(KafkaProducer<String, String> producer, String topic, String prefix) {
        for (int i = 0; i < PER_TRANSACTION; i++) {
            producer.send(new ProducerRecord<>(topic, i % 2, null, prefix + "-" + i));
        }
    }
}

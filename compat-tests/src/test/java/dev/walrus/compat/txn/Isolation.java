package dev.walrus.compat.txn;

import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * A partition as each isolation level sees it: consumers that read committed or everything, and the latest offset
 * ListOffsets gives (the last stable offset under read_committed, the high watermark under read_uncommitted).
 */
final class Isolation {

    private Isolation() {}

    /** An assign-mode consumer with {@code isolation.level=read_committed}. */
    static KafkaConsumer<String, String> readCommitted(String bootstrap) {
        return Clients.consumer(bootstrap, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    }

    /** An assign-mode consumer with {@code isolation.level=read_uncommitted} (Kafka's default, spelled out). */
    static KafkaConsumer<String, String> readUncommitted(String bootstrap) {
        return Clients.consumer(bootstrap, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"));
    }

    /** Assigns the partitions, seeks to their beginning and polls exactly {@code count} records. */
    static List<ConsumerRecord<String, String>> readFromStart(KafkaConsumer<String, String> consumer,
            Collection<TopicPartition> partitions, int count) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return Records.pollExactly(consumer, count);
    }

    /** Admin listOffsets with {@link OffsetSpec#latest()} at the given isolation level. */
    static long latestOffset(Admin admin, TopicPartition partition, IsolationLevel level) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(level))
                .partitionResult(partition).get(30, TimeUnit.SECONDS).offset();
    }

    /** The records of one partition, in the order they came. */
    static List<ConsumerRecord<String, String>> of(List<ConsumerRecord<String, String>> records, TopicPartition partition) {
        return records.stream()
                .filter(r -> r.topic().equals(partition.topic()) && r.partition() == partition.partition())
                .toList();
    }
}

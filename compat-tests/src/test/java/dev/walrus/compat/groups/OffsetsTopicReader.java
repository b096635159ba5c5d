package dev.walrus.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.Clients;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a group's offset-commit records from {@code __consumer_offsets} with a plain consumer, as monitoring tools do. */
final class OffsetsTopicReader {

    static final String OFFSETS_TOPIC = "__consumer_offsets";
    private static final long T = 30;

    private OffsetsTopicReader() {}

    /** Kafka's partitionFor: the group's records are in partition {@code abs(groupId.hashCode()) % partitions}. */
    static int partitionOf(Admin admin, String group) throws Exception {
        TopicDescription offsets = admin.describeTopics(List.of(OFFSETS_TOPIC)).allTopicNames().get(T, TimeUnit.SECONDS)
            .get(OFFSETS_TOPIC);
        assertThat(offsets.isInternal()).isTrue();
        int hash = group.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % offsets.partitions().size();
    }

    /** Every offset-commit record of the group in its partition of the topic, in log order. */
    static List<OffsetCommit> offsetCommitsOf(String bootstrap, Admin admin, String group) throws Exception {
        return offsetCommitsOf(bootstrap, admin, group, Map.of());
    }

    /** As {@link #offsetCommitsOf(String, Admin, String)}, read by a consumer with {@code overrides} (its isolation level). */
    static List<OffsetCommit> offsetCommitsOf(String bootstrap, Admin admin, String group, Map<String, Object> overrides)
            throws Exception {
        TopicPartition partition = new TopicPartition(OFFSETS_TOPIC, partitionOf(admin, group));
        List<OffsetCommit> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.bytesConsumer(bootstrap, overrides)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    OffsetCommit commit = OffsetCommit.decode(r.key(), r.value());
                    if (commit != null && commit.group().equals(group)) {
                        found.add(commit);
                    }
                }
            }
            assertThat(consumer.position(partition)).as("read to the end of " + partition).isGreaterThanOrEqualTo(end);
        }
        return found;
    }

    /**
     * One offset-commit record, decoded from Kafka's schemas: key = int16 record type 1, then group, topic
     * (int16-length strings) and partition (int32); value (null for a deletion) = int16 version, then for v4 offset
     * (int64), leader epoch (int32), metadata (compact string), commit timestamp (int64) and tagged fields.
     */
    record OffsetCommit(String group, String topic, int partition, Short valueVersion, Long offset, String metadata,
                        long commitTimestamp) {

        static OffsetCommit decode(byte[] key, byte[] value) {
            ByteBuffer k = ByteBuffer.wrap(key);
            if (k.getShort() != 1) {
                return null; // group metadata and other coordinator records
            }
            String group = string(k);
            String topic = string(k);
            int partition = k.getInt();
            if (value == null) {
                return new OffsetCommit(group, topic, partition, null, null, null, -1);
            }
            ByteBuffer v = ByteBuffer.wrap(value);
            short version = v.getShort();
            if (version != 4) {
                return new OffsetCommit(group, topic, partition, version, v.getLong(), null, -1);
            }
            long offset = v.getLong();
            v.getInt(); // leader epoch
            int length = unsignedVarint(v) - 1;
            byte[] metadata = new byte[length];
            v.get(metadata);
            return new OffsetCommit(group, topic, partition, version, offset, new String(metadata, StandardCharsets.UTF_8),
                v.getLong());
        }

        private static String string(ByteBuffer b) {
            byte[] bytes = new byte[b.getShort()];
            b.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private static int unsignedVarint(ByteBuffer b) {
            int value = 0;
            for (int shift = 0; ; shift += 7) {
                byte next = b.get();
                value |= (next & 0x7f) << shift;
                if (next >= 0) {
                    return value;
                }
            }
        }
    }
}

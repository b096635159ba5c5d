package dev.walrus.kafka.group.offsets;

import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.log.AppendResult;
import dev.walrus.kafka.log.PartitionLog;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Utils;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The {@code __consumer_offsets} topic: a Kafka-format record of every group's offset commits and deletions, written
 * by the broker beside the engine checkpoints, which stay the source of truth ({@link CommittedOffsets}). Kafka users
 * read it to debug groups ({@code kafka-console-consumer --formatter OffsetsMessageFormatter}) and monitoring tools
 * (Burrow) decode it; nothing here reads it back.
 *
 * <p>As in Kafka the topic is made on first use of the group coordinator (FindCoordinator for a group, or the first
 * commit), with {@code offsets.topic.num.partitions} partitions and the configs Kafka's group coordinator gives it
 * ({@code cleanup.policy=compact}, {@code compression.type=producer}, {@code segment.bytes=offsets.topic.segment.bytes});
 * Metadata reports it internal because of its name. A group's records go to partition
 * {@code abs(groupId.hashCode()) % partitions}, Kafka's {@code partitionFor}.
 *
 * <p>Threading: {@link #append} waits for the topic's creation to be durable, so it runs on the offset writer pool,
 * never on a network or group thread; {@link #ready} only returns a future.
 */
public final class OffsetsTopic {

    public static final String NAME = Topic.GROUP_METADATA_TOPIC_NAME;

    private final TopicRegistry registry;
    private final BrokerSettings settings;
    private volatile PartitionLogs logs;
    private volatile Consumer<String> appended = engineTopic -> { };

    public OffsetsTopic(TopicRegistry registry, BrokerSettings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    /**
     * The partition logs it appends to (they are opened after the group coordinator), and who hears of each append
     * (the long polls parked on a partition of the topic).
     */
    public void attach(PartitionLogs partitionLogs, Consumer<String> onAppended) {
        this.appended = onAppended;
        this.logs = partitionLogs;
    }

    /** Creates the topic if it does not exist; completes once its creation is durable. */
    public CompletableFuture<TopicInfo> ready() {
        TopicInfo existing = registry.byName(NAME).orElse(null);
        if (existing != null) {
            return CompletableFuture.completedFuture(existing);
        }
        Outcome<TopicInfo> created = registry.createInternal(NAME, settings.getInt("offsets.topic.num.partitions"),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.COMPRESSION_TYPE_CONFIG, "producer",
                        TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(settings.getInt("offsets.topic.segment.bytes"))));
        if (!created.isOk()) {
            return CompletableFuture.failedFuture(new IllegalStateException("cannot create " + NAME + ": "
                    + created.error() + " " + created.message()));
        }
        return registry.durable().thenApply(v -> created.value());
    }

    /** The partition that holds a group's records: Kafka's {@code Utils.abs(groupId.hashCode()) % partitions}. */
    public static int partitionFor(String groupId, int partitions) {
        return Utils.abs(groupId.hashCode()) % partitions;
    }

    /**
     * Appends one group's records as one batch to the group's partition; completes once they are durable. The
     * caller orders a group's appends (one at a time), so a partition holds each group's records in commit order.
     * Without partition logs attached (the group coordinator alone, in tests) nothing is written.
     */
    public CompletableFuture<Void> append(String groupId, List<SimpleRecord> records) {
        PartitionLogs partitionLogs = logs;
        if (records.isEmpty() || partitionLogs == null) {
            return CompletableFuture.completedFuture(null);
        }
        TopicInfo topic = ready().join();
        PartitionLog partition = partitionLogs.get(topic, partitionFor(groupId, topic.partitions()));
        MemoryRecords batch = MemoryRecords.withRecords(Compression.NONE, records.toArray(SimpleRecord[]::new));
        AppendResult result = partition.append(batch.buffer(), System.currentTimeMillis());
        if (result.error() != Errors.NONE) {
            return CompletableFuture.failedFuture(new IllegalStateException("appending to " + partition.topicPartition()
                    + " failed: " + result.error() + " " + result.message()));
        }
        appended.accept(partition.engineTopic());
        return partitionLogs.sync();
    }
}

package dev.walrus.kafka.share;

import dev.walrus.kafka.config.GroupConfigs;
import dev.walrus.kafka.fetch.FetchParking;
import dev.walrus.kafka.log.AppendResult;
import dev.walrus.kafka.log.EntryRecords;
import dev.walrus.kafka.log.PartitionLog;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.log.PartitionRead;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Share group dead-letter queues (KIP-1191, {@code share.version} 2): a record a member rejected, or whose delivery
 * attempts ran out, written to the topic the group's {@code errors.deadletterqueue.topic.name} names, as Kafka 4.4's
 * ShareGroupDLQStateManager writes it: at partition (source partition mod the DLQ topic's partitions), timestamped
 * now, carrying the {@code __dlq.errors.*} context headers, and the original key and value only with the group's
 * {@code errors.deadletterqueue.copy.record.enable}.
 *
 * <p>Kafka's checks before a write, each skipping the write (the records stay archived): the name must not start
 * with {@code __}; an existing topic must have {@code errors.deadletterqueue.group.enable=true}; a missing topic is
 * created only with the broker's {@code errors.deadletterqueue.auto.create.topics.enable} (with the broker's partition
 * count, {@code errors.deadletterqueue.group.enable=true} and {@code message.timestamp.type=CreateTime}); the name must
 * start with the broker's {@code errors.deadletterqueue.topic.name.prefix} ({@code dlq.} by default, "" for any).
 *
 * <p>Threading: called outside every share partition lock, once the archived state is saved (Kafka persists an
 * ARCHIVING state first and resumes the write after a restart; here a crash between the two loses the DLQ copy).
 */
final class DeadLetterQueue {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueue.class);

    static final String REJECTED = "Offset rejected by client.";
    static final String DELIVERY_COUNT_EXCEEDED = "Offset delivery count exceeded the threshold.";

    private final TopicRegistry registry;
    private final PartitionLogs logs;
    private final FetchParking parking;

    DeadLetterQueue(TopicRegistry registry, PartitionLogs logs, FetchParking parking) {
        this.registry = registry;
        this.logs = logs;
        this.parking = parking;
    }

    /**
     * Whether dead records of the group are collected (Kafka's isDLQEnabledForGroup): {@code share.version} is
     * finalized at 2 or more and the group names a DLQ topic.
     */
    boolean enabledFor(String groupId) {
        return registry.features().level("share.version") >= 2 && !topicName(groupId).isBlank();
    }

    private String topicName(String groupId) {
        String name = GroupConfigs.effective(GroupConfigs.DLQ_TOPIC_NAME, registry.groupConfigs(groupId), registry.settings());
        return name == null ? "" : name.trim();
    }

    /** Writes the dead records of one source partition to the group's DLQ topic, if Kafka's checks allow it. */
    void write(String groupId, TopicInfo source, int partition, List<SharePartition.DeadRecord> dead) {
        if (dead.isEmpty()) {
            return;
        }
        try {
            Optional<TopicInfo> target = target(groupId);
            if (target.isEmpty()) {
                return;
            }
            TopicInfo dlq = target.get();
            int dlqPartition = partition % dlq.partitions();
            boolean copy = Boolean.parseBoolean(GroupConfigs.effective(GroupConfigs.DLQ_COPY_RECORD_ENABLE,
                    registry.groupConfigs(groupId), registry.settings()));
            Map<Long, KeyValue> originals = copy ? originals(source, partition, dead) : Map.of();
            long now = System.currentTimeMillis();
            List<SimpleRecord> records = new ArrayList<>();
            for (SharePartition.DeadRecord d : dead) {
                KeyValue original = originals.getOrDefault(d.offset(), KeyValue.NONE);
                records.add(new SimpleRecord(now, original.key(), original.value(), headers(groupId, source, partition, d)));
            }
            MemoryRecords batch = MemoryRecords.withRecords(Compression.NONE, records.toArray(SimpleRecord[]::new));
            PartitionLog log = logs.get(dlq, dlqPartition);
            AppendResult result = log.append(batch.buffer(), now);
            if (result.error() != Errors.NONE) {
                LOG.warn("share group {}: could not write {} records to its DLQ topic {}: {}", groupId, dead.size(),
                        dlq.name(), result.error());
                return;
            }
            // long polls parked on the DLQ partition read the new batch, as after a produce
            parking.appended(log.engineTopic());
        } catch (RuntimeException e) {
            // as Kafka: a failed DLQ write leaves the records archived
            LOG.warn("share group {}: could not write {} records of {}-{} to its DLQ topic", groupId, dead.size(),
                    source.name(), partition, e);
        }
    }

    /** The group's DLQ topic after Kafka's checks (created if missing and auto-creation is on), or none. */
    private Optional<TopicInfo> target(String groupId) {
        String name = topicName(groupId);
        if (name.isEmpty() || name.startsWith("__")) {
            return Optional.empty();
        }
        Optional<TopicInfo> existing = registry.byName(name);
        if (existing.isPresent() && !Boolean.parseBoolean(
                registry.effectiveConfig(existing.get(), "errors.deadletterqueue.group.enable"))) {
            LOG.warn("share group {}: DLQ is not enabled on its DLQ topic {}", groupId, name);
            return Optional.empty();
        }
        if (existing.isEmpty() && !registry.settings().getBoolean("errors.deadletterqueue.auto.create.topics.enable")) {
            LOG.warn("share group {}: DLQ topic {} does not exist and auto create is disabled", groupId, name);
            return Optional.empty();
        }
        String prefix = registry.settings().get("errors.deadletterqueue.topic.name.prefix");
        if (prefix != null && !prefix.isEmpty() && !name.startsWith(prefix)) {
            LOG.warn("share group {}: DLQ topic {} does not have the DLQ topic prefix {}", groupId, name, prefix);
            return Optional.empty();
        }
        if (existing.isPresent()) {
            return existing;
        }
        Outcome<TopicInfo> created = registry.create(name, registry.settings().getInt("num.partitions"),
                Map.of("errors.deadletterqueue.group.enable", "true", "message.timestamp.type", "CreateTime"), false);
        if (!created.isOk()) {
            // created meanwhile by someone else: use it if it is one
            Optional<TopicInfo> now = registry.byName(name);
            if (now.isPresent() && Boolean.parseBoolean(registry.effectiveConfig(now.get(), "errors.deadletterqueue.group.enable"))) {
                return now;
            }
            LOG.warn("share group {}: could not create its DLQ topic {}: {}", groupId, name, created.message());
            return Optional.empty();
        }
        registry.durable();
        LOG.info("share group {}: created its DLQ topic {}", groupId, name);
        return Optional.of(created.value());
    }

    /** A source record's key and value, copied out of the log's buffers. */
    private record KeyValue(byte[] key, byte[] value) {
        static final KeyValue NONE = new KeyValue(null, null);

        static KeyValue of(Record r) {
            return new KeyValue(r.hasKey() ? bytes(r.key()) : null, r.hasValue() ? bytes(r.value()) : null);
        }

        private static byte[] bytes(ByteBuffer b) {
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            return copy;
        }
    }

    /** The source records at the dead offsets (KIP-1191's copy of key and value). */
    private Map<Long, KeyValue> originals(TopicInfo source, int partition, List<SharePartition.DeadRecord> dead) {
        Map<Long, KeyValue> found = new HashMap<>();
        PartitionLog log = logs.get(source, partition);
        for (SharePartition.DeadRecord d : dead) {
            if (found.containsKey(d.offset())) {
                continue;
            }
            PartitionRead read = log.read(d.offset(), 1, true, false);
            try {
                if (read.error() != Errors.NONE || !(read.records() instanceof EntryRecords entries)) {
                    continue;
                }
                for (ByteBuffer b : entries.batches()) {
                    for (RecordBatch batch : MemoryRecords.readableRecords(b.duplicate()).batches()) {
                        for (Record r : batch) {
                            if (r.offset() >= d.offset() && !found.containsKey(r.offset())) {
                                found.put(r.offset(), KeyValue.of(r));
                            }
                        }
                    }
                }
            } finally {
                read.release();
            }
        }
        return found;
    }

    private static Header[] headers(String groupId, TopicInfo source, int partition, SharePartition.DeadRecord d) {
        return new Header[] {
                header("__dlq.errors.topic", source.name()),
                header("__dlq.errors.partition", Integer.toString(partition)),
                header("__dlq.errors.offset", Long.toString(d.offset())),
                header("__dlq.errors.group", groupId),
                header("__dlq.errors.delivery.count", Short.toString(d.deliveryCount())),
                header("__dlq.errors.message", d.rejected() ? REJECTED : DELIVERY_COUNT_EXCEEDED),
        };
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}

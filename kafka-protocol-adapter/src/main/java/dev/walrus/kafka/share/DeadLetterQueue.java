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
 * <p>Order and durability: the records go to an existing DLQ topic under the share partition's lock, before its
 * archived state is appended to the share group log, so an acknowledgement answered after the engine's sync has its DLQ
 * records durable (Kafka persists an ARCHIVING state first and writes the DLQ afterwards, resuming after a restart).
 * A DLQ topic that must be created first is created and written after the lock (topic creation goes through the
 * metadata registry, which must not run under a share partition's lock).
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

    /**
     * The records one change to a share partition archives for the DLQ, and where they go: an existing DLQ topic
     * (written under the share partition's lock), or one to create first (written after it).
     */
    static final class Pending {
        final String groupId;
        final List<SharePartition.DeadRecord> records = new ArrayList<>();
        private final TopicInfo target;
        private final boolean createLater;
        private String written;

        private Pending(String groupId, TopicInfo target, boolean createLater) {
            this.groupId = groupId;
            this.target = target;
            this.createLater = createLater;
        }
    }

    /** Before a change to one of the group's share partitions, outside its lock: null when the group has no DLQ. */
    Pending prepare(String groupId) {
        if (!enabledFor(groupId)) {
            return null;
        }
        String name = topicName(groupId);
        if (!passesChecks(groupId, name)) {
            return new Pending(groupId, null, false);
        }
        Optional<TopicInfo> existing = registry.byName(name);
        return new Pending(groupId, existing.orElse(null), existing.isEmpty());
    }

    /**
     * Under the share partition's lock, after the change and before its state is saved: appends the records to an
     * existing DLQ topic. The engine then holds them before the archived state, so an acknowledgement answered once
     * the engine synced has its DLQ records durable too (Kafka gets the same from its ARCHIVING state).
     */
    void appendUnderLock(Pending pending, TopicInfo source, int partition) {
        if (pending.target != null && !pending.records.isEmpty()) {
            pending.written = append(pending.groupId, pending.target, source, partition, pending.records);
        }
    }

    /**
     * After the share partition's lock: wakes the long polls of the DLQ partition written; or, for a DLQ topic
     * missing when the change began, creates it (auto-creation) and writes there.
     */
    void finish(Pending pending, TopicInfo source, int partition) {
        if (pending.written != null) {
            parking.appended(pending.written);
        } else if (pending.createLater && !pending.records.isEmpty()) {
            create(pending.groupId).ifPresent(dlq -> {
                String written = append(pending.groupId, dlq, source, partition, pending.records);
                if (written != null) {
                    parking.appended(written);
                }
            });
        }
    }

    /**
     * Appends the DLQ records of one source partition, in batches within the DLQ topic's {@code max.message.bytes}
     * as Kafka's DLQ produce rounds are (a record whose copy alone would not fit carries the headers only); the
     * engine topic written, null if nothing was.
     */
    private String append(String groupId, TopicInfo dlq, TopicInfo source, int partition,
                          List<SharePartition.DeadRecord> dead) {
        try {
            int dlqPartition = partition % dlq.partitions();
            int maxMessageBytes = Integer.parseInt(registry.effectiveConfig(dlq, "max.message.bytes").trim());
            boolean copy = Boolean.parseBoolean(GroupConfigs.effective(GroupConfigs.DLQ_COPY_RECORD_ENABLE,
                    registry.groupConfigs(groupId), registry.settings()));
            Map<Long, KeyValue> originals = copy ? originals(source, partition, dead) : Map.of();
            long now = System.currentTimeMillis();
            List<List<SimpleRecord>> batches = new ArrayList<>();
            List<SimpleRecord> current = new ArrayList<>();
            int currentBytes = RECORD_BATCH_OVERHEAD;
            for (SharePartition.DeadRecord d : dead) {
                Header[] headers = headers(groupId, source, partition, d);
                KeyValue original = originals.getOrDefault(d.offset(), KeyValue.NONE);
                SimpleRecord record = new SimpleRecord(now, original.key(), original.value(), headers);
                int size = sizeAlone(record);
                if (original != KeyValue.NONE && size > maxMessageBytes) {
                    record = new SimpleRecord(now, (byte[]) null, (byte[]) null, headers);
                    size = sizeAlone(record);
                }
                if (!current.isEmpty() && currentBytes + size - RECORD_BATCH_OVERHEAD + DELTA_SLACK > maxMessageBytes) {
                    batches.add(current);
                    current = new ArrayList<>();
                    currentBytes = RECORD_BATCH_OVERHEAD;
                }
                current.add(record);
                currentBytes += size - RECORD_BATCH_OVERHEAD + DELTA_SLACK;
            }
            batches.add(current);
            PartitionLog log = logs.get(dlq, dlqPartition);
            String written = null;
            for (List<SimpleRecord> records : batches) {
                MemoryRecords batch = MemoryRecords.withRecords(Compression.NONE, records.toArray(SimpleRecord[]::new));
                AppendResult result = log.append(batch.buffer(), now);
                if (result.error() != Errors.NONE) {
                    LOG.warn("share group {}: could not write {} records to its DLQ topic {}: {}", groupId,
                            records.size(), dlq.name(), result.error());
                } else {
                    written = log.engineTopic();
                }
            }
            return written;
        } catch (RuntimeException e) {
            // as Kafka: a failed DLQ write leaves the records archived
            LOG.warn("share group {}: could not write {} records of {}-{} to its DLQ topic", groupId, dead.size(),
                    source.name(), partition, e);
            return null;
        }
    }

    /** A record batch's fixed header (magic 2). */
    private static final int RECORD_BATCH_OVERHEAD = 61;
    /** What a record may grow by in a batch of many: its offset and timestamp deltas as varints. */
    private static final int DELTA_SLACK = 10;

    /** The size of a batch holding this record alone. */
    private static int sizeAlone(SimpleRecord record) {
        return MemoryRecords.withRecords(Compression.NONE, record).sizeInBytes();
    }

    /**
     * Kafka's checks of the group's DLQ topic name before a write: not {@code __}-prefixed; an existing topic
     * DLQ-enabled; a missing one only with auto-creation on; the broker's DLQ topic name prefix.
     */
    private boolean passesChecks(String groupId, String name) {
        if (name.isEmpty() || name.startsWith("__")) {
            return false;
        }
        Optional<TopicInfo> existing = registry.byName(name);
        if (existing.isPresent() && !dlqEnabled(existing.get())) {
            LOG.warn("share group {}: DLQ is not enabled on its DLQ topic {}", groupId, name);
            return false;
        }
        if (existing.isEmpty() && !registry.settings().getBoolean("errors.deadletterqueue.auto.create.topics.enable")) {
            LOG.warn("share group {}: DLQ topic {} does not exist and auto create is disabled", groupId, name);
            return false;
        }
        String prefix = registry.settings().get("errors.deadletterqueue.topic.name.prefix");
        if (prefix != null && !prefix.isEmpty() && !name.startsWith(prefix)) {
            LOG.warn("share group {}: DLQ topic {} does not have the DLQ topic prefix {}", groupId, name, prefix);
            return false;
        }
        return true;
    }

    private boolean dlqEnabled(TopicInfo topic) {
        return Boolean.parseBoolean(registry.effectiveConfig(topic, "errors.deadletterqueue.group.enable"));
    }

    /**
     * Creates the group's missing DLQ topic as Kafka's broker does (the broker's partition count,
     * {@code errors.deadletterqueue.group.enable=true}, {@code message.timestamp.type=CreateTime}), checking again.
     */
    private Optional<TopicInfo> create(String groupId) {
        String name = topicName(groupId);
        if (!passesChecks(groupId, name)) {
            return Optional.empty();
        }
        Outcome<TopicInfo> created = registry.create(name, registry.settings().getInt("num.partitions"),
                Map.of("errors.deadletterqueue.group.enable", "true", "message.timestamp.type", "CreateTime"), false);
        if (!created.isOk()) {
            // created meanwhile by someone else: use it if it is one
            Optional<TopicInfo> now = registry.byName(name);
            if (now.isPresent() && dlqEnabled(now.get())) {
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

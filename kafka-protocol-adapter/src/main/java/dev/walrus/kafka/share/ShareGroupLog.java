package dev.walrus.kafka.share;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.EngineReplay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where share groups survive a restart: the internal engine topic {@value #TOPIC}, one {@link ShareRecords} snapshot
 * appended per change, replayed at open (the last record of a group or share partition wins).
 *
 * <p>Durability: acknowledgements are made durable ({@link #durable}, an fsync) before ShareAcknowledge or the
 * acknowledging ShareFetch is answered, where Kafka's share coordinator only writes {@code __share_group_state}
 * without fsync on a single node. Membership snapshots and released or timed-out records are appended without waiting,
 * as the group log does: after a crash of the machine members rejoin, and a record may be delivered once more.
 *
 * <p>Threading: appends come from network threads (acknowledgements, each under its share partition's lock so that
 * the log keeps the partition's states in order) and the group thread (membership); the engine orders them.
 */
final class ShareGroupLog {

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupLog.class);
    static final String TOPIC = "__walrus_share_groups";

    private final Walrus engine;
    private final AtomicLong recordsSinceCompaction = new AtomicLong();

    ShareGroupLog(Walrus engine) {
        this.engine = engine;
    }

    void saveGroup(ShareGroup group) {
        append(ShareRecords.group(group));
    }

    void deleteGroup(String groupId) {
        append(ShareRecords.groupGone(groupId));
    }

    void savePartition(SharePartition.Snapshot snapshot) {
        append(ShareRecords.partition(snapshot));
    }

    void deletePartition(SharePartitionKey key) {
        append(ShareRecords.partitionGone(key));
    }

    private void append(byte[] record) {
        engine.append(TOPIC, record);
        recordsSinceCompaction.incrementAndGet();
    }

    /** Completes once everything appended so far is on disk. */
    CompletableFuture<Void> durable() {
        return engine.syncAsync();
    }

    /** What the log holds: share groups by id, and share partition states by key. */
    record Replayed(Map<String, ShareGroup> groups, Map<SharePartitionKey, SharePartition.Snapshot> partitions) {}

    Replayed replay() {
        Map<String, ShareGroup> groups = new LinkedHashMap<>();
        Map<SharePartitionKey, SharePartition.Snapshot> partitions = new LinkedHashMap<>();
        long records = EngineReplay.forEachEntry(engine, TOPIC, e -> {
            try {
                ShareRecords.Decoded d = ShareRecords.decode(e.bytes());
                if (d.group() != null) {
                    groups.put(d.group().groupId(), d.group());
                } else if (d.groupGone() != null) {
                    groups.remove(d.groupGone());
                    partitions.keySet().removeIf(k -> k.groupId().equals(d.groupGone()));
                } else if (d.partition() != null) {
                    partitions.put(d.partition().key(), d.partition());
                } else {
                    partitions.remove(d.partitionGone());
                }
            } catch (IllegalArgumentException bad) {
                LOG.warn("skipping unreadable share record at position {} of {}: {}", e.position(), TOPIC, bad.getMessage());
            }
        });
        recordsSinceCompaction.set(records);
        LOG.info("replayed {} share records: {} share groups, {} share partitions", records, groups.size(), partitions.size());
        return new Replayed(groups, partitions);
    }

    /** Whether the log has grown well past one record per live group and partition. */
    boolean needsCompaction(int live) {
        long records = recordsSinceCompaction.get();
        return records >= 10_000 && records >= 4L * live;
    }

    /** The position compaction starts from: what lies before it is rewritten, then truncated. */
    long endPosition() {
        return engine.endPosition(TOPIC);
    }

    /** Drops everything before {@code position}, once every live state has been appended again after it. */
    void truncateBefore(long position, int live) {
        engine.truncateBefore(TOPIC, position);
        recordsSinceCompaction.set(live);
        LOG.info("compacted {} down to {} live records", TOPIC, live);
    }
}

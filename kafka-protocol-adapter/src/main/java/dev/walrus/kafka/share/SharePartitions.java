package dev.walrus.kafka.share;

import dev.walrus.kafka.config.ShareOffsetReset;
import dev.walrus.kafka.fetch.FetchParking;
import dev.walrus.kafka.log.OffsetAndTimestamp;
import dev.walrus.kafka.log.PartitionLog;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.TopicInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every share partition of every share group (Kafka's SharePartitionManager and, for their state, its share
 * coordinator): created on a group's first read of a partition, at the offset {@code share.auto.offset.reset} names;
 * acquisition locks timed out by a timer thread; every acknowledged change saved to the share group log.
 *
 * <p>Threading: any thread. Each {@link SharePartition} is its own lock; a change is saved under it. Fetches parked
 * on a partition are woken (outside the lock) when records become available again.
 */
final class SharePartitions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharePartitions.class);

    private final Map<SharePartitionKey, SharePartition> partitions = new ConcurrentHashMap<>();
    /**
     * Per group and topic, how many partitions the topic had when the group first read it: a partition added later
     * starts at the log start, as Kafka starts partitions added to a topic the group already reads at offset 0 (so
     * that nothing written to them before the group's first read is skipped). Not kept across a restart: a partition
     * added while the broker was down starts where {@code share.auto.offset.reset} says.
     */
    private final Map<GroupTopic, Integer> partitionsAtFirstRead = new ConcurrentHashMap<>();

    private record GroupTopic(String groupId, Uuid topicId) {}
    private final ShareGroupLog log;
    private final ShareConfigs configs;
    private final PartitionLogs logs;
    private final FetchParking parking;
    private final DeadLetterQueue deadLetters;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "walrus-share-locks");
        t.setDaemon(true);
        return t;
    });

    SharePartitions(ShareGroupLog log, ShareConfigs configs, PartitionLogs logs, FetchParking parking,
                    DeadLetterQueue deadLetters) {
        this.deadLetters = deadLetters;
        this.log = log;
        this.configs = configs;
        this.logs = logs;
        this.parking = parking;
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Puts back the states of the share group log (of topics that still exist). */
    void restore(Collection<SharePartition.Snapshot> snapshots, java.util.function.Function<Uuid, TopicInfo> topicById) {
        for (SharePartition.Snapshot s : snapshots) {
            TopicInfo topic = topicById.apply(s.key().topicId());
            if (topic != null) {
                partitions.put(s.key(), SharePartition.restored(s.key(), s.startOffset(), s.batches()));
                // the group reads this topic: partitions added from now on start at the log start
                partitionsAtFirstRead.putIfAbsent(new GroupTopic(s.key().groupId(), topic.id()), topic.partitions());
            }
        }
    }

    /** The share partition, created at the group's share.auto.offset.reset position on its first read. */
    SharePartition getOrCreate(SharePartitionKey key, TopicInfo topic) {
        SharePartition existing = partitions.get(key);
        if (existing != null) {
            return existing;
        }
        return partitions.computeIfAbsent(key, k -> {
            int known = partitionsAtFirstRead.computeIfAbsent(new GroupTopic(k.groupId(), k.topicId()), gt -> topic.partitions());
            PartitionLog partitionLog = logs.get(topic, k.partition());
            long start = k.partition() >= known ? partitionLog.logStartOffset() : initialOffset(k.groupId(), partitionLog);
            SharePartition created = new SharePartition(k, start);
            synchronized (created) {
                log.savePartition(created.snapshot());
            }
            LOG.info("share group {}: partition {}-{} starts at offset {}", k.groupId(), topic.name(), k.partition(),
                    created.startOffset());
            return created;
        });
    }

    SharePartition get(SharePartitionKey key) {
        return partitions.get(key);
    }

    /** Where a share partition starts (Kafka's SharePartition initialization with share.auto.offset.reset). */
    private long initialOffset(String groupId, PartitionLog partitionLog) {
        ShareOffsetReset reset = configs.autoOffsetReset(groupId);
        return switch (reset.kind()) {
            case EARLIEST -> partitionLog.logStartOffset();
            case LATEST -> partitionLog.highWatermark();
            case BY_DURATION -> {
                OffsetAndTimestamp found = partitionLog.offsetForTimestamp(System.currentTimeMillis() - reset.duration().toMillis());
                yield found.offset() < 0 ? partitionLog.highWatermark() : found.offset();
            }
        };
    }

    /** Acquires records of one partition for a member; schedules their lock timeout. */
    SharePartition.Acquisition acquire(SharePartitionKey key, TopicInfo topic, String memberId, int maxRecords,
                                       int maxBytes, boolean strict, int batchSize) {
        SharePartition sp = getOrCreate(key, topic);
        String group = key.groupId();
        long lockMs = configs.recordLockDurationMs(group);
        SharePartition.Acquisition a = sp.acquire(memberId, logs.get(topic, key.partition()), maxRecords, maxBytes,
                strict, batchSize, configs.readCommitted(group), configs.partitionMaxRecordLocks(group), lockMs,
                System.currentTimeMillis());
        if (a.count() > 0) {
            scheduleExpiry(key, topic, lockMs);
        }
        return a;
    }

    /** How many bytes a fetch of the partition could acquire now (ShareFetch's MinBytes), acquiring nothing. */
    int acquirableBytes(SharePartitionKey key, TopicInfo topic, int maxBytes) {
        SharePartition sp = getOrCreate(key, topic);
        String group = key.groupId();
        return sp.acquirableBytes(logs.get(topic, key.partition()), maxBytes, configs.readCommitted(group),
                configs.partitionMaxRecordLocks(group));
    }

    /** Applies acknowledgements and saves the new state; the caller waits for {@link ShareGroupLog#durable}. */
    SharePartition.AckResult acknowledge(SharePartitionKey key, TopicInfo topic, String memberId,
                                         List<SharePartition.AckBatch> batches) {
        SharePartition sp = partitions.get(key);
        if (sp == null) {
            return new SharePartition.AckResult(org.apache.kafka.common.protocol.Errors.INVALID_RECORD_STATE,
                    "The record state is invalid. The acknowledgement of delivery could not be completed.", false, false);
        }
        String group = key.groupId();
        SharePartition.AckResult result;
        DeadLetterQueue.Pending dead = deadLetters.prepare(group);
        synchronized (sp) {
            result = sp.acknowledge(memberId, batches, configs.deliveryCountLimit(group), configs.recordLockDurationMs(group),
                    System.currentTimeMillis(), records(dead));
            save(sp, result.changed(), dead, topic);
        }
        finish(dead, topic, key.partition());
        if (result.madeAvailable()) {
            wake(topic, key.partition());
        }
        return result;
    }

    /** Releases what a member holds in these partitions (its share session closed, or its connection). */
    void releaseMember(String memberId, Collection<SharePartitionKey> keys, java.util.function.Function<Uuid, TopicInfo> topicById) {
        for (SharePartitionKey key : keys) {
            SharePartition sp = partitions.get(key);
            if (sp == null) {
                continue;
            }
            boolean changed;
            TopicInfo topic = topicById.apply(key.topicId());
            DeadLetterQueue.Pending dead = topic == null ? null : deadLetters.prepare(key.groupId());
            synchronized (sp) {
                changed = sp.releaseMember(memberId, configs.deliveryCountLimit(key.groupId()), records(dead));
                save(sp, changed, dead, topic);
            }
            finish(dead, topic, key.partition());
            if (changed && topic != null) {
                wake(topic, key.partition());
            }
        }
    }

    private void scheduleExpiry(SharePartitionKey key, TopicInfo topic, long delayMs) {
        try {
            timer.schedule(() -> expire(key, topic), delayMs + 1, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.debug("share lock timer is shut down", e);
        }
    }

    private void expire(SharePartitionKey key, TopicInfo topic) {
        SharePartition sp = partitions.get(key);
        if (sp == null) {
            return;
        }
        long now = System.currentTimeMillis();
        long[] outcome;
        DeadLetterQueue.Pending dead = deadLetters.prepare(key.groupId());
        synchronized (sp) {
            outcome = sp.expireLocks(configs.deliveryCountLimit(key.groupId()), now, records(dead));
            save(sp, outcome[1] == 1, dead, topic);
        }
        finish(dead, topic, key.partition());
        if (outcome[1] == 1) {
            wake(topic, key.partition());
        }
        if (outcome[0] != Long.MAX_VALUE) {
            // a renewed lock (RENEW) runs out later than the acquisition this timer was set for
            scheduleExpiry(key, topic, Math.max(0, outcome[0] - now));
        }
    }

    /** Where a change collects the records it archives for the group's dead-letter queue: null when it has none. */
    private static List<SharePartition.DeadRecord> records(DeadLetterQueue.Pending dead) {
        return dead == null ? null : dead.records;
    }

    /**
     * Under the share partition's lock, after a change: its DLQ records first (KIP-1191; to an existing DLQ topic),
     * then its new state, so the state is never durable without them.
     */
    private void save(SharePartition sp, boolean changed, DeadLetterQueue.Pending dead, TopicInfo topic) {
        if (dead != null && topic != null) {
            deadLetters.appendUnderLock(dead, topic, sp.key().partition());
        }
        if (changed && !sp.deleted()) {
            log.savePartition(sp.snapshot());
        }
    }

    /** After the share partition's lock: wakes the DLQ partition's readers, or writes to a DLQ topic created now. */
    private void finish(DeadLetterQueue.Pending dead, TopicInfo topic, int partition) {
        if (dead != null && topic != null) {
            deadLetters.finish(dead, topic, partition);
        }
    }

    /** Fetches parked on the partition read again: records are available to them. */
    private void wake(TopicInfo topic, int partition) {
        parking.appended(topic.engineTopic(partition));
    }

    /** The share partitions of one group (DescribeShareGroupOffsets). */
    List<SharePartition> ofGroup(String groupId) {
        List<SharePartition> result = new ArrayList<>();
        partitions.forEach((k, sp) -> {
            if (k.groupId().equals(groupId)) {
                result.add(sp);
            }
        });
        return result;
    }

    /** AlterShareGroupOffsets: the partition starts again at {@code offset}, durable once the log is. */
    void reset(SharePartitionKey key, long offset) {
        SharePartition sp = partitions.computeIfAbsent(key, k -> new SharePartition(k, offset));
        synchronized (sp) {
            sp.reset(offset);
            log.savePartition(sp.snapshot());
        }
    }

    /** Deletes the state of the matching share partitions (DeleteShareGroupOffsets, a deleted group or topic). */
    void delete(java.util.function.Predicate<SharePartitionKey> which, boolean logEach) {
        for (SharePartitionKey key : List.copyOf(partitions.keySet())) {
            if (!which.test(key)) {
                continue;
            }
            SharePartition sp = partitions.remove(key);
            partitionsAtFirstRead.remove(new GroupTopic(key.groupId(), key.topicId()));
            if (sp == null) {
                continue;
            }
            synchronized (sp) {
                sp.markDeleted();
                if (logEach) {
                    log.deletePartition(key);
                }
            }
        }
    }

    /** Appends every live state again (log compaction); each under its own lock, so later changes come after it. */
    int saveAll() {
        int saved = 0;
        for (SharePartition sp : partitions.values()) {
            synchronized (sp) {
                if (!sp.deleted()) {
                    log.savePartition(sp.snapshot());
                    saved++;
                }
            }
        }
        return saved;
    }

    int size() {
        return partitions.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package dev.walrus.kafka.log;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Every partition log of the broker, keyed by topic ID and partition (a re-created topic is a new log). Logs of
 * existing topics are opened, and rebuilt, when the adapter starts; a new topic's logs open on first use.
 *
 * <p>Threading: thread-safe; opening a log happens at most once per partition.
 */
public final class PartitionLogs implements Topics.TopicsListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionLogs.class);

    /**
     * Looked up on every produce and fetch: equals and hashCode are written out because a record's generated ones go
     * through an invokedynamic method-handle chain that C1 does not inline (0.7% of the broker's CPU under produce load,
     * in a profile when the broker ran C1 alone, for this lookup alone; C1 still runs every request until C2 takes over).
     */
    private record Key(Uuid topicId, int partition) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.partition == partition && key.topicId.equals(topicId);
        }

        @Override
        public int hashCode() {
            return 31 * topicId.hashCode() + partition;
        }
    }

    private final Walrus engine;
    private final Topics topics;
    private final BrokerSettings settings;
    private final Map<Key, PartitionLog> logs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retention = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "walrus-retention");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService cleaner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "walrus-log-cleaner");
        t.setDaemon(true);
        return t;
    });

    public PartitionLogs(Walrus engine, Topics topics, BrokerSettings settings) {
        this.engine = engine;
        this.topics = topics;
        this.settings = settings;
        topics.addListener(this);
    }

    /** Opens every partition of every known topic, rebuilding indexes and producer state. */
    public void openAll() {
        long started = System.nanoTime();
        int count = 0;
        for (TopicInfo topic : topics.all()) {
            for (int p = 0; p < topic.partitions(); p++) {
                get(topic, p);
                count++;
            }
        }
        if (count > 0) {
            log.info("Opened {} partition logs in {} ms", count, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Starts enforcing {@code retention.ms} every {@code log.retention.check.interval.ms}, as Kafka's log manager
     * does, on a thread of its own.
     */
    public void startRetention(long checkIntervalMs) {
        retention.scheduleWithFixedDelay(this::applyRetention, checkIntervalMs, checkIntervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the log cleaner: every {@code backoffMs} (Kafka's {@code log.cleaner.backoff.ms}) it cleans each
     * compacted partition that is due, on a thread of its own, so a long pass never delays retention.
     */
    public void startCleaner(long backoffMs) {
        cleaner.scheduleWithFixedDelay(this::cleanDueLogs, backoffMs, Math.max(backoffMs, 1), TimeUnit.MILLISECONDS);
    }

    /** One round of the log cleaner over every open partition. */
    public void cleanDueLogs() {
        for (PartitionLog partitionLog : logs.values()) {
            try {
                partitionLog.clean(System.currentTimeMillis());
            } catch (RuntimeException e) {
                log.warn("Cleaning {} failed; trying again at the next round", partitionLog.topicPartition(), e);
            }
        }
    }

    /** Completes once everything appended so far to any partition is durable (one group-commit fsync). */
    public CompletableFuture<Void> sync() {
        return engine.syncAsync();
    }

    /**
     * Moves a partition's log start offset forward (DeleteRecords) on the retention thread, which moves it for
     * retention too: the new start is made durable with an fsync, which a network thread must not wait for.
     * Completes with the log start offset afterwards (unchanged if {@code offset} is not beyond it).
     */
    public CompletableFuture<Long> deleteRecordsBefore(PartitionLog partitionLog, long offset) {
        return CompletableFuture.supplyAsync(() -> {
            partitionLog.truncateBefore(offset);
            return partitionLog.logStartOffset();
        }, retention);
    }

    /** One retention pass over every open partition. */
    public void applyRetention() {
        long now = System.currentTimeMillis();
        for (PartitionLog partitionLog : logs.values()) {
            try {
                partitionLog.applyRetention(now);
            } catch (RuntimeException e) {
                log.warn("Retention of {} failed; trying again at the next check", partitionLog.topicPartition(), e);
            }
        }
    }

    /**
     * Forgets, every {@code checkIntervalMs}, the producers of each partition whose last batch is older than
     * {@code expirationMs} and that have no transaction open there (Kafka's {@code producer.id.expiration.ms}), so
     * that a long-running broker does not keep every short-lived producer it ever saw.
     */
    public void startProducerExpiry(long checkIntervalMs, LongSupplier expirationMs) {
        retention.scheduleWithFixedDelay(() -> {
            long now = System.currentTimeMillis();
            long expiration = expirationMs.getAsLong(); // a dynamic broker config: read at each pass
            for (PartitionLog partitionLog : logs.values()) {
                partitionLog.expireProducers(now, expiration);
            }
        }, checkIntervalMs, checkIntervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        retention.shutdownNow();
        cleaner.shutdownNow();
    }

    /** The log of a partition that exists in the topic (the caller checks the partition index). */
    public PartitionLog get(TopicInfo topic, int partition) {
        Key key = new Key(topic.id(), partition);
        PartitionLog open = logs.get(key); // every produce and fetch: no capturing lambda allocated when open
        if (open != null) {
            return open;
        }
        return logs.computeIfAbsent(key, k -> PartitionLog.open(engine,
                new TopicPartition(topic.name(), partition), topic.engineTopic(partition),
                LogConfig.of(topic, topics, settings)));
    }

    /**
     * Forgets a deleted topic's logs. Their engine topics are deleted by the metadata side once the deletion is
     * durable (so a crash never brings back a topic whose data is gone). The adapter wakes their parked fetches.
     */
    @Override
    public void topicDeleted(TopicInfo topic) {
        for (int p = 0; p < topic.partitions(); p++) {
            PartitionLog removed = logs.remove(new Key(topic.id(), p));
            if (removed != null) {
                removed.markDeleted();
            }
        }
    }

    @Override
    public void configChanged(TopicInfo topic) {
        LogConfig config = LogConfig.of(topic, topics, settings);
        for (int p = 0; p < topic.partitions(); p++) {
            PartitionLog partitionLog = logs.get(new Key(topic.id(), p));
            if (partitionLog != null) {
                partitionLog.updateConfig(config);
            }
        }
    }
}

package dev.walrus.kafka.group.offsets;

import dev.walrus.kafka.FullDisk;
import dev.walrus.engine.ReadConsistency;
import dev.walrus.engine.TopicSettings;
import dev.walrus.engine.Walrus;
import dev.walrus.kafka.metadata.TopicInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Committed offsets, stored as engine named-reader checkpoints: one reader per group and partition, named
 * {@code group:<groupId>} on the partition's engine topic, whose position is the committed offset and whose
 * attachment holds the rest ({@link OffsetAttachment}). Deleting a topic in the engine deletes its readers, so a
 * deleted topic's offsets go with it; a re-created topic is a new engine topic with no readers.
 *
 * <p>Durability: the partition topics use strictly-at-once read consistency, so {@code commit} returns only once the
 * checkpoint is on disk; an OffsetCommit is answered after that. Those waits run on a small writer pool, never on
 * the group thread or a network thread. The requests of one group are applied in order (a later commit never lands
 * before an earlier one); the partitions of one request are written in parallel, sharing the engine's group commit.
 *
 * <p>An in-memory copy answers OffsetFetch; it is filled from the engine at open and updated after each durable write.
 *
 * <p>Each commit and deletion is also appended, in Kafka's record format, to the {@code __consumer_offsets} topic
 * ({@link OffsetsTopic}), in the same step of the group's order and durable before the step completes (the append's
 * fsync and the checkpoints' share the engine's group commit), so no acknowledged commit is missing from the topic.
 * The topic is only a record for its readers: offsets are never read back from it.
 */
public final class CommittedOffsets implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommittedOffsets.class);
    public static final String READER_PREFIX = "group:";
    /** Threads that wait for checkpoint fsyncs; concurrent waits share one fsync in the engine. */
    private static final int WRITER_THREADS = 8;

    /** A partition by topic id: a re-created topic never inherits offsets. */
    public record Key(Uuid topicId, int partition) {}

    public record Write(TopicInfo topic, int partition, CommittedOffset value) {}

    private final Walrus engine;
    private final Map<String, Map<Key, CommittedOffset>> byGroup = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final Set<String> strictTopics = ConcurrentHashMap.newKeySet();
    private final ExecutorService writers;
    private volatile OffsetsTopic topic;

    private CommittedOffsets(Walrus engine) {
        this.engine = engine;
        AtomicInteger n = new AtomicInteger();
        this.writers = Executors.newFixedThreadPool(WRITER_THREADS, r -> {
            Thread t = new Thread(r, "walrus-offset-commit-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads every group's checkpoints on the partitions of {@code topics}. */
    public static CommittedOffsets open(Walrus engine, Collection<TopicInfo> topics) {
        CommittedOffsets offsets = new CommittedOffsets(engine);
        int loaded = 0;
        for (TopicInfo topic : topics) {
            for (int p = 0; p < topic.partitions(); p++) {
                loaded += offsets.loadPartition(topic, p);
            }
        }
        LOG.info("loaded {} committed offsets of {} groups", loaded, offsets.byGroup.size());
        return offsets;
    }

    private int loadPartition(TopicInfo topic, int partition) {
        String engineTopic = topic.engineTopic(partition);
        Set<String> names;
        try {
            names = engine.readerNames(engineTopic);
        } catch (RuntimeException noSuchTopic) {
            return 0;
        }
        int loaded = 0;
        for (String name : names) {
            if (!name.startsWith(READER_PREFIX)) {
                continue;
            }
            var reader = engine.reader(engineTopic, name);
            String groupId = name.substring(READER_PREFIX.length());
            byGroup.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>())
                    .put(new Key(topic.id(), partition), OffsetAttachment.decode(reader.position(), reader.attachment()));
            loaded++;
        }
        return loaded;
    }

    /**
     * Writes the checkpoints durably, after this group's earlier writes; completes once all are on disk. The
     * partitions of one request are written in parallel so that the engine's group commit covers them with one fsync.
     */
    public CompletableFuture<Void> commit(String groupId, List<Write> writes) {
        if (writes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        // A request naming a partition twice: the last one wins, as in Kafka.
        Map<Key, Write> last = new java.util.LinkedHashMap<>();
        for (Write w : writes) {
            last.put(new Key(w.topic().id(), w.partition()), w);
        }
        List<SimpleRecord> records = last.values().stream().map(w -> new SimpleRecord(w.value().commitTimestampMs(),
                OffsetCommitRecords.key(groupId, w.topic().name(), w.partition()),
                OffsetCommitRecords.value(w.value(), w.topic().id()))).toList();
        return inOrder(groupId, () -> {
            List<CompletableFuture<Void>> steps = new ArrayList<>();
            steps.add(appendToTopic(groupId, records));
            last.values().forEach(w -> steps.add(CompletableFuture.runAsync(() -> commitOne(groupId, w), writers)));
            return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new));
        });
    }

    /** The topic that records every commit and deletion in Kafka's format (none until the broker gives it one). */
    public void useTopic(OffsetsTopic offsetsTopic) {
        this.topic = offsetsTopic;
    }

    /**
     * Writes every group's current offsets to the topic, which did not exist at start (a data directory from before
     * the topic, or the topic deleted), so that its readers find every offset the groups have. Not waited for.
     */
    public void recordAll(java.util.function.Function<Uuid, TopicInfo> topicsById) {
        int recorded = 0;
        for (Map.Entry<String, Map<Key, CommittedOffset>> group : byGroup.entrySet()) {
            String groupId = group.getKey();
            List<SimpleRecord> records = new ArrayList<>();
            group.getValue().forEach((key, value) -> {
                TopicInfo t = topicsById.apply(key.topicId());
                if (t != null) {
                    records.add(new SimpleRecord(value.commitTimestampMs(),
                            OffsetCommitRecords.key(groupId, t.name(), key.partition()),
                            OffsetCommitRecords.value(value, t.id())));
                }
            });
            if (!records.isEmpty()) {
                recorded += records.size();
                inOrder(groupId, () -> appendToTopic(groupId, records)).exceptionally(e -> {
                    notWritten("committed offsets of group " + groupId, e);
                    return null;
                });
            }
        }
        if (recorded > 0) {
            LOG.info("writing the {} committed offsets kept in the engine to {}, which did not exist", recorded,
                    OffsetsTopic.NAME);
        }
    }

    /** Appends a group's records to {@code __consumer_offsets} on the writer pool; completes once they are durable. */
    private CompletableFuture<Void> appendToTopic(String groupId, List<SimpleRecord> records) {
        OffsetsTopic offsetsTopic = topic;
        if (offsetsTopic == null || records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(() -> offsetsTopic.append(groupId, records), writers)
                .thenCompose(durable -> durable);
    }

    /**
     * Records a group's metadata in the topic (Kafka's GroupMetadata record), after the group's earlier commits; not
     * waited for, as the group log it goes with is not.
     */
    public void recordGroupMetadata(String groupId, byte[] key, byte[] value) {
        List<SimpleRecord> record = List.of(new SimpleRecord(System.currentTimeMillis(), key, value));
        inOrder(groupId, () -> appendToTopic(groupId, record)).exceptionally(e -> {
            notWritten("group metadata of " + groupId, e);
            return null;
        });
    }

    /** A write to the topic that nobody waits for failed: logged, with its cause unless it is the full disk's. */
    private static void notWritten(String what, Throwable e) {
        if (FullDisk.refused(e)) {
            LOG.debug("{} not written to {}: the disk is full", what, OffsetsTopic.NAME); // the engine logged it
        } else {
            LOG.warn("{} not written to {}", what, OffsetsTopic.NAME, e);
        }
    }

    /** A deletion in the topic: the key with no value (Kafka's tombstone, which compaction removes). */
    private static SimpleRecord tombstone(String groupId, String topicName, int partition, long now) {
        return new SimpleRecord(now, OffsetCommitRecords.key(groupId, topicName, partition), null);
    }

    private void commitOne(String groupId, Write w) {
        String engineTopic = w.topic().engineTopic(w.partition());
        ensureStrictlyAtOnce(engineTopic);
        engine.reader(engineTopic, READER_PREFIX + groupId).commit(w.value().offset(), OffsetAttachment.encode(w.value()));
        byGroup.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>()).put(new Key(w.topic().id(), w.partition()), w.value());
    }

    /** Deletes some of a group's offsets (OffsetDelete). */
    public CompletableFuture<Void> delete(String groupId, List<Map.Entry<TopicInfo, Integer>> partitions) {
        return inOrder(groupId, () -> CompletableFuture.supplyAsync(() -> {
            Map<Key, CommittedOffset> offsets = byGroup.get(groupId);
            List<SimpleRecord> tombstones = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (Map.Entry<TopicInfo, Integer> tp : partitions) {
                Key key = new Key(tp.getKey().id(), tp.getValue());
                if (offsets != null && offsets.remove(key) != null) {
                    engine.deleteReader(tp.getKey().engineTopic(tp.getValue()), READER_PREFIX + groupId);
                    // as Kafka: a tombstone only for an offset that was there
                    tombstones.add(tombstone(groupId, tp.getKey().name(), tp.getValue(), now));
                }
            }
            return tombstones;
        }, writers).thenCompose(tombstones -> appendToTopic(groupId, tombstones)));
    }

    /**
     * Deletes every offset of a group (DeleteGroups); {@code topicsById} resolves the engine topics. The topic gets a
     * tombstone per offset and then, for a classic group, the tombstone of its group metadata, as Kafka writes them.
     */
    public CompletableFuture<Void> deleteGroup(String groupId, java.util.function.Function<Uuid, TopicInfo> topicsById,
                                               boolean classicGroup) {
        return inOrder(groupId, () -> CompletableFuture.supplyAsync(() -> {
            Map<Key, CommittedOffset> offsets = byGroup.remove(groupId);
            List<SimpleRecord> tombstones = new ArrayList<>();
            long now = System.currentTimeMillis();
            if (offsets == null) {
                offsets = Map.of();
            }
            for (Key key : offsets.keySet()) {
                TopicInfo topic = topicsById.apply(key.topicId());
                if (topic != null) {
                    engine.deleteReader(topic.engineTopic(key.partition()), READER_PREFIX + groupId);
                    tombstones.add(tombstone(groupId, topic.name(), key.partition(), now));
                }
            }
            if (classicGroup) {
                tombstones.add(new SimpleRecord(now, GroupMetadataRecords.key(groupId), null));
            }
            return tombstones;
        }, writers).thenCompose(tombstones -> appendToTopic(groupId, tombstones)));
    }

    /** The group's committed offsets (a live view; copy before iterating at length). */
    public Map<Key, CommittedOffset> offsets(String groupId) {
        return byGroup.getOrDefault(groupId, Map.of());
    }

    public CommittedOffset offset(String groupId, Uuid topicId, int partition) {
        return offsets(groupId).get(new Key(topicId, partition));
    }

    public boolean hasOffsets(String groupId) {
        return !offsets(groupId).isEmpty();
    }

    /**
     * Whether a write of the group (a commit, a deletion, a group record) is still under way: until it ends, the
     * offsets seen here may not yet include what it writes, so the offset retention check leaves the group alone.
     */
    public boolean hasWritesInFlight(String groupId) {
        CompletableFuture<Void> tail = tails.get(groupId);
        return tail != null && !tail.isDone();
    }

    public Collection<String> groupIds() {
        List<String> ids = new ArrayList<>();
        byGroup.forEach((g, o) -> {
            if (!o.isEmpty()) {
                ids.add(g);
            }
        });
        return ids;
    }

    /**
     * The engine dropped the topic and its readers; forget the cached offsets too, and write their tombstones to
     * {@code __consumer_offsets} as Kafka's coordinator does when a topic is deleted (not waited for: nothing is
     * answered from it).
     */
    public void topicDeleted(TopicInfo deleted) {
        long now = System.currentTimeMillis();
        byGroup.forEach((groupId, offsets) -> {
            List<SimpleRecord> tombstones = new ArrayList<>();
            offsets.keySet().removeIf(k -> {
                if (k.topicId().equals(deleted.id())) {
                    tombstones.add(tombstone(groupId, deleted.name(), k.partition(), now));
                    return true;
                }
                return false;
            });
            if (!tombstones.isEmpty() && !OffsetsTopic.NAME.equals(deleted.name())) {
                inOrder(groupId, () -> appendToTopic(groupId, tombstones)).exceptionally(e -> {
                    notWritten("tombstones of group " + groupId + " for deleted topic " + deleted.name(), e);
                    return null;
                });
            }
        });
    }

    /** Runs {@code step} once every earlier step of this group has finished (failed or not). */
    private CompletableFuture<Void> inOrder(String groupId, java.util.function.Supplier<CompletableFuture<Void>> step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        tails.compute(groupId, (g, previous) -> {
            CompletableFuture<Void> after = previous == null ? CompletableFuture.completedFuture(null) : previous;
            return after.handle((v, e) -> null).thenCompose(v -> {
                CompletableFuture<Void> current;
                try {
                    current = step.get();
                } catch (RuntimeException e) {
                    current = CompletableFuture.failedFuture(e);
                }
                return current.whenComplete((r, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else {
                        done.complete(null);
                    }
                }).handle((r, e) -> null);
            });
        });
        return done;
    }

    /** Committed offsets must be durable before the response: the partition's readers persist at once. */
    private void ensureStrictlyAtOnce(String engineTopic) {
        if (strictTopics.contains(engineTopic)) {
            return;
        }
        TopicSettings current = engine.topicSettings(engineTopic);
        if (!(current.readConsistency() instanceof ReadConsistency.StrictlyAtOnce)) {
            engine.configureTopic(engineTopic, new TopicSettings(current.fsync(), ReadConsistency.strictlyAtOnce()));
        }
        strictTopics.add(engineTopic);
    }

    @Override
    public void close() {
        writers.shutdown();
        try {
            if (!writers.awaitTermination(10, TimeUnit.SECONDS)) {
                writers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writers.shutdownNow();
        }
    }
}

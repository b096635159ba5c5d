package dev.walrus.kafka.group.offsets;

import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Offsets committed inside open transactions (TxnOffsetCommit), by group and producer id: made durable when the
 * transaction commits, dropped when it aborts. Until then OffsetFetch with {@code requireStable} answers
 * UNSTABLE_OFFSET_COMMIT for their partitions, and OffsetFetch without it returns the last committed offsets, as in
 * Kafka.
 *
 * <p>A plain OffsetCommit of a partition made after a transaction's commit of it wins, as in Kafka (which compares
 * their places in {@code __consumer_offsets}): every write here and every plain commit of a partition with pending
 * writes takes a number from one sequence, and a pending write older than the partition's last plain commit is left
 * out of the transaction's offsets.
 *
 * <p>Threading: the group thread only.
 */
public final class PendingTransactionalOffsets {

    private record Pending(CommittedOffsets.Write write, long sequence) {}

    private final Map<String, Map<Long, LinkedHashMap<CommittedOffsets.Key, Pending>>> byGroup = new HashMap<>();
    /** The sequence of the last plain commit of each partition that has pending writes, by group. */
    private final Map<String, Map<CommittedOffsets.Key, Long>> lastPlainCommit = new HashMap<>();
    private long sequence;

    /** A later commit of the same partition in the same transaction replaces the earlier one. */
    public void add(String groupId, long producerId, CommittedOffsets.Write write) {
        byGroup.computeIfAbsent(groupId, g -> new HashMap<>())
                .computeIfAbsent(producerId, p -> new LinkedHashMap<>())
                .put(key(write), new Pending(write, ++sequence));
    }

    /** A plain OffsetCommit of the group was accepted: it wins over the pending writes made before it. */
    public void plainCommitted(String groupId, List<CommittedOffsets.Write> writes) {
        for (CommittedOffsets.Write w : writes) {
            if (isPending(groupId, w.topic().id(), w.partition())) {
                lastPlainCommit.computeIfAbsent(groupId, g -> new HashMap<>()).put(key(w), ++sequence);
            }
        }
    }

    /** What the producer's transaction committed for the group so far, without what a later plain commit overrode. */
    public List<CommittedOffsets.Write> of(String groupId, long producerId) {
        Map<Long, LinkedHashMap<CommittedOffsets.Key, Pending>> producers = byGroup.get(groupId);
        if (producers == null || !producers.containsKey(producerId)) {
            return List.of();
        }
        Map<CommittedOffsets.Key, Long> plain = lastPlainCommit.getOrDefault(groupId, Map.of());
        List<CommittedOffsets.Write> writes = new ArrayList<>();
        producers.get(producerId).forEach((key, pending) -> {
            if (plain.getOrDefault(key, Long.MIN_VALUE) < pending.sequence()) {
                writes.add(pending.write());
            }
        });
        return writes;
    }

    /** Forgets the producer's pending offsets for the group (its transaction ended). */
    public void remove(String groupId, long producerId) {
        Map<Long, LinkedHashMap<CommittedOffsets.Key, Pending>> producers = byGroup.get(groupId);
        if (producers == null) {
            return;
        }
        producers.remove(producerId);
        if (producers.isEmpty()) {
            byGroup.remove(groupId);
            lastPlainCommit.remove(groupId);
        } else if (lastPlainCommit.containsKey(groupId)) {
            lastPlainCommit.get(groupId).keySet().removeIf(k -> !isPending(groupId, k.topicId(), k.partition()));
        }
    }

    /** Whether an open transaction committed an offset for this partition of the group. */
    public boolean isPending(String groupId, Uuid topicId, int partition) {
        Map<Long, LinkedHashMap<CommittedOffsets.Key, Pending>> producers = byGroup.get(groupId);
        if (producers == null) {
            return false;
        }
        CommittedOffsets.Key key = new CommittedOffsets.Key(topicId, partition);
        for (Map<CommittedOffsets.Key, Pending> writes : producers.values()) {
            if (writes.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an open transaction committed offsets for the group: the offset retention check then leaves the group
     * in place, as Kafka's does.
     */
    public boolean hasOpenTransactions(String groupId) {
        Map<Long, LinkedHashMap<CommittedOffsets.Key, Pending>> producers = byGroup.get(groupId);
        return producers != null && !producers.isEmpty();
    }

    /** A deleted topic's pending offsets go with it. */
    public void topicDeleted(Uuid topicId) {
        byGroup.values().forEach(producers -> producers.values().forEach(writes ->
                writes.keySet().removeIf(k -> k.topicId().equals(topicId))));
        lastPlainCommit.values().forEach(plain -> plain.keySet().removeIf(k -> k.topicId().equals(topicId)));
    }

    private static CommittedOffsets.Key key(CommittedOffsets.Write write) {
        return new CommittedOffsets.Key(write.topic().id(), write.partition());
    }
}

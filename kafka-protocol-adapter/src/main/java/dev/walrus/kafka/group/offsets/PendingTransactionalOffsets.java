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
 * <p>Threading: the group thread only.
 */
public final class PendingTransactionalOffsets {

    private final Map<String, Map<Long, LinkedHashMap<CommittedOffsets.Key, CommittedOffsets.Write>>> byGroup = new HashMap<>();

    /** A later commit of the same partition in the same transaction replaces the earlier one. */
    public void add(String groupId, long producerId, CommittedOffsets.Write write) {
        byGroup.computeIfAbsent(groupId, g -> new HashMap<>())
                .computeIfAbsent(producerId, p -> new LinkedHashMap<>())
                .put(new CommittedOffsets.Key(write.topic().id(), write.partition()), write);
    }

    /** What the producer's transaction committed for the group so far. */
    public List<CommittedOffsets.Write> of(String groupId, long producerId) {
        Map<Long, LinkedHashMap<CommittedOffsets.Key, CommittedOffsets.Write>> producers = byGroup.get(groupId);
        if (producers == null || !producers.containsKey(producerId)) {
            return List.of();
        }
        return new ArrayList<>(producers.get(producerId).values());
    }

    /** Forgets the producer's pending offsets for the group (its transaction ended). */
    public void remove(String groupId, long producerId) {
        Map<Long, LinkedHashMap<CommittedOffsets.Key, CommittedOffsets.Write>> producers = byGroup.get(groupId);
        if (producers != null) {
            producers.remove(producerId);
            if (producers.isEmpty()) {
                byGroup.remove(groupId);
            }
        }
    }

    /** Whether an open transaction committed an offset for this partition of the group. */
    public boolean isPending(String groupId, Uuid topicId, int partition) {
        Map<Long, LinkedHashMap<CommittedOffsets.Key, CommittedOffsets.Write>> producers = byGroup.get(groupId);
        if (producers == null) {
            return false;
        }
        CommittedOffsets.Key key = new CommittedOffsets.Key(topicId, partition);
        for (Map<CommittedOffsets.Key, CommittedOffsets.Write> writes : producers.values()) {
            if (writes.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    /** A deleted topic's pending offsets go with it. */
    public void topicDeleted(Uuid topicId) {
        byGroup.values().forEach(producers -> producers.values().forEach(writes ->
                writes.keySet().removeIf(k -> k.topicId().equals(topicId))));
    }
}

package dev.walrus.kafka.group;

import dev.walrus.kafka.group.offsets.CommittedOffset;
import dev.walrus.kafka.group.offsets.CommittedOffsets;
import dev.walrus.kafka.group.offsets.PendingTransactionalOffsets;
import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One group's share of the offset retention check (Kafka's {@code OffsetMetadataManager.cleanupExpiredOffsets} and
 * {@code GroupMetadataManager.maybeDeleteGroup}): which committed offsets expired, and whether the group goes too.
 *
 * <p>An offset expires when no member subscribes to its topic, its retention has passed by the group's
 * {@link OffsetExpiration}, and no open transaction committed an offset for its partition. The group goes when no
 * offset is left (all expired, or none there), no open transaction committed offsets for it, and it
 * {@linkplain Group#expiresWithoutOffsets expires without offsets} (it is empty).
 *
 * <p>It only decides; the caller writes the tombstones. Group thread only: it reads the group and the pending
 * transactional offsets.
 */
final class OffsetRetentionCheck {

    /** What the check removes from one group. */
    record Verdict(List<CommittedOffsets.Key> expiredOffsets, boolean deleteGroup) {
        static final Verdict KEEP_EVERYTHING = new Verdict(List.of(), false);
    }

    private OffsetRetentionCheck() {}

    /**
     * @param offsets the group's committed offsets
     * @param topicNames a topic's name by id; null for a topic that no longer exists
     */
    static Verdict judge(Group group, Map<CommittedOffsets.Key, CommittedOffset> offsets,
                         Function<Uuid, String> topicNames, PendingTransactionalOffsets pending,
                         long nowMs, long retentionMs) {
        String groupId = group.groupId();
        List<CommittedOffsets.Key> expired = new ArrayList<>();
        boolean noneLeft = true;
        if (!offsets.isEmpty()) {
            Optional<OffsetExpiration> expiration = group.offsetExpiration();
            if (expiration.isEmpty()) {
                return Verdict.KEEP_EVERYTHING;
            }
            Map<Uuid, Boolean> subscribed = new HashMap<>();
            for (Map.Entry<CommittedOffsets.Key, CommittedOffset> e : offsets.entrySet()) {
                CommittedOffsets.Key key = e.getKey();
                boolean kept = subscribed.computeIfAbsent(key.topicId(), id -> {
                    String topic = topicNames.apply(id);
                    return topic != null && group.isSubscribedTo(topic);
                });
                if (!kept && expiration.get().isExpired(e.getValue(), nowMs, retentionMs)
                        && !pending.isPending(groupId, key.topicId(), key.partition())) {
                    expired.add(key);
                } else {
                    noneLeft = false;
                }
            }
        }
        boolean deleteGroup = noneLeft && !pending.hasOpenTransactions(groupId) && group.expiresWithoutOffsets();
        return new Verdict(List.copyOf(expired), deleteGroup);
    }
}

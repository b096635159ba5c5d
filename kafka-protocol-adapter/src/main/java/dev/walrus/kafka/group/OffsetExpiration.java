package dev.walrus.kafka.group;

import dev.walrus.kafka.group.offsets.CommittedOffset;

/**
 * When a group's committed offset starts to age (Kafka's {@code OffsetExpirationCondition}): the offset expires once
 * {@code offsets.retention.minutes} have passed since this moment, unless the group subscribes to its topic. Which
 * moment depends on the group's kind and state ({@link Group#offsetExpiration}). An offset committed with a retention
 * time of its own (OffsetCommit v2-v4) expires at its expire timestamp instead.
 */
@FunctionalInterface
public interface OffsetExpiration {

    /** From its commit: simple (offsets-only) groups, consumer-protocol and streams groups, and live classic ones. */
    OffsetExpiration SINCE_COMMIT = CommittedOffset::commitTimestampMs;

    /** Wall-clock milliseconds from which the offset's retention counts. */
    long retentionStartMs(CommittedOffset offset);

    default boolean isExpired(CommittedOffset offset, long nowMs, long retentionMs) {
        if (offset.hasExpireTimestamp()) {
            return nowMs >= offset.expireTimestampMs();
        }
        return nowMs - retentionStartMs(offset) >= retentionMs;
    }
}

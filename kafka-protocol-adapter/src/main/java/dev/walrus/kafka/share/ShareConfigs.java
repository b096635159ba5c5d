package dev.walrus.kafka.share;

import dev.walrus.kafka.config.GroupConfigs;
import dev.walrus.kafka.config.ShareOffsetReset;
import dev.walrus.kafka.metadata.TopicRegistry;

/**
 * A share group's effective configs (KIP-932): its group config override (IncrementalAlterConfigs on the GROUP
 * resource), else the broker's {@code group.share.*} value, else Kafka's default. Read on every use, so a change
 * applies at once, as in Kafka (the lock duration of records already acquired stays).
 */
final class ShareConfigs {

    private final TopicRegistry registry;

    ShareConfigs(TopicRegistry registry) {
        this.registry = registry;
    }

    private String value(String groupId, String key) {
        return GroupConfigs.effective(key, registry.groupConfigs(groupId), registry.settings());
    }

    private int integer(String groupId, String key) {
        return Integer.parseInt(value(groupId, key).trim());
    }

    private int broker(String key, int fallback) {
        String v = registry.settings().get(key);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    int sessionTimeoutMs(String groupId) {
        return integer(groupId, "share.session.timeout.ms");
    }

    int heartbeatIntervalMs(String groupId) {
        return integer(groupId, "share.heartbeat.interval.ms");
    }

    int recordLockDurationMs(String groupId) {
        return integer(groupId, "share.record.lock.duration.ms");
    }

    int deliveryCountLimit(String groupId) {
        return integer(groupId, "share.delivery.count.limit");
    }

    int partitionMaxRecordLocks(String groupId) {
        return integer(groupId, "share.partition.max.record.locks");
    }

    ShareOffsetReset autoOffsetReset(String groupId) {
        ShareOffsetReset reset = ShareOffsetReset.parse(value(groupId, GroupConfigs.SHARE_AUTO_OFFSET_RESET));
        return reset == null ? ShareOffsetReset.parse("latest") : reset;
    }

    boolean readCommitted(String groupId) {
        return "read_committed".equalsIgnoreCase(value(groupId, GroupConfigs.SHARE_ISOLATION_LEVEL).trim());
    }

    int maxGroupSize() {
        return broker("group.share.max.size", 200);
    }

    int maxShareSessions() {
        return broker("group.share.max.share.sessions", 2000);
    }
}

package dev.walrus.kafka.group;

import dev.walrus.kafka.config.BrokerSettings;

/**
 * The broker settings the group coordinator reads, each with Kafka's default when the key is not set (the
 * config layer fills defaults in; the fallbacks here keep the coordinator usable with a bare settings map).
 *
 * @param minSessionTimeoutMs {@code group.min.session.timeout.ms}: a JoinGroup below it gets INVALID_SESSION_TIMEOUT
 * @param maxSessionTimeoutMs {@code group.max.session.timeout.ms}: a JoinGroup above it gets INVALID_SESSION_TIMEOUT
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}: how long the first rebalance of an empty
 *     group waits for more members
 * @param maxGroupSize {@code group.max.size}: members beyond it get GROUP_MAX_SIZE_REACHED
 * @param consumerHeartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms} (KIP-848 groups)
 * @param consumerSessionTimeoutMs {@code group.consumer.session.timeout.ms} (KIP-848 groups)
 * @param consumerMaxGroupSize {@code group.consumer.max.size} (KIP-848 groups)
 * @param consumerDefaultAssignor the first of {@code group.consumer.assignors}: the server assignor when members
 *     name none
 * @param offsetMetadataMaxBytes {@code offset.metadata.max.bytes}: longer commit metadata gets
 *     OFFSET_METADATA_TOO_LARGE
 * @param migrationPolicy {@code group.consumer.migration.policy}: whether live groups move between the classic and
 *     the consumer protocol (KIP-848 upgrade and downgrade)
 * @param offsetRetention {@code offsets.retention.minutes} and {@code offsets.retention.check.interval.ms}
 */
public record GroupSettings(
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int initialRebalanceDelayMs,
        int maxGroupSize,
        int consumerHeartbeatIntervalMs,
        int consumerSessionTimeoutMs,
        int consumerMaxGroupSize,
        String consumerDefaultAssignor,
        int offsetMetadataMaxBytes,
        MigrationPolicy migrationPolicy,
        OffsetRetention offsetRetention) {

    /** Kafka 4.x defaults, except the initial rebalance delay: 0 on a single-node developer broker. */
    public static GroupSettings defaults() {
        return new GroupSettings(6_000, 1_800_000, 0, Integer.MAX_VALUE, 5_000, 45_000, Integer.MAX_VALUE, "uniform", 4096,
                MigrationPolicy.BIDIRECTIONAL, OffsetRetention.defaults());
    }

    public static GroupSettings from(BrokerSettings settings) {
        GroupSettings d = defaults();
        String assignors = string(settings, "group.consumer.assignors", d.consumerDefaultAssignor());
        String first = assignors.split(",")[0].trim();
        // Kafka accepts class names here; the two built-in ones map onto their short names.
        if (first.endsWith("UniformAssignor")) {
            first = "uniform";
        } else if (first.endsWith("RangeAssignor")) {
            first = "range";
        }
        return new GroupSettings(
                integer(settings, "group.min.session.timeout.ms", d.minSessionTimeoutMs()),
                integer(settings, "group.max.session.timeout.ms", d.maxSessionTimeoutMs()),
                integer(settings, "group.initial.rebalance.delay.ms", d.initialRebalanceDelayMs()),
                integer(settings, "group.max.size", d.maxGroupSize()),
                integer(settings, "group.consumer.heartbeat.interval.ms", d.consumerHeartbeatIntervalMs()),
                integer(settings, "group.consumer.session.timeout.ms", d.consumerSessionTimeoutMs()),
                integer(settings, "group.consumer.max.size", d.consumerMaxGroupSize()),
                first,
                integer(settings, "offset.metadata.max.bytes", d.offsetMetadataMaxBytes()),
                MigrationPolicy.parse(string(settings, "group.consumer.migration.policy", d.migrationPolicy().name())),
                OffsetRetention.from(settings));
    }

    private static int integer(BrokerSettings settings, String key, int fallback) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    private static String string(BrokerSettings settings, String key, String fallback) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}

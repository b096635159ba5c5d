package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.config.BrokerSettings;

/**
 * The broker settings of streams groups (KIP-1071), each with Kafka 4.4's default.
 *
 * @param sessionTimeoutMs {@code group.streams.session.timeout.ms}: a member silent this long is removed
 * @param heartbeatIntervalMs {@code group.streams.heartbeat.interval.ms}: told to members in every response
 * @param numStandbyReplicas {@code group.streams.num.standby.replicas}: standby tasks per active task
 * @param taskOffsetIntervalMs {@code group.streams.task.offset.interval.ms}: how often members report task offsets
 * @param acceptableRecoveryLag {@code group.streams.acceptable.recovery.lag}: told to members (KIP-1071 v1 response)
 * @param maxGroupSize {@code group.streams.max.size}: members beyond it get GROUP_MAX_SIZE_REACHED
 * @param initialRebalanceDelayMs {@code group.streams.initial.rebalance.delay.ms}: how long the first member of an
 *     empty group waits (status ASSIGNMENT_DELAYED) for others before tasks are assigned
 */
public record StreamsGroupSettings(int sessionTimeoutMs, int heartbeatIntervalMs, int numStandbyReplicas,
                                   int taskOffsetIntervalMs, long acceptableRecoveryLag, int maxGroupSize,
                                   int initialRebalanceDelayMs) {

    /** Kafka 4.4's defaults, except the initial rebalance delay: 0 on a single-node developer broker. */
    public static StreamsGroupSettings defaults() {
        return new StreamsGroupSettings(45_000, 5_000, 0, 60_000, 10_000L, Integer.MAX_VALUE, 0);
    }

    public static StreamsGroupSettings from(BrokerSettings settings) {
        StreamsGroupSettings d = defaults();
        return new StreamsGroupSettings(
                integer(settings, "group.streams.session.timeout.ms", d.sessionTimeoutMs()),
                integer(settings, "group.streams.heartbeat.interval.ms", d.heartbeatIntervalMs()),
                integer(settings, "group.streams.num.standby.replicas", d.numStandbyReplicas()),
                integer(settings, "group.streams.task.offset.interval.ms", d.taskOffsetIntervalMs()),
                longValue(settings, "group.streams.acceptable.recovery.lag", d.acceptableRecoveryLag()),
                integer(settings, "group.streams.max.size", d.maxGroupSize()),
                integer(settings, "group.streams.initial.rebalance.delay.ms", d.initialRebalanceDelayMs()));
    }

    private static long longValue(BrokerSettings settings, String key, long fallback) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
    }

    private static int integer(BrokerSettings settings, String key, int fallback) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}

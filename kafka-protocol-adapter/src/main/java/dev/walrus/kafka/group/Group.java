package dev.walrus.kafka.group;

import java.util.Optional;

/**
 * A group the coordinator knows: {@link dev.walrus.kafka.group.classic.ClassicGroup} (JoinGroup/SyncGroup),
 * {@link dev.walrus.kafka.group.consumer.ConsumerGroup} (KIP-848 heartbeats),
 * {@link dev.walrus.kafka.group.streams.StreamsGroup} (KIP-1071 heartbeats) or a share group (KIP-932,
 * {@code dev.walrus.kafka.share}); all share one id space.
 */
public interface Group {

    String groupId();

    /** {@code classic}, {@code consumer} or {@code streams}, as ListGroups v5 reports it. */
    String type();

    /** The state name Kafka reports (DescribeGroups, ListGroups): {@code Empty}, {@code Stable}, ... */
    String stateName();

    /** The protocol type ListGroups reports: {@code consumer} for consumers, empty for a simple (offsets-only) group. */
    String protocolType();

    boolean isEmpty();

    /**
     * Whether any member currently subscribes to (or is assigned) the topic: OffsetDelete refuses those offsets, and
     * they never expire.
     */
    boolean isSubscribedTo(String topic);

    /**
     * How the group's committed offsets expire in its present state (Kafka's {@code offsetExpirationCondition});
     * empty while they do not (a classic group rebalancing, say).
     */
    Optional<OffsetExpiration> offsetExpiration();

    /**
     * Whether the offset retention check removes the group once it has no committed offsets left: when it is empty,
     * as Kafka's {@code maybeDeleteGroup} decides (its {@code shouldExpire} keeps share groups).
     */
    default boolean expiresWithoutOffsets() {
        return isEmpty();
    }

    /** Whether the group log ({@code __walrus_groups}) keeps this group; share groups keep their own log. */
    default boolean storedInGroupLog() {
        return true;
    }
}

package dev.walrus.kafka.metadata;

import java.util.List;

/**
 * The KIP-584 features this node supports and has finalized, as ApiVersions (v3+) reports them and so
 * {@code Admin.describeFeatures} and {@code kafka-features describe} show them. A fresh Kafka 4.4 node finalizes
 * every production feature at its latest production level; this table does the same for each feature whose meaning
 * this broker really serves, and nothing else: a client changes its protocol on what is finalized here (a 4.x
 * producer runs transaction version 2 only if {@code transaction.version} is finalized at 2 or higher).
 *
 * <p>The levels finalized now, after any UpdateFeatures, are kept by {@link FinalizedFeatures}.
 */
public final class Features {

    /**
     * One feature: the levels this node supports and the level a fresh node finalizes (UpdateFeatures may change it,
     * see {@link FinalizedFeatures}).
     *
     * @param changeable whether UpdateFeatures may finalize another supported level: only where this broker serves
     *        every level (a client runs transaction version 1 or 2 as the finalized level says, and the coordinator
     *        serves both); the others keep their level, since the broker would not follow the change
     * @param pending supported by Kafka 4.4 but not yet served here: neither advertised as supported nor finalized
     */
    public record Feature(String name, short minSupported, short maxSupported, short finalizedLevel, boolean changeable,
                          boolean pending) {}

    /** Kafka 4.4's production features, in the order Kafka's {@code Feature} enum lists them, metadata.version first. */
    public static final List<Feature> ALL = List.of(
            // The metadata record formats up to 4.4-IV2 (level 33); supported from 3.3-IV3 (level 7), the oldest level a
            // Kafka 4.x controller accepts. Nothing client-visible depends on it; tools print it by name.
            new Feature("metadata.version", (short) 7, (short) 33, (short) 33, false, false),
            // KIP-853 dynamic controller quorums: a single node has a static voter set, finalized at 0 as a freshly
            // formatted Kafka node with a static quorum (so it is supported but not listed as finalized).
            new Feature("kraft.version", (short) 0, (short) 1, (short) 0, false, false),
            // KIP-890 part 2: transactions without AddPartitionsToTxn (Produce v12+ and TxnOffsetCommit v5+ add their
            // partition or group implicitly) and an epoch bump at every EndTxn v5+ (see TransactionCoordinator). Levels
            // 0 and 1 (clients add partitions and groups explicitly) are served as well, so the level may change.
            new Feature("transaction.version", (short) 0, (short) 2, (short) 2, true, false),
            // KIP-848: the consumer group protocol (ConsumerGroupHeartbeat, ConsumerGroupDescribe), served by the
            // group coordinator.
            new Feature("group.version", (short) 0, (short) 1, (short) 1, false, false),
            // KIP-966 eligible leader replicas: DescribeTopicPartitions reports the (always empty, one replica) ELR
            // lists, and min.insync.replicas follows the ELR rules (cluster-level value required, broker-level not
            // alterable; see BrokerConfigChange).
            new Feature("eligible.leader.replicas.version", (short) 0, (short) 1, (short) 1, false, false),
            // KIP-932 share groups (dev.walrus.kafka.share), level 1, and KIP-1191's dead-letter queues of share
            // groups (dev.walrus.kafka.share.DeadLetterQueue), level 2, which Kafka 4.4 finalizes.
            new Feature("share.version", (short) 0, (short) 2, (short) 2, false, false),
            // KIP-1071 streams groups (dev.walrus.kafka.group.streams), as Kafka 4.4 finalizes them.
            new Feature("streams.version", (short) 0, (short) 1, (short) 1, false, false));

    private Features() {}

    /** The features this node serves (not {@link Feature#pending}). */
    public static List<Feature> served() {
        return ALL.stream().filter(f -> !f.pending()).toList();
    }
}

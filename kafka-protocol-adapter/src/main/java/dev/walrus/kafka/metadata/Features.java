package dev.walrus.kafka.metadata;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;

import java.util.List;

/**
 * The KIP-584 features this node supports and has finalized, as ApiVersions (v3+) reports them and so
 * {@code Admin.describeFeatures} and {@code kafka-features describe} show them. A fresh Kafka 4.4 node finalizes
 * every production feature at its latest production level; this table does the same for each feature whose meaning
 * this broker really serves, and nothing else: a client changes its protocol on what is finalized here (a 4.x
 * producer runs transaction version 2 only if {@code transaction.version} is finalized at 2 or higher).
 *
 * <p>As in Kafka, a feature finalized at level 0 is supported but not listed as finalized (the controller drops
 * level-0 features from the metadata image), and {@code ZkMigrationReady} is false (no ZooKeeper here).
 */
public final class Features {

    /**
     * The epoch of the finalized levels below. Kafka reports the metadata offset of the last feature change; a client
     * only re-reads the finalized levels when it sees a higher epoch than it has seen before, so this number goes up
     * whenever a finalized level below changes (a longer-lived client then notices it after a restart).
     */
    public static final long FINALIZED_EPOCH = 2;

    /**
     * One feature: the levels this node supports and the level it has finalized.
     *
     * @param pending supported by Kafka 4.4 but not yet served here: neither advertised as supported nor finalized
     */
    public record Feature(String name, short minSupported, short maxSupported, short finalizedLevel, boolean pending) {}

    /** Kafka 4.4's production features, in the order Kafka's {@code Feature} enum lists them, metadata.version first. */
    public static final List<Feature> ALL = List.of(
            // The metadata record formats up to 4.4-IV2 (level 33); supported from 3.3-IV3 (level 7), the oldest level a
            // Kafka 4.x controller accepts. Nothing client-visible depends on it; tools print it by name.
            new Feature("metadata.version", (short) 7, (short) 33, (short) 33, false),
            // KIP-853 dynamic controller quorums: a single node has a static voter set, finalized at 0 as a freshly
            // formatted Kafka node with a static quorum (so it is supported but not listed as finalized).
            new Feature("kraft.version", (short) 0, (short) 1, (short) 0, false),
            // KIP-890 part 2: transactions without AddPartitionsToTxn (Produce v12+ and TxnOffsetCommit v5+ add their
            // partition or group implicitly) and an epoch bump at every EndTxn v5+ (see TransactionCoordinator).
            new Feature("transaction.version", (short) 0, (short) 2, (short) 2, false),
            // KIP-848: the consumer group protocol (ConsumerGroupHeartbeat, ConsumerGroupDescribe), served by the
            // group coordinator.
            new Feature("group.version", (short) 0, (short) 1, (short) 1, false),
            // KIP-966 eligible leader replicas: DescribeTopicPartitions reports the (always empty, one replica) ELR
            // lists, and min.insync.replicas follows the ELR rules (cluster-level value required, broker-level not
            // alterable; see BrokerConfigChange).
            new Feature("eligible.leader.replicas.version", (short) 0, (short) 1, (short) 1, false),
            // KIP-932 share groups: pending, switched on when share groups merge (then level 0-2, finalized 2).
            new Feature("share.version", (short) 0, (short) 2, (short) 2, true),
            // KIP-1071 streams groups: pending, switched on when streams groups merge (then level 0-1, finalized 1).
            new Feature("streams.version", (short) 0, (short) 1, (short) 1, true));

    private Features() {}

    /** The features this node serves (not {@link Feature#pending}). */
    public static List<Feature> served() {
        return ALL.stream().filter(f -> !f.pending()).toList();
    }

    /** The finalized level of a served feature; 0 if it is unknown or pending. */
    public static short finalizedLevel(String name) {
        return served().stream().filter(f -> f.name().equals(name)).map(Feature::finalizedLevel).findFirst()
                .orElse((short) 0);
    }

    /**
     * Fills the KIP-584 fields of an ApiVersions response as a Kafka 4.4 KRaft broker does: every served feature's
     * supported range, those finalized above level 0, the finalized epoch, and no ZooKeeper migration.
     */
    public static void describeInto(ApiVersionsResponseData response) {
        for (Feature f : served()) {
            response.supportedFeatures().add(new SupportedFeatureKey().setName(f.name())
                    .setMinVersion(f.minSupported()).setMaxVersion(f.maxSupported()));
            if (f.finalizedLevel() > 0) {
                response.finalizedFeatures().add(new FinalizedFeatureKey().setName(f.name())
                        .setMinVersionLevel(f.finalizedLevel()).setMaxVersionLevel(f.finalizedLevel()));
            }
        }
        response.setFinalizedFeaturesEpoch(FINALIZED_EPOCH).setZkMigrationReady(false);
    }
}

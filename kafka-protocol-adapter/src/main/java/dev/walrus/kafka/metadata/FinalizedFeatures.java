package dev.walrus.kafka.metadata;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The finalized level of each served feature ({@link Features}): a fresh node's levels, then what UpdateFeatures
 * changed (logged in the metadata log as {@link MetadataRecord.FeatureLevelChanged}, replayed at start).
 *
 * <p>Threading: changed under the registry's lock; read lock-free by every ApiVersions (an immutable map behind a
 * volatile field).
 */
public final class FinalizedFeatures {

    private volatile Map<String, Short> levels;

    FinalizedFeatures() {
        Map<String, Short> fresh = new LinkedHashMap<>();
        Features.served().forEach(f -> fresh.put(f.name(), f.finalizedLevel()));
        levels = Map.copyOf(fresh);
    }

    /** The finalized level of a feature; 0 if it is not served. */
    public short level(String name) {
        return levels.getOrDefault(name, (short) 0);
    }

    /** The served feature of that name, if any. */
    public static Optional<Features.Feature> served(String name) {
        return Features.served().stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Registry lock held (or replaying): a feature's finalized level changes. */
    void apply(String name, short level) {
        Map<String, Short> changed = new LinkedHashMap<>(levels);
        changed.put(name, level);
        levels = Map.copyOf(changed);
    }

    /**
     * Fills the KIP-584 fields of an ApiVersions response as a Kafka 4.4 KRaft broker does: every served feature's
     * supported range, those finalized above level 0 (Kafka drops level-0 features from its metadata image), the epoch
     * (Kafka reports its metadata offset; here the metadata log's end, which only grows) and no ZooKeeper migration.
     */
    public void describeInto(ApiVersionsResponseData response, long epoch) {
        Map<String, Short> current = levels;
        for (Features.Feature f : Features.served()) {
            response.supportedFeatures().add(new SupportedFeatureKey().setName(f.name())
                    .setMinVersion(f.minSupported()).setMaxVersion(f.maxSupported()));
            short level = current.getOrDefault(f.name(), (short) 0);
            if (level > 0) {
                response.finalizedFeatures().add(new FinalizedFeatureKey().setName(f.name())
                        .setMinVersionLevel(level).setMaxVersionLevel(level));
            }
        }
        response.setFinalizedFeaturesEpoch(epoch).setZkMigrationReady(false);
    }
}

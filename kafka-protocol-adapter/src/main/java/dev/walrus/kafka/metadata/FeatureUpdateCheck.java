package dev.walrus.kafka.metadata;

import org.apache.kafka.clients.admin.FeatureUpdate.UpgradeType;

import java.util.Optional;

/**
 * Kafka's controller checks of one UpdateFeatures change ({@code FeatureControlManager.updateFeature}), in its order
 * and words, for this single node (the local controller is also the only broker): the upgrade type, a level below 0,
 * the supported range, an upgrade or downgrade in the wrong direction, then metadata.version's and kraft.version's own
 * rules. One rule of our own comes last: a feature this broker would not follow to another level keeps its level
 * ({@link Features.Feature#changeable}).
 */
public final class FeatureUpdateCheck {

    private static final String METADATA_VERSION = "metadata.version";
    private static final String KRAFT_VERSION = "kraft.version";

    private FeatureUpdateCheck() {}

    /**
     * Why the change is refused, as Kafka's INVALID_UPDATE_VERSION message for it; empty if it may be made.
     *
     * @param nodeId this node's id, which Kafka names as the local controller
     */
    public static Optional<String> refusal(String feature, short level, UpgradeType type, FinalizedFeatures current,
                                           int nodeId) {
        if (type == UpgradeType.UNKNOWN) {
            return invalid(feature, level, "The controller does not support the given upgrade type.");
        }
        short currentLevel = current.level(feature);
        if (level < 0) {
            return invalid(feature, level, "A feature version cannot be less than 0.");
        }
        Optional<Features.Feature> served = FinalizedFeatures.served(feature);
        short min = served.map(Features.Feature::minSupported).orElse((short) 0);
        short max = served.map(Features.Feature::maxSupported).orElse((short) 0);
        if (level < min || level > max) {
            return invalid(feature, level, "Local controller " + nodeId + (max == 0
                    ? " does not support this feature." : " only supports versions " + min + "-" + max));
        }
        if (level < currentLevel && type == UpgradeType.UPGRADE) {
            return invalid(feature, level, "Can't downgrade the version of this feature without setting the upgrade "
                    + "type to either safe or unsafe downgrade.");
        }
        if (level > currentLevel && type != UpgradeType.UPGRADE) {
            return invalid(feature, level, "Can't downgrade to a newer version.");
        }
        if (feature.equals(METADATA_VERSION) && level < currentLevel) {
            // 4.4-IV2 (the only level finalized here) changed the metadata records, so Kafka refuses every downgrade
            // from it (MetadataVersion.checkIfMetadataChanged)
            return Optional.of("Unsupported metadata.version downgrade from " + currentLevel + " to " + level + ". "
                    + (type == UpgradeType.UNSAFE_DOWNGRADE
                    ? "Unsafe metadata downgrade is not supported in this version."
                    : "Refusing to perform the requested downgrade because it might delete metadata information."));
        }
        if (feature.equals(KRAFT_VERSION) && type != UpgradeType.UPGRADE && level != currentLevel) {
            return invalid(feature, level, "Can't downgrade the version of this feature.");
        }
        if (level != currentLevel && served.isPresent() && !served.get().changeable()) {
            return invalid(feature, level, "Walrus Broker keeps " + feature + " at level " + currentLevel
                    + ": it would not follow a change of this feature.");
        }
        return Optional.empty();
    }

    private static Optional<String> invalid(String feature, short level, String reason) {
        return Optional.of(String.format("Invalid update version %d for feature %s. %s", level, feature, reason));
    }
}

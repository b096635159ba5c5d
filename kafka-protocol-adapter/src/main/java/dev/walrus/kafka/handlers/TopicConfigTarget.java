package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks both config-altering APIs (AlterConfigs, IncrementalAlterConfigs) make before looking at values, in
 * Kafka's order: the resource must be a topic (broker resources go to {@link BrokerConfigChange}), no config may be
 * named twice, and the topic must exist.
 */
final class TopicConfigTarget {

    private TopicConfigTarget() {}

    /** The topic a resource names, or the failure to answer it with. */
    static Outcome<TopicInfo> resolve(byte resourceType, String resourceName, List<String> configNames,
                                      TopicRegistry registry) {
        ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
        if (type != ConfigResource.Type.TOPIC) {
            return Outcome.fail(Errors.INVALID_REQUEST, refusal(type));
        }
        Set<String> names = new HashSet<>();
        for (String name : configNames) {
            if (!names.add(name)) {
                return Outcome.fail(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
            }
        }
        return registry.byName(resourceName)
                .map(Outcome::ok)
                .orElseGet(() -> Outcome.fail(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                        "The topic '" + resourceName + "' does not exist."));
    }

    private static String refusal(ConfigResource.Type type) {
        return switch (type) {
            case BROKER_LOGGER -> "Walrus Broker does not change log levels at runtime: set them in the logging "
                    + "configuration (org.slf4j.simpleLogger.* system properties) and restart";
            default -> "Altering " + type + " configs is not supported by Walrus Broker";
        };
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;


/**
 * The topic a config-altering request (AlterConfigs, IncrementalAlterConfigs) names, after the request-level checks
 * ({@link ConfigAlterChecks}: no config named twice, every value given): the resource must be a topic (broker, group
 * and client-metrics resources have their own changes) and the topic must exist.
 */
final class TopicConfigTarget {

    private TopicConfigTarget() {}

    /** The topic a resource names, or the failure to answer it with. */
    static Outcome<TopicInfo> resolve(byte resourceType, String resourceName, TopicRegistry registry) {
        ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
        if (type != ConfigResource.Type.TOPIC) {
            return Outcome.fail(Errors.INVALID_REQUEST, refusal(type));
        }
        return registry.byName(resourceName)
                .map(Outcome::ok)
                .orElseGet(() -> Outcome.fail(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                        "The topic '" + resourceName + "' does not exist."));
    }

    private static String refusal(ConfigResource.Type type) {
        return "Altering " + type + " configs is not supported by Walrus Broker";
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What Kafka checks before describing or altering one config resource: DESCRIBE_CONFIGS or ALTER_CONFIGS on a topic
 * or group of that name, and on the cluster for a broker, a broker logger or client metrics. Each check comes
 * before the resource is looked up, so a client without the permission does not learn whether it exists.
 */
final class ConfigPermissions {

    private ConfigPermissions() {}

    /** NONE when the client may describe the resource's configs, else Kafka's error for its type. */
    static Errors describeDenial(RequestContext context, byte resourceType, String name) {
        return denial(context, AclOperation.DESCRIBE_CONFIGS, resourceType, name);
    }

    /** NONE when the client may alter the resource's configs, else Kafka's error for its type. */
    static Errors alterDenial(RequestContext context, byte resourceType, String name) {
        return denial(context, AclOperation.ALTER_CONFIGS, resourceType, name);
    }

    private static Errors denial(RequestContext context, AclOperation operation, byte resourceType, String name) {
        return switch (ConfigResource.Type.forId(resourceType)) {
            case BROKER, BROKER_LOGGER, CLIENT_METRICS -> context.authorizedOnCluster(operation)
                    ? Errors.NONE : Errors.CLUSTER_AUTHORIZATION_FAILED;
            case TOPIC -> context.authorized(operation, ResourceType.TOPIC, name)
                    ? Errors.NONE : Errors.TOPIC_AUTHORIZATION_FAILED;
            case GROUP -> context.authorized(operation, ResourceType.GROUP, name)
                    ? Errors.NONE : Errors.GROUP_AUTHORIZATION_FAILED;
            default -> Errors.NONE;   // an unknown type gets its own error afterwards
        };
    }
}

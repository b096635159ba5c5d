package dev.walrus.kafka.metadata;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.authz.Authorizer;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

import java.util.EnumSet;
import java.util.Set;

/**
 * The operations a client may perform on a resource, as the bit fields Metadata, DescribeCluster, DescribeGroups,
 * ConsumerGroupDescribe and DescribeTopicPartitions report (bit n for the operation of code n): each operation the
 * resource type supports that the authorizer allows; with no authorizer, every one (Kafka's answer too).
 */
public final class AuthorizedOperations {

    /** What a topic supports: READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS (3576). */
    static final Set<AclOperation> TOPIC_OPERATIONS = EnumSet.of(AclOperation.READ, AclOperation.WRITE,
            AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);

    /**
     * What the cluster supports: CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALTER,
     * DESCRIBE (8096).
     */
    static final Set<AclOperation> CLUSTER_OPERATIONS = EnumSet.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE,
            AclOperation.ALTER, AclOperation.DESCRIBE);

    /** What a group supports: READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS, ALTER_CONFIGS. */
    static final Set<AclOperation> GROUP_OPERATIONS = EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE,
            AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);

    /** The value the message schemas use for "not requested". */
    public static final int NOT_REQUESTED = Integer.MIN_VALUE;

    private AuthorizedOperations() {}

    public static int topic(RequestContext context, String name) {
        return of(context, ResourceType.TOPIC, name, TOPIC_OPERATIONS);
    }

    public static int cluster(RequestContext context) {
        return of(context, ResourceType.CLUSTER, Authorizer.CLUSTER_NAME, CLUSTER_OPERATIONS);
    }

    public static int group(RequestContext context, String groupId) {
        return of(context, ResourceType.GROUP, groupId, GROUP_OPERATIONS);
    }

    private static int of(RequestContext context, ResourceType type, String name, Set<AclOperation> supported) {
        if (!context.authorizer().enabled()) {
            return bits(supported);
        }
        return context.authorizer().authorizedOperations(context.principal(), context.hostAddress(), type, name,
                supported);
    }

    private static int bits(Set<AclOperation> operations) {
        int field = 0;
        for (AclOperation op : operations) {
            field |= 1 << op.code();
        }
        return field;
    }
}

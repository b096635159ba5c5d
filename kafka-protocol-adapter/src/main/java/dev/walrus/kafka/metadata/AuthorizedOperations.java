package dev.walrus.kafka.metadata;

import org.apache.kafka.common.acl.AclOperation;

import java.util.EnumSet;
import java.util.Set;

/**
 * The operations a client may perform, as the bit fields Metadata, DescribeCluster and DescribeTopicPartitions
 * report. With no authorizer (this broker has none yet) Kafka reports every operation the resource type supports.
 */
public final class AuthorizedOperations {

    /** READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS: 3576. */
    public static final int TOPIC = bits(EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
            AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS));

    /** CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALTER, DESCRIBE: 8096. */
    public static final int CLUSTER = bits(EnumSet.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE,
            AclOperation.ALTER, AclOperation.DESCRIBE));

    /** The value the message schemas use for "not requested". */
    public static final int NOT_REQUESTED = Integer.MIN_VALUE;

    private AuthorizedOperations() {}

    private static int bits(Set<AclOperation> operations) {
        int field = 0;
        for (AclOperation op : operations) {
            field |= 1 << op.code();
        }
        return field;
    }
}

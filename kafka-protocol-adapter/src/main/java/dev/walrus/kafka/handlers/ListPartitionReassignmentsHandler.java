package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * ListPartitionReassignments (API key 46), version 0: the reassignments in progress, of every partition or of the
 * ones named ({@code kafka-reassign-partitions --list}, {@code Admin.listPartitionReassignments}). With one node a
 * reassignment completes the moment it is accepted (see {@link AlterPartitionReassignmentsHandler}), so none is ever
 * in progress and the answer is empty, for unknown partitions too, as Kafka answers them.
 *
 * <p>Authorization (with an authorizer): DESCRIBE on the cluster (else CLUSTER_AUTHORIZATION_FAILED for the request).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-455), flexible.
 * </ul>
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler<ListPartitionReassignmentsRequestData> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ListPartitionReassignmentsRequestData request,
                                                RequestContext context) {
        context.requireOnCluster(AclOperation.DESCRIBE, header);   // else CLUSTER_AUTHORIZATION_FAILED for the request
        return CompletableFuture.completedFuture(new ListPartitionReassignmentsResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code()));
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * LeaveGroup (API key 13), versions 0-5: classic members leave; the group rebalances without them.
 *
 * <p>Behaviour: as Apache Kafka 4.x. From v3 each member of the batch gets its own error; the top-level error is
 * then NONE unless the group itself is unknown.
 *
 * <p>Authorizes READ on the group first: a top-level GROUP_AUTHORIZATION_FAILED and no members.
 *
 * <p>Version notes: v1 throttle time; v2 same; v3 batched members with group.instance.id (KIP-345); v4 flexible;
 * v5 leave reason (KIP-800).
 */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequestData> {

    private final GroupCoordinator coordinator;

    public LeaveGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, LeaveGroupRequestData request, RequestContext context) {
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new LeaveGroupResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return coordinator.leaveGroup(request, header.apiVersion()).thenApply(r -> r);
    }
}

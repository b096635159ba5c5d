package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * Heartbeat (API key 12), versions 0-4: keeps a classic member's session alive; REBALANCE_IN_PROGRESS tells it to
 * rejoin.
 *
 * <p>Behaviour: as Apache Kafka 4.x.
 *
 * <p>Authorizes READ on the group first: GROUP_AUTHORIZATION_FAILED.
 *
 * <p>Version notes: v1 throttle time; v2 same; v3 group.instance.id (KIP-345); v4 flexible.
 */
public final class HeartbeatHandler implements ApiHandler<HeartbeatRequestData> {

    private final GroupCoordinator coordinator;

    public HeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, HeartbeatRequestData request, RequestContext context) {
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new HeartbeatResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return coordinator.heartbeat(request, header.apiVersion()).thenApply(r -> r);
    }
}

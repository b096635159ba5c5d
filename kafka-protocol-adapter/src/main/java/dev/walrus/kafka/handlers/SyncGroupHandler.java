package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * SyncGroup (API key 14), versions 0-5: the leader hands in the assignment; every member gets its part.
 *
 * <p>Behaviour: as Apache Kafka 4.x. Followers' responses are futures completed when the leader's assignment arrives.
 *
 * <p>Authorizes READ on the group, after Kafka's v5+ check that protocol type and name are present.
 *
 * <p>Version notes: v1 throttle time; v2 same; v3 group.instance.id (KIP-345); v4 flexible; v5 protocol type and
 * name checked and returned (KIP-559).
 */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequestData> {

    private final GroupCoordinator coordinator;

    public SyncGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, SyncGroupRequestData request, RequestContext context) {
        short version = header.apiVersion();
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            // Kafka refuses a v5+ request without protocol type and name before it authorizes
            boolean incomplete = version >= 5 && (request.protocolType() == null || request.protocolName() == null);
            Errors error = incomplete ? Errors.INCONSISTENT_GROUP_PROTOCOL : Errors.GROUP_AUTHORIZATION_FAILED;
            return CompletableFuture.completedFuture(new SyncGroupResponseData()
                    .setErrorCode(error.code())
                    .setAssignment(new byte[0]));
        }
        return coordinator.syncGroup(request, version).thenApply(r -> r);
    }
}

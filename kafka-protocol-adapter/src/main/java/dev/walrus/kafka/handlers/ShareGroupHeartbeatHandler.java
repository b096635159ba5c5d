package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.share.ShareCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import dev.walrus.kafka.group.ClientInfo;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;

import java.util.concurrent.CompletableFuture;

/**
 * ShareGroupHeartbeat (API key 76), version 1: joining, staying in and leaving a share group (KIP-932); the answer
 * carries the member epoch and, when it changed or was asked for, the member's assignment.
 *
 * <p>Behaviour: as Apache Kafka 4.4 (validation ladder, errors and messages; the simple assignor's rules). Share
 * groups are served whatever {@code group.coordinator.rebalance.protocols} says: Kafka enables them with its
 * {@code share.version} feature, which this broker does not gate them on.
 *
 * <p>Authorizes READ on the group (GROUP_AUTHORIZATION_FAILED), then, with an authorizer, DESCRIBE on every subscribed
 * topic (TOPIC_AUTHORIZATION_FAILED), as Kafka does.
 *
 * <p>Version notes: v0 was the early-access version of Kafka 4.0 (not served); v1 KIP-932 as released.
 */
public final class ShareGroupHeartbeatHandler implements ApiHandler<ShareGroupHeartbeatRequestData> {

    private final ShareCoordinator shares;

    public ShareGroupHeartbeatHandler(ShareCoordinator shares) {
        this.shares = shares;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_GROUP_HEARTBEAT;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.SHARE_GROUP_HEARTBEAT.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ShareGroupHeartbeatRequestData request, RequestContext context) {
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return refused(Errors.GROUP_AUTHORIZATION_FAILED);
        }
        if (request.subscribedTopicNames() != null && context.authorizer().enabled()) {
            for (String topic : request.subscribedTopicNames()) {
                if (!context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic)) {
                    return refused(Errors.TOPIC_AUTHORIZATION_FAILED);
                }
            }
        }
        return shares.heartbeat(request, ClientInfo.of(header.clientId(), context.clientAddress())).thenApply(r -> r);
    }

    private static CompletableFuture<ApiMessage> refused(Errors error) {
        return CompletableFuture.completedFuture(new ShareGroupHeartbeatResponseData().setErrorCode(error.code()));
    }
}

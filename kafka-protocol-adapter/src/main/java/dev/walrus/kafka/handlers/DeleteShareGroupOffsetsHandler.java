package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.share.ShareCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;

import java.util.concurrent.CompletableFuture;

/**
 * DeleteShareGroupOffsets (API key 92), version 0: forgets the share partition states of whole topics for a share
 * group with no members (KIP-932); the next read starts again from {@code share.auto.offset.reset}.
 *
 * <p>Behaviour: as Apache Kafka 4.4: GROUP_ID_NOT_FOUND for an unknown group or one of another kind, NON_EMPTY_GROUP
 * while it has members, UNKNOWN_TOPIC_OR_PARTITION per unknown topic. Durable (fsync) before the answer.
 *
 * <p>Authorizes DELETE on the group (GROUP_AUTHORIZATION_FAILED) and READ on each topic (TOPIC_AUTHORIZATION_FAILED).
 *
 * <p>Version notes: v0 KIP-932.
 */
public final class DeleteShareGroupOffsetsHandler implements ApiHandler<DeleteShareGroupOffsetsRequestData> {

    private final ShareCoordinator shares;

    public DeleteShareGroupOffsetsHandler(ShareCoordinator shares) {
        this.shares = shares;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_SHARE_GROUP_OFFSETS;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.DELETE_SHARE_GROUP_OFFSETS.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DeleteShareGroupOffsetsRequestData request,
                                                RequestContext context) {
        if (!context.authorized(AclOperation.DELETE, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new DeleteShareGroupOffsetsResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message()));
        }
        return shares.deleteOffsets(request, topic -> context.authorized(AclOperation.READ, ResourceType.TOPIC, topic))
                .thenApply(r -> r);
    }
}

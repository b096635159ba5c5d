package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.share.ShareCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;

import java.util.concurrent.CompletableFuture;

/**
 * AlterShareGroupOffsets (API key 91), version 0: sets the start offset of share partitions of a group with no
 * members (KIP-932), what {@code Admin.alterShareGroupOffsets} and {@code kafka-share-groups --reset-offsets} do.
 *
 * <p>Behaviour: as Apache Kafka 4.4: NON_EMPTY_GROUP while the group has members, GROUP_ID_NOT_FOUND for a group of
 * another kind; an unknown group is created empty. The new offsets are durable (fsync) before the answer.
 *
 * <p>Authorizes READ on the group (GROUP_AUTHORIZATION_FAILED) and READ on each topic (TOPIC_AUTHORIZATION_FAILED per
 * partition).
 *
 * <p>Version notes: v0 KIP-932.
 */
public final class AlterShareGroupOffsetsHandler implements ApiHandler<AlterShareGroupOffsetsRequestData> {

    private final ShareCoordinator shares;

    public AlterShareGroupOffsetsHandler(ShareCoordinator shares) {
        this.shares = shares;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_SHARE_GROUP_OFFSETS;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.ALTER_SHARE_GROUP_OFFSETS.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, AlterShareGroupOffsetsRequestData request,
                                                RequestContext context) {
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new AlterShareGroupOffsetsResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message()));
        }
        return shares.alterOffsets(request, topic -> context.authorized(AclOperation.READ, ResourceType.TOPIC, topic))
                .thenApply(r -> r);
    }
}

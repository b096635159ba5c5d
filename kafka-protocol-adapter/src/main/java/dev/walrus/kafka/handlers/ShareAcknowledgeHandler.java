package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.share.ShareCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;

import java.util.concurrent.CompletableFuture;

/**
 * ShareAcknowledge (API key 79), versions 1-2: a share group member acknowledges records it acquired (KIP-932):
 * ACCEPT, RELEASE, REJECT (and RENEW, v2); epoch -1 closes its share session, releasing what it still holds.
 *
 * <p>Behaviour: as Apache Kafka 4.4 (session epochs, INVALID_RECORD_STATE for a record the member does not hold;
 * a REJECT, or a RELEASE of a record's last delivery attempt, writes it to the group's dead-letter queue, KIP-1191),
 * except that the acknowledgements are durable (fsync) before the answer.
 *
 * <p>Authorizes READ on the group (top-level GROUP_AUTHORIZATION_FAILED), then READ on each topic
 * (TOPIC_AUTHORIZATION_FAILED per partition).
 *
 * <p>Version notes: v0 early access (not served); v1 KIP-932 as released; v2 RENEW and the acquisition lock timeout
 * (KIP-1222).
 */
public final class ShareAcknowledgeHandler implements ApiHandler<ShareAcknowledgeRequestData> {

    private final ShareCoordinator shares;

    public ShareAcknowledgeHandler(ShareCoordinator shares) {
        this.shares = shares;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_ACKNOWLEDGE;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.SHARE_ACKNOWLEDGE.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ShareAcknowledgeRequestData request, RequestContext context) {
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new ShareAcknowledgeResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return shares.acknowledge(request, header.apiVersion(), context).thenApply(r -> r);
    }
}

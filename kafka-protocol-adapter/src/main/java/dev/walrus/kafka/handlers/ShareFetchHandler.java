package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.share.ShareCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;

import java.util.concurrent.CompletableFuture;

/**
 * ShareFetch (API key 78), versions 1-2: a share group member's fetch (KIP-932): acknowledgements of what it had,
 * then records acquired for it, whole record batches from the log (zero copy) with the acquired offset ranges and
 * their delivery counts; share sessions (epoch 0 opens, -1 closes) and long polls ({@code MaxWaitMs}).
 *
 * <p>Behaviour:
 * <ul>
 *   <li>Acquires up to {@code MaxRecords}, finishing the last batch as Kafka's batch-optimized mode does (the
 *       record-limit mode, v2, stops exactly there); new records are reported in ranges cut by {@code BatchSize} at
 *       record batch boundaries, as Kafka's SharePartition cuts them.
 *   <li>Waits, as Kafka's DelayedShareFetch, up to {@code MaxWaitMs} until {@code MinBytes} can be acquired (then
 *       acquires and answers) or the time is up (then answers with what it can acquire), woken by an append to one of
 *       the partitions or by records becoming available again; an error answers at once, and {@code MinBytes} 0 asks
 *       for no wait.
 *   <li>Counts against the member's {@code consumer_byte_rate} quota as Kafka does: {@code MaxBytes} capped at what
 *       one quota window allows; over the quota, an empty answer with the throttle time (which the client waits out,
 *       KIP-219), the records acquired staying locked to the member until their lock runs out.
 *   <li>Acknowledgements are durable (fsync) before the answer, where Kafka does not fsync.
 * </ul>
 *
 * <p>Authorizes READ on the group (top-level GROUP_AUTHORIZATION_FAILED), then READ on each topic
 * (TOPIC_AUTHORIZATION_FAILED per partition).
 *
 * <p>Version notes: v0 early access (not served); v1 KIP-932 as released (MaxRecords, BatchSize, acquisition lock
 * timeout); v2 ShareAcquireMode (KIP-1206) and RENEW acknowledgements (KIP-1222).
 */
public final class ShareFetchHandler implements ApiHandler<ShareFetchRequestData> {

    private final ShareCoordinator shares;

    public ShareFetchHandler(ShareCoordinator shares) {
        this.shares = shares;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_FETCH;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.SHARE_FETCH.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ShareFetchRequestData request, RequestContext context) {
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new ShareFetchResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return shares.fetch(request, header.apiVersion(), header.clientId(), context).thenApply(r -> r);
    }
}

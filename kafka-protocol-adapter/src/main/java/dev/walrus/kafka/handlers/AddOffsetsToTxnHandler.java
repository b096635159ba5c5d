package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.txn.TransactionCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * AddOffsetsToTxn (key 25), versions 0-4: a consumer group joins a producer's transaction, so that its offsets
 * (TxnOffsetCommit) are committed with it ({@code sendOffsetsToTransaction}).
 *
 * <p>Behaviour: as Kafka's coordinator (see {@link TransactionCoordinator#addOffsets}).
 *
 * <p>Authorization: WRITE on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), then READ on the group
 * (GROUP_AUTHORIZATION_FAILED), as in Kafka.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version. v1: same as v0. v2 (KIP-588): PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before).
 *   <li>v3: flexible. v4 (KIP-890): same as v3.
 * </ul>
 */
public final class AddOffsetsToTxnHandler implements ApiHandler<AddOffsetsToTxnRequestData> {

    private static final short FENCED_SINCE = 2;

    private final TransactionCoordinator transactions;

    public AddOffsetsToTxnHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, AddOffsetsToTxnRequestData request,
                                                RequestContext context) {
        if (!context.authorized(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId())) {
            return refused(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return refused(Errors.GROUP_AUTHORIZATION_FAILED);
        }
        return transactions.addOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        request.groupId())
                .thenApply(error -> new AddOffsetsToTxnResponseData().setThrottleTimeMs(0)
                        .setErrorCode(TransactionErrors.forVersion(error, header.apiVersion(), FENCED_SINCE).code()));
    }

    private static CompletableFuture<ApiMessage> refused(Errors error) {
        return CompletableFuture.completedFuture(new AddOffsetsToTxnResponseData().setThrottleTimeMs(0)
                .setErrorCode(error.code()));
    }
}

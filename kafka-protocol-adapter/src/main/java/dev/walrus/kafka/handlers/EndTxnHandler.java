package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.txn.TransactionCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * EndTxn (key 26), versions 0-5: commits or aborts a producer's transaction.
 *
 * <p>Behaviour: as Kafka's coordinator, except that the answer comes once the markers are written and durable, not
 * once the decision is (see {@link TransactionCoordinator}): a read_committed consumer sees a committed transaction
 * as soon as its producer hears of the commit.
 *
 * <p>Authorization: WRITE on the transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED with producer id and
 * epoch -1), as in Kafka.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version. v1: same as v0. v2 (KIP-588): PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before).
 *   <li>v3: flexible. v4 (KIP-890): TRANSACTION_ABORTABLE (not produced here). v5 (KIP-890 part 2, transaction
 *       version 2, sent by clients once {@code transaction.version} 2 is finalized): every end bumps the epoch (a new
 *       producer id when it is exhausted), the answer names the producer id and epoch of the next transaction, and
 *       an abort with nothing added is allowed (see {@link TransactionCoordinator#endTransaction}).
 * </ul>
 */
public final class EndTxnHandler implements ApiHandler<EndTxnRequestData> {

    private static final short FENCED_SINCE = 2;
    /** EndTxn v5+ comes from a client of transaction version 2 (Kafka's {@code transactionVersionForEndTxn}). */
    private static final short TRANSACTION_V2_SINCE = 5;

    private final TransactionCoordinator transactions;

    public EndTxnHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, EndTxnRequestData request, RequestContext context) {
        if (!context.authorized(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId())) {
            return CompletableFuture.completedFuture(new EndTxnResponseData().setThrottleTimeMs(0)
                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                    .setProducerId(-1).setProducerEpoch((short) -1));
        }
        short version = header.apiVersion();
        return transactions.endTransaction(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        request.committed(), version >= TRANSACTION_V2_SINCE)
                .thenApply(result -> new EndTxnResponseData().setThrottleTimeMs(0)
                        .setErrorCode(TransactionErrors.forVersion(result.error(), version, FENCED_SINCE).code())
                        .setProducerId(result.producerId())
                        .setProducerEpoch(result.epoch()));
    }
}

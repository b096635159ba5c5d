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
 *   <li>v3: flexible. v4 (KIP-890): TRANSACTION_ABORTABLE (not produced here). v5 (KIP-890, transaction version 2):
 *       the producer id and epoch for the next transaction; this broker runs transaction version 1 (it advertises
 *       no finalized features), so a v5 answer echoes the request's.
 * </ul>
 */
public final class EndTxnHandler implements ApiHandler<EndTxnRequestData> {

    private static final short FENCED_SINCE = 2;

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
        return transactions.endTransaction(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        request.committed())
                .thenApply(error -> new EndTxnResponseData().setThrottleTimeMs(0)
                        .setErrorCode(TransactionErrors.forVersion(error, header.apiVersion(), FENCED_SINCE).code())
                        .setProducerId(request.producerId())
                        .setProducerEpoch(request.producerEpoch()));
    }
}

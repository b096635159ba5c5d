package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.producer.ProducerIdAllocator;
import dev.walrus.kafka.txn.TransactionCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * InitProducerId (key 22), versions 0-5: a producer id and epoch, for an idempotent producer or for a transactional
 * id.
 *
 * <p>Behaviour: as in Kafka, a non-transactional request always gets a fresh producer id, whatever id and epoch it
 * names (KIP-360's bump only applies to transactional ids). Ids are never reused, across restarts too (see
 * {@link ProducerIdAllocator}). A transactional id goes to the {@link TransactionCoordinator}: its epoch is bumped,
 * which fences the previous producer. An open transaction is aborted first (under the next epoch) and the caller
 * answered CONCURRENT_TRANSACTIONS, as Kafka does; the client's retry gets the epoch. PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v4 (KIP-588).
 *
 * <p>Authorization: a transactional id needs WRITE on it (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), an idempotent
 * producer IDEMPOTENT_WRITE on the cluster or WRITE on some topic (CLUSTER_AUTHORIZATION_FAILED), as in Kafka.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: transactional id and timeout. v1: same as v0. v2: flexible.
 *   <li>v3 (KIP-360): the current producer id and epoch (ignored without a transactional id). v4: same as v3.
 *   <li>v5 (KIP-890): same as v4. v6 (KIP-939, two-phase commit): unstable in kafka-clients 4.4, not advertised.
 * </ul>
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequestData> {

    /** The first version that knows PRODUCER_FENCED (KIP-588). */
    private static final short FENCED_SINCE = 4;

    private final ProducerIdAllocator allocator;
    private final TransactionCoordinator transactions;

    public InitProducerIdHandler(ProducerIdAllocator allocator, TransactionCoordinator transactions) {
        this.allocator = allocator;
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.INIT_PRODUCER_ID.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, InitProducerIdRequestData request, RequestContext context) {
        Errors denied = authorizationError(request, context);
        if (denied != Errors.NONE) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData().setErrorCode(denied.code())
                    .setProducerId(-1).setProducerEpoch((short) -1));
        }
        if (request.transactionalId() != null) {
            short version = header.apiVersion();
            return transactions.initProducerId(request.transactionalId(), request.transactionTimeoutMs(),
                    request.producerId(), request.producerEpoch()).thenApply(result -> new InitProducerIdResponseData()
                            .setErrorCode(TransactionErrors.forVersion(result.error(), version, FENCED_SINCE).code())
                            .setProducerId(result.producerId())
                            .setProducerEpoch(result.epoch()));
        }
        return allocator.nextProducerId().thenApply(id -> new InitProducerIdResponseData()
                .setErrorCode(Errors.NONE.code())
                .setProducerId(id)
                .setProducerEpoch((short) 0));
    }

    /**
     * Kafka's checks, before anything else: WRITE on the transactional id (and TWO_PHASE_COMMIT for a two-phase
     * commit), else for an idempotent producer IDEMPOTENT_WRITE on the cluster or WRITE on any topic (Kafka's
     * {@code authorizeByResourceType}).
     */
    private static Errors authorizationError(InitProducerIdRequestData request, RequestContext context) {
        String transactionalId = request.transactionalId();
        if (transactionalId != null) {
            boolean allowed = context.authorized(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)
                    && (!request.enable2Pc()
                    || context.authorized(AclOperation.TWO_PHASE_COMMIT, ResourceType.TRANSACTIONAL_ID, transactionalId));
            return allowed ? Errors.NONE : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        return context.authorizedOnCluster(AclOperation.IDEMPOTENT_WRITE)
                || context.authorizedOnSome(AclOperation.WRITE, ResourceType.TOPIC)
                ? Errors.NONE : Errors.CLUSTER_AUTHORIZATION_FAILED;
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.producer.ProducerIdAllocator;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * InitProducerId (key 22), versions 0-5: a new producer id, epoch 0, for an idempotent producer.
 *
 * <p>Behaviour: as in Kafka, a non-transactional request always gets a fresh producer id, whatever id and epoch it
 * names (KIP-360's bump only applies to transactional ids). Ids are never reused, across restarts too (see
 * {@link ProducerIdAllocator}). Transactional ids are answered COORDINATOR_NOT_AVAILABLE: there is no transaction
 * coordinator yet.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: transactional id and timeout. v1: same as v0. v2: flexible.
 *   <li>v3 (KIP-360): the current producer id and epoch (ignored without a transactional id). v4: same as v3.
 *   <li>v5 (KIP-890): same as v4. v6 (KIP-939, two-phase commit): unstable in kafka-clients 4.4, not advertised.
 * </ul>
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequestData> {

    private final ProducerIdAllocator allocator;

    public InitProducerIdHandler(ProducerIdAllocator allocator) {
        this.allocator = allocator;
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
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                    .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setProducerId(-1)
                    .setProducerEpoch((short) -1));
        }
        return allocator.nextProducerId().thenApply(id -> new InitProducerIdResponseData()
                .setErrorCode(Errors.NONE.code())
                .setProducerId(id)
                .setProducerEpoch((short) 0));
    }
}

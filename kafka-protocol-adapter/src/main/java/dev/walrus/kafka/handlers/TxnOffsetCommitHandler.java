package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.offsets.TxnOffsetCommits;
import dev.walrus.kafka.txn.TransactionCoordinator;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * TxnOffsetCommit (key 28), versions 0-6: a consumer group's offsets, committed inside a producer's transaction
 * ({@code sendOffsetsToTransaction}); they become the group's committed offsets when the transaction commits.
 *
 * <p>Behaviour: an empty group id is INVALID_GROUP_ID. The producer must be the current one of its transactional id,
 * with an open transaction that added the group (AddOffsetsToTxn), else every partition gets Kafka's verification
 * error: INVALID_PRODUCER_ID_MAPPING, INVALID_PRODUCER_EPOCH, CONCURRENT_TRANSACTIONS, or TRANSACTION_ABORTABLE
 * (INVALID_TXN_STATE before v4). Then the group's OffsetCommit ladder applies (member, generation or member epoch;
 * no rebalance check), and each partition's checks. The accepted offsets are durable (logged with the transaction)
 * before the answer. Until the end of the transaction, OffsetFetch with requireStable answers UNSTABLE_OFFSET_COMMIT
 * for the partitions.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version. v1: same as v0. v2: committed leader epoch. v3 (KIP-447): member id, generation and
 *       group instance id; flexible; PRODUCER_FENCED (KIP-588; INVALID_PRODUCER_EPOCH before). v4, v5 (KIP-890):
 *       same as v3. v6: topic ids, UNKNOWN_TOPIC_ID.
 * </ul>
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequestData> {

    private static final short FENCED_SINCE = 3;
    private static final short ABORTABLE_SINCE = 4;

    private final TransactionCoordinator transactions;

    public TxnOffsetCommitHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, TxnOffsetCommitRequestData request,
                                                RequestContext context) {
        short version = header.apiVersion();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(TxnOffsetCommits.allFailed(request, Errors.INVALID_GROUP_ID));
        }
        return transactions.commitOffsets(request, version,
                error -> TxnOffsetCommits.allFailed(request, forVersion(error, version))).thenApply(r -> r);
    }

    /** Kafka's verification answers in the words of the request's version. */
    private static Errors forVersion(Errors error, short version) {
        if (error == Errors.TRANSACTION_ABORTABLE && version < ABORTABLE_SINCE) {
            return Errors.INVALID_TXN_STATE;
        }
        return TransactionErrors.forVersion(error, version, FENCED_SINCE);
    }
}

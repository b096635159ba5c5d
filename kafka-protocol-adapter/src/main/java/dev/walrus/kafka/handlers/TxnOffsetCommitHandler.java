package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.offsets.TxnOffsetCommits;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import dev.walrus.kafka.txn.TransactionCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * <p>Authorization: WRITE on the transactional id, then READ on the group (else every partition
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED or GROUP_AUTHORIZATION_FAILED), then READ on each topic (else its partitions
 * TOPIC_AUTHORIZATION_FAILED, answered first, before the transaction is verified for the others), as in Kafka.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version. v1: same as v0. v2: committed leader epoch. v3 (KIP-447): member id, generation and
 *       group instance id; flexible; PRODUCER_FENCED (KIP-588; INVALID_PRODUCER_EPOCH before). v4 (KIP-890):
 *       TRANSACTION_ABORTABLE. v5 (KIP-890 part 2, transaction version 2): the group joins the transaction here
 *       (the client sends no AddOffsetsToTxn). v6: topic ids, UNKNOWN_TOPIC_ID.
 * </ul>
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequestData> {

    private static final short FENCED_SINCE = 3;
    private static final short ABORTABLE_SINCE = 4;
    private static final short TOPIC_IDS_SINCE = 6;

    private final TransactionCoordinator transactions;
    private final Topics topics;

    public TxnOffsetCommitHandler(TransactionCoordinator transactions, Topics topics) {
        this.transactions = transactions;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, TxnOffsetCommitRequestData request,
                                                RequestContext context) {
        short version = header.apiVersion();
        if (!context.authorized(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId())) {
            return refused(request, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return refused(request, Errors.GROUP_AUTHORIZATION_FAILED);
        }
        if (request.topics().stream().allMatch(t -> readable(t, version, context))) {
            return commit(request, version);
        }
        // as Kafka: the topics it refuses (an unknown id, no READ, an unknown topic or partition) are answered without
        // the coordinator, which commits the rest; nothing left, no coordinator
        TxnOffsetCommitResponseData refusals = new TxnOffsetCommitResponseData().setThrottleTimeMs(0);
        List<TxnOffsetCommitRequestTopic> rest = new ArrayList<>();
        for (TxnOffsetCommitRequestTopic t : request.topics()) {
            Optional<TopicInfo> topic = version >= TOPIC_IDS_SINCE ? topics.byId(t.topicId()) : topics.byName(t.name());
            boolean mayRead = readable(t, version, context);
            TxnOffsetCommitRequestTopic valid = t.duplicate().setPartitions(new ArrayList<>());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : t.partitions()) {
                Errors error = version >= TOPIC_IDS_SINCE && topic.isEmpty() ? Errors.UNKNOWN_TOPIC_ID
                        : !mayRead ? Errors.TOPIC_AUTHORIZATION_FAILED
                        : topic.isEmpty() || !topic.get().hasPartition(p.partitionIndex())
                        ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.NONE;
                if (error == Errors.NONE) {
                    valid.partitions().add(p);
                } else {
                    TxnOffsetCommits.add(refusals, t.topicId(), t.name(), p.partitionIndex(), error);
                }
            }
            if (!valid.partitions().isEmpty()) {
                rest.add(valid);
            }
        }
        if (rest.isEmpty()) {
            return CompletableFuture.completedFuture(refusals);
        }
        return commit(request.duplicate().setTopics(rest), version)
                .thenApply(answer -> TxnOffsetCommits.merge(refusals, (TxnOffsetCommitResponseData) answer));
    }

    /** Whether the client may READ the topic (a topic id nobody knows is the coordinator's to answer). */
    private boolean readable(TxnOffsetCommitRequestTopic t, short version, RequestContext context) {
        String name = version >= TOPIC_IDS_SINCE ? topics.nameOf(t.topicId()) : t.name();
        return name == null || context.authorized(AclOperation.READ, ResourceType.TOPIC, name);
    }

    private CompletableFuture<ApiMessage> commit(TxnOffsetCommitRequestData request, short version) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(TxnOffsetCommits.allFailed(request, Errors.INVALID_GROUP_ID));
        }
        return transactions.commitOffsets(request, version,
                error -> TxnOffsetCommits.allFailed(request, forVersion(error, version))).thenApply(r -> r);
    }

    private static CompletableFuture<ApiMessage> refused(TxnOffsetCommitRequestData request, Errors error) {
        return CompletableFuture.completedFuture(TxnOffsetCommits.allFailed(request, error));
    }

    /** Kafka's verification answers in the words of the request's version. */
    private static Errors forVersion(Errors error, short version) {
        if (error == Errors.TRANSACTION_ABORTABLE && version < ABORTABLE_SINCE) {
            return Errors.INVALID_TXN_STATE;
        }
        return TransactionErrors.forVersion(error, version, FENCED_SINCE);
    }
}

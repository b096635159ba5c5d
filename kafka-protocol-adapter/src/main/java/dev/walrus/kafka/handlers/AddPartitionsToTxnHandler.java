package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.txn.TransactionCoordinator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * AddPartitionsToTxn (key 24), versions 0-5: partitions join a producer's transaction, which begins with the first.
 *
 * <p>Behaviour: as Kafka's coordinator (see {@link TransactionCoordinator#addPartitions}). The partitions are part
 * of the transaction, durably, before the answer; the producer may then write transactional batches to them.
 *
 * <p>Authorization: a client (v0-3) needs WRITE on the transactional id, then WRITE on each topic (never granted for
 * an internal topic); a broker (v4+) CLUSTER_ACTION on the cluster, as in Kafka.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: one transaction. v1: same as v0. v2 (KIP-588): PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before).
 *   <li>v3: flexible. v4 (KIP-890): many transactions per request and verify-only checks, sent by brokers to
 *       coordinators; handled alike. v5: same as v4.
 * </ul>
 */
public final class AddPartitionsToTxnHandler implements ApiHandler<AddPartitionsToTxnRequestData> {

    private static final short FENCED_SINCE = 2;
    private static final short BATCHED_SINCE = 4;

    private final TransactionCoordinator transactions;

    public AddPartitionsToTxnHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, AddPartitionsToTxnRequestData request,
                                                RequestContext context) {
        short version = header.apiVersion();
        if (version < BATCHED_SINCE) {
            return addForClient(request, version, context)
                    .thenApply(results -> new AddPartitionsToTxnResponseData().setThrottleTimeMs(0)
                            .setResultsByTopicV3AndBelow(results));
        }
        context.requireOnCluster(AclOperation.CLUSTER_ACTION, header);   // only brokers send v4+
        List<CompletableFuture<AddPartitionsToTxnResult>> answers = new ArrayList<>();
        for (AddPartitionsToTxnTransaction t : request.transactions()) {
            answers.add(add(t.transactionalId(), t.producerId(), t.producerEpoch(), t.topics(), Set.of(), t.verifyOnly(),
                    version)
                    .thenApply(results -> new AddPartitionsToTxnResult().setTransactionalId(t.transactionalId())
                            .setTopicResults(results)));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
            AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData().setThrottleTimeMs(0)
                    .setErrorCode(Errors.NONE.code());
            answers.forEach(a -> response.resultsByTransaction().add(a.join()));
            return response;
        });
    }

    /**
     * The one transaction of a client's request, checked as Kafka does: WRITE on the transactional id (else every
     * partition TRANSACTIONAL_ID_AUTHORIZATION_FAILED), then WRITE on each topic, which an internal topic never has.
     */
    private CompletableFuture<AddPartitionsToTxnTopicResultCollection> addForClient(
            AddPartitionsToTxnRequestData request, short version, RequestContext context) {
        String transactionalId = request.v3AndBelowTransactionalId();
        if (!context.authorized(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)) {
            Map<TopicPartition, Errors> denied = new LinkedHashMap<>();
            partitions(request.v3AndBelowTopics()).forEach(tp -> denied.put(tp, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
            return CompletableFuture.completedFuture(results(denied, version));
        }
        Set<String> unwritable = new HashSet<>();
        for (AddPartitionsToTxnTopic topic : request.v3AndBelowTopics()) {
            // an internal topic is refused with or without an authorizer, as Kafka refuses it
            if (Topic.isInternal(topic.name())
                    || !context.authorized(AclOperation.WRITE, ResourceType.TOPIC, topic.name())) {
                unwritable.add(topic.name());
            }
        }
        return add(transactionalId, request.v3AndBelowProducerId(), request.v3AndBelowProducerEpoch(),
                request.v3AndBelowTopics(), unwritable, false, version);
    }

    private CompletableFuture<AddPartitionsToTxnTopicResultCollection> add(
            String transactionalId, long producerId, short epoch, Iterable<AddPartitionsToTxnTopic> topics,
            Set<String> unwritableTopics, boolean verifyOnly, short version) {
        return transactions.addPartitions(transactionalId, producerId, epoch, partitions(topics), unwritableTopics,
                        verifyOnly)
                .thenApply(errors -> results(errors, version));
    }

    private static List<TopicPartition> partitions(Iterable<AddPartitionsToTxnTopic> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (AddPartitionsToTxnTopic topic : topics) {
            for (int p : topic.partitions()) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
        }
        return partitions;
    }

    private static AddPartitionsToTxnTopicResultCollection results(Map<TopicPartition, Errors> errors, short version) {
        Map<String, AddPartitionsToTxnTopicResult> byTopic = new LinkedHashMap<>();
        errors.forEach((tp, error) -> byTopic.computeIfAbsent(tp.topic(),
                        name -> new AddPartitionsToTxnTopicResult().setName(name))
                .resultsByPartition().add(new AddPartitionsToTxnPartitionResult()
                        .setPartitionIndex(tp.partition())
                        .setPartitionErrorCode(TransactionErrors.forVersion(error, version, FENCED_SINCE).code())));
        AddPartitionsToTxnTopicResultCollection results = new AddPartitionsToTxnTopicResultCollection();
        byTopic.values().forEach(results::add);
        return results;
    }
}

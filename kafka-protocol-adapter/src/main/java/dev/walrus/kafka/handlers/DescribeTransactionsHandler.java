package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.txn.TransactionCoordinator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeTransactions (API key 65), version 0: the state of transactional ids ({@code kafka-transactions describe},
 * {@code Admin.describeTransactions}).
 *
 * <p>Behaviour: as Kafka's coordinator: state by Kafka's name, timeout, start time of the current (or last)
 * transaction, producer id and epoch, and the partitions of the open transaction, where each consumer group it added
 * shows as its {@code __consumer_offsets} partition. An id never seen is TRANSACTIONAL_ID_NOT_FOUND, an empty one
 * INVALID_REQUEST.
 *
 * <p>Authorization: DESCRIBE on each transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED); topics the client
 * may not DESCRIBE are left out of the partitions, silently, as in Kafka.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-664), flexible.
 * </ul>
 */
public final class DescribeTransactionsHandler implements ApiHandler<DescribeTransactionsRequestData> {

    private final TransactionCoordinator transactions;

    public DescribeTransactionsHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeTransactionsRequestData request,
                                                RequestContext context) {
        return transactions.describe(request.transactionalIds()).thenApply(found -> {
            Map<String, TransactionCoordinator.Description> byId = new LinkedHashMap<>();
            found.forEach(d -> byId.put(d.transactionalId(), d));
            DescribeTransactionsResponseData response = new DescribeTransactionsResponseData().setThrottleTimeMs(0);
            for (String id : request.transactionalIds()) {
                TransactionCoordinator.Description d = byId.get(id);
                TransactionState state = new TransactionState().setTransactionalId(id);
                if (!context.authorized(AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, id)) {
                    state.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
                } else if (id.isEmpty()) {
                    state.setErrorCode(Errors.INVALID_REQUEST.code());
                } else if (d == null) {
                    state.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
                } else {
                    state.setErrorCode(Errors.NONE.code())
                            .setTransactionState(d.state().kafkaName())
                            .setTransactionTimeoutMs(d.timeoutMs())
                            .setTransactionStartTimeMs(d.startMs())
                            .setProducerId(d.producerId())
                            .setProducerEpoch(d.epoch());
                    byTopic(d.partitions()).stream()
                            .filter(t -> context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, t.topic()))
                            .forEach(state.topics()::add);
                }
                response.transactionStates().add(state);
            }
            return response;
        });
    }

    private static List<TopicData> byTopic(List<TopicPartition> partitions) {
        Map<String, TopicData> topics = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            topics.computeIfAbsent(tp.topic(), name -> new TopicData().setTopic(name)).partitions().add(tp.partition());
        }
        return List.copyOf(topics.values());
    }
}

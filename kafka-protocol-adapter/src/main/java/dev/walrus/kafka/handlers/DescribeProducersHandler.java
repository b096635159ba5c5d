package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import dev.walrus.kafka.producer.ProducerStateTable;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.acl.AclOperation;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeProducers (API key 61), version 0: the idempotent producers each partition remembers, with their epoch,
 * last sequence and last timestamp ({@code kafka-transactions describe-producers}, {@code Admin.describeProducers}).
 *
 * <p>Behaviour: as Kafka's: the current transaction's start offset is the first offset of the producer's open
 * transaction in the partition (-1 outside one); the coordinator epoch is that of the last marker written for it (0:
 * this node has always been the coordinator; -1 before any). A producer is listed while the partition holds one of
 * its batches or markers (retention forgets it with the last of them, as Kafka does). Unknown partitions are
 * UNKNOWN_TOPIC_OR_PARTITION.
 *
 * <p>Authorization (with an authorizer): READ on each topic (TOPIC_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-664), flexible.
 * </ul>
 */
public final class DescribeProducersHandler implements ApiHandler<DescribeProducersRequestData> {

    private final Topics topics;
    private final PartitionLogs logs;

    public DescribeProducersHandler(Topics topics, PartitionLogs logs) {
        this.topics = topics;
        this.logs = logs;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_PRODUCERS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeProducersRequestData request, RequestContext context) {
        DescribeProducersResponseData response = new DescribeProducersResponseData().setThrottleTimeMs(0);
        for (DescribeProducersRequestData.TopicRequest topic : request.topics()) {
            TopicResponse topicResponse = new TopicResponse().setName(topic.name());
            Optional<TopicInfo> info = topics.byName(topic.name());
            boolean readable = context.authorized(AclOperation.READ, ResourceType.TOPIC, topic.name());
            for (int partition : topic.partitionIndexes()) {
                PartitionResponse result = new PartitionResponse().setPartitionIndex(partition);
                if (!readable) {
                    result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                } else if (info.isEmpty() || !info.get().hasPartition(partition)) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else {
                    result.setErrorCode(Errors.NONE.code());
                    for (ProducerStateTable.ActiveProducer p : logs.get(info.get(), partition).activeProducers()) {
                        result.activeProducers().add(new ProducerState()
                                .setProducerId(p.producerId())
                                .setProducerEpoch(p.epoch())
                                .setLastSequence(p.lastSequence())
                                .setLastTimestamp(p.lastTimestamp())
                                .setCoordinatorEpoch(p.coordinatorEpoch())
                                .setCurrentTxnStartOffset(p.currentTxnStartOffset()));
                    }
                }
                topicResponse.partitions().add(result);
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.fetch.FetchParking;
import dev.walrus.kafka.log.PartitionLog;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * WriteTxnMarkers (key 27), versions 1-2: transaction markers written straight to partitions. Kafka's coordinators
 * send it to partition leaders; here the coordinator writes its markers itself, and this API serves the admin client's
 * {@code abortTransaction} ({@code kafka-transactions abort}), which aborts a hanging transaction in one partition.
 *
 * <p>Behaviour: as a Kafka partition leader: each marker is appended where the producer state allows it (an older
 * producer epoch: INVALID_PRODUCER_EPOCH; an older coordinator epoch: TRANSACTION_COORDINATOR_FENCED), unknown
 * partitions get UNKNOWN_TOPIC_OR_PARTITION, and the response comes once the markers are fsynced.
 *
 * <p>Authorization: ALTER on the cluster, else CLUSTER_ACTION on it (else every partition of every marker
 * CLUSTER_AUTHORIZATION_FAILED), as in Kafka.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: removed in Kafka 4.0. v1: flexible. v2 (KIP-890): the transaction version (not needed here).
 * </ul>
 */
public final class WriteTxnMarkersHandler implements ApiHandler<WriteTxnMarkersRequestData> {

    private final Topics topics;
    private final PartitionLogs logs;
    private final FetchParking parking;

    public WriteTxnMarkersHandler(Topics topics, PartitionLogs logs, FetchParking parking) {
        this.topics = topics;
        this.logs = logs;
        this.parking = parking;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, WriteTxnMarkersRequestData request,
                                                RequestContext context) {
        if (!context.authorizedOnCluster(AclOperation.ALTER)) {
            context.requireOnCluster(AclOperation.CLUSTER_ACTION, header);
        }
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        long now = System.currentTimeMillis();
        boolean anyWritten = false;
        for (WritableTxnMarker marker : request.markers()) {
            WritableTxnMarkerResult result = new WritableTxnMarkerResult().setProducerId(marker.producerId());
            for (WritableTxnMarkerTopic t : marker.topics()) {
                WritableTxnMarkerTopicResult topicResult = new WritableTxnMarkerTopicResult().setName(t.name());
                Optional<TopicInfo> topic = topics.byName(t.name());
                for (int partition : t.partitionIndexes()) {
                    Errors error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    if (topic.isPresent() && topic.get().hasPartition(partition)) {
                        PartitionLog log = logs.get(topic.get(), partition);
                        error = log.appendCheckedMarker(marker.producerId(), marker.producerEpoch(),
                                marker.coordinatorEpoch(), marker.transactionResult(), now);
                        if (error == Errors.NONE) {
                            anyWritten = true;
                            parking.appended(log.engineTopic());
                        }
                    }
                    topicResult.partitions().add(new WritableTxnMarkerPartitionResult().setPartitionIndex(partition)
                            .setErrorCode(error.code()));
                }
                result.topics().add(topicResult);
            }
            response.markers().add(result);
        }
        return anyWritten ? logs.sync().thenApply(v -> response) : CompletableFuture.completedFuture(response);
    }
}

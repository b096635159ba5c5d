package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * ElectLeaders (API key 43), versions 0-2: preferred or unclean leader election ({@code kafka-leader-election},
 * {@code Admin.electLeaders}). This node leads every partition and is its only replica, so no election is ever
 * needed: each named partition answers ELECTION_NOT_NEEDED, an unknown topic or partition
 * UNKNOWN_TOPIC_OR_PARTITION with Kafka's message, and "all partitions" (a null list) an empty result, as Kafka
 * leaves out the partitions that needed no election.
 *
 * <p>Authorization (with an authorizer): ALTER on the cluster (else CLUSTER_AUTHORIZATION_FAILED for the request).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: preferred election only (KIP-183). v1: election type, top-level error code (KIP-460).
 *   <li>v2: flexible versions.
 * </ul>
 */
public final class ElectLeadersHandler implements ApiHandler<ElectLeadersRequestData> {

    private final Topics topics;

    public ElectLeadersHandler(Topics topics) {
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ElectLeadersRequestData request, RequestContext context) {
        context.requireOnCluster(AclOperation.ALTER, header);   // else CLUSTER_AUTHORIZATION_FAILED for the request
        ElectLeadersResponseData response = new ElectLeadersResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code());
        if (request.topicPartitions() != null) {
            for (TopicPartitions topic : request.topicPartitions()) {
                ReplicaElectionResult result = new ReplicaElectionResult().setTopic(topic.topic());
                Optional<TopicInfo> info = topics.byName(topic.topic());
                for (int partition : topic.partitions()) {
                    result.partitionResult().add(elect(info, topic.topic(), partition));
                }
                response.replicaElectionResults().add(result);
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private static PartitionResult elect(Optional<TopicInfo> info, String topic, int partition) {
        PartitionResult result = new PartitionResult().setPartitionId(partition);
        if (info.isEmpty()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage("No such topic as " + topic);
        }
        if (!info.get().hasPartition(partition)) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage("No such partition as " + topic + "-" + partition);
        }
        return result.setErrorCode(Errors.ELECTION_NOT_NEEDED.code());
    }
}

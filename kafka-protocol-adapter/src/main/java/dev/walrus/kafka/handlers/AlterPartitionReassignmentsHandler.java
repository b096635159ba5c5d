package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * AlterPartitionReassignments (API key 45), versions 0-1: moves partitions to other replicas
 * ({@code kafka-reassign-partitions --execute}, {@code Admin.alterPartitionReassignments}). The only replica set a
 * partition can have here is this node alone, which it already has: such a reassignment is accepted and done at once.
 * Any other set answers INVALID_REPLICA_ASSIGNMENT as Kafka's controller words it (a broker that is not registered,
 * one named twice); a cancellation finds nothing in progress (NO_REASSIGNMENT_IN_PROGRESS); unknown topics and
 * partitions answer UNKNOWN_TOPIC_OR_PARTITION with Kafka's messages.
 *
 * <p>Authorization (with an authorizer): ALTER on the cluster (else CLUSTER_AUTHORIZATION_FAILED for the request).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-455), flexible. v1: allowReplicationFactorChange (KIP-860; the factor here is always
 *       one).
 * </ul>
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler<AlterPartitionReassignmentsRequestData> {

    private final Topics topics;
    private final BrokerNode node;

    public AlterPartitionReassignmentsHandler(Topics topics, BrokerNode node) {
        this.topics = topics;
        this.node = node;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, AlterPartitionReassignmentsRequestData request,
                                                RequestContext context) {
        context.requireOnCluster(AclOperation.ALTER, header);   // else CLUSTER_AUTHORIZATION_FAILED for the request
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                .setThrottleTimeMs(0)
                .setAllowReplicationFactorChange(request.allowReplicationFactorChange())
                .setErrorCode(Errors.NONE.code());
        for (ReassignableTopic topic : request.topics()) {
            ReassignableTopicResponse topicResponse = new ReassignableTopicResponse().setName(topic.name());
            Optional<TopicInfo> info = topics.byName(topic.name());
            for (ReassignablePartition partition : topic.partitions()) {
                Outcome<Void> outcome = reassign(info, topic.name(), partition);
                topicResponse.partitions().add(new ReassignablePartitionResponse()
                        .setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(outcome.error().code())
                        .setErrorMessage(outcome.message()));
            }
            response.responses().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private Outcome<Void> reassign(Optional<TopicInfo> info, String topic, ReassignablePartition partition) {
        if (info.isEmpty()) {
            return Outcome.fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unable to find a topic named " + topic + ".");
        }
        if (!info.get().hasPartition(partition.partitionIndex())) {
            return Outcome.fail(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "Unable to find partition " + topic + ":" + partition.partitionIndex() + ".");
        }
        if (partition.replicas() == null) {
            return Outcome.fail(Errors.NO_REASSIGNMENT_IN_PROGRESS, null);
        }
        return CreateTopicsHandler.checkReplicas(partition.replicas(), node.nodeId());
    }
}

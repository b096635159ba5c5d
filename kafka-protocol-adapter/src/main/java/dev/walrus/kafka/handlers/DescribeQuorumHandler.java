package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ReplicaState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeQuorum (API key 55): the metadata quorum as a one-node KRaft cluster reports it
 * ({@code kafka-metadata-quorum describe --status / --replication}, {@code Admin.describeMetadataQuorum}): this node
 * is the only voter and the leader, at epoch 1, with no observers; the high watermark and its log end offset are the
 * metadata log's record count, and it is caught up now. Any partition other than {@code __cluster_metadata-0} answers
 * UNKNOWN_TOPIC_OR_PARTITION, as Kafka's raft client does.
 *
 * <p>Authorization (with an authorizer): DESCRIBE on the cluster (else CLUSTER_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-595);</li>
 *   <li>v1: the voters' last fetch and caught-up times (KIP-836);</li>
 *   <li>v2: replica directory ids and the nodes' endpoints (KIP-853); the directory id is zero, as for a quorum
 *       configured statically, and the endpoints are this broker's listeners.</li>
 * </ul>
 */
public final class DescribeQuorumHandler implements ApiHandler<DescribeQuorumRequestData> {

    static final String METADATA_TOPIC = "__cluster_metadata";
    /** This node has led the quorum since the cluster was created. */
    private static final int LEADER_EPOCH = 1;

    private final TopicRegistry registry;
    private final BrokerNode node;

    public DescribeQuorumHandler(TopicRegistry registry, BrokerNode node) {
        this.registry = registry;
        this.node = node;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_QUORUM;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeQuorumRequestData request,
                                                RequestContext context) {
        context.requireOnCluster(AclOperation.DESCRIBE, header);   // else CLUSTER_AUTHORIZATION_FAILED for the request
        DescribeQuorumResponseData response = new DescribeQuorumResponseData().setErrorCode(Errors.NONE.code());
        long now = System.currentTimeMillis();
        long endOffset = registry.metadataEndOffset();
        for (DescribeQuorumRequestData.TopicData topic : request.topics()) {
            DescribeQuorumResponseData.TopicData topicResponse = new DescribeQuorumResponseData.TopicData()
                    .setTopicName(topic.topicName());
            for (DescribeQuorumRequestData.PartitionData partition : topic.partitions()) {
                DescribeQuorumResponseData.PartitionData answer = new DescribeQuorumResponseData.PartitionData()
                        .setPartitionIndex(partition.partitionIndex());
                if (!topic.topicName().equals(METADATA_TOPIC) || partition.partitionIndex() != 0) {
                    answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                            .setErrorMessage(Errors.UNKNOWN_TOPIC_OR_PARTITION.message());
                } else {
                    answer.setErrorCode(Errors.NONE.code())
                            .setLeaderId(node.nodeId())
                            .setLeaderEpoch(LEADER_EPOCH)
                            .setHighWatermark(endOffset)
                            .setCurrentVoters(List.of(new ReplicaState()
                                    .setReplicaId(node.nodeId())
                                    .setReplicaDirectoryId(Uuid.ZERO_UUID)
                                    .setLogEndOffset(endOffset)
                                    .setLastFetchTimestamp(now)
                                    .setLastCaughtUpTimestamp(now)))
                            .setObservers(List.of());
                }
                topicResponse.partitions().add(answer);
            }
            response.topics().add(topicResponse);
        }
        if (header.apiVersion() >= 2) {
            DescribeQuorumResponseData.Node self = new DescribeQuorumResponseData.Node().setNodeId(node.nodeId());
            node.endpoints().forEach((name, endpoint) -> self.listeners().add(new DescribeQuorumResponseData.Listener()
                    .setName(name).setHost(endpoint.host()).setPort(endpoint.port())));
            response.nodes().add(self);
        }
        return CompletableFuture.completedFuture(response);
    }
}

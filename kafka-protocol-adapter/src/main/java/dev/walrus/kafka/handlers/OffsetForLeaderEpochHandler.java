package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.log.PartitionLog;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.acl.AclOperation;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetForLeaderEpoch (API key 23), versions 2-4: the end offset of a leader epoch, which consumers ask for to
 * validate a position after a leader change or a committed offset that carries an epoch (KIP-320).
 *
 * <p>Behaviour: every partition has had one leader, this node, in epoch {@link PartitionLog#LEADER_EPOCH} since it
 * was created, so the answers are those of Kafka's leader-epoch cache holding that one epoch: the current epoch ends at
 * the log end offset; -1 (undefined) and any later epoch have no end (epoch and offset -1, no error); an epoch below
 * -1, older than every known one, ends where the first known epoch starts, the log start offset. A
 * {@code currentLeaderEpoch} other than -1 is checked as Kafka checks it: older than this node's is
 * FENCED_LEADER_EPOCH, newer is UNKNOWN_LEADER_EPOCH. Unknown partitions are UNKNOWN_TOPIC_OR_PARTITION.
 *
 * <p>Authorization (with an authorizer): CLUSTER_ACTION on the cluster covers every topic; else DESCRIBE on each (TOPIC_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v2: oldest the message classes define; current leader epoch. v3: replica id (consumers send -1).
 *   <li>v4: flexible versions.
 * </ul>
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler<OffsetForLeaderEpochRequestData> {

    private static final int UNDEFINED = -1;

    private final Topics topics;
    private final PartitionLogs logs;

    public OffsetForLeaderEpochHandler(Topics topics, PartitionLogs logs) {
        this.topics = topics;
        this.logs = logs;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, OffsetForLeaderEpochRequestData request,
                                                RequestContext context) {
        // KIP-320: a replica's permission (CLUSTER_ACTION) covers every topic, a consumer needs DESCRIBE on each
        boolean replica = context.authorizedOnCluster(AclOperation.CLUSTER_ACTION);
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData().setThrottleTimeMs(0);
        for (OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderTopicResult topicResult = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            Optional<TopicInfo> info = topics.byName(topic.topic());
            boolean describable = replica || context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic.topic());
            for (OffsetForLeaderPartition partition : topic.partitions()) {
                topicResult.partitions().add(describable ? endOffset(info, partition)
                        : new EpochEndOffset().setPartition(partition.partition()).setLeaderEpoch(UNDEFINED)
                                .setEndOffset(UNDEFINED).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
            response.topics().add(topicResult);
        }
        return CompletableFuture.completedFuture(response);
    }

    private EpochEndOffset endOffset(Optional<TopicInfo> info, OffsetForLeaderPartition partition) {
        EpochEndOffset result = new EpochEndOffset().setPartition(partition.partition())
                .setLeaderEpoch(UNDEFINED).setEndOffset(UNDEFINED);
        if (info.isEmpty() || !info.get().hasPartition(partition.partition())) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        int current = partition.currentLeaderEpoch();
        if (current != UNDEFINED && current < PartitionLog.LEADER_EPOCH) {
            return result.setErrorCode(Errors.FENCED_LEADER_EPOCH.code());
        }
        if (current != UNDEFINED && current > PartitionLog.LEADER_EPOCH) {
            return result.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
        }
        PartitionLog log = logs.get(info.get(), partition.partition());
        int asked = partition.leaderEpoch();
        result.setErrorCode(Errors.NONE.code());
        if (asked == PartitionLog.LEADER_EPOCH) {
            return result.setLeaderEpoch(asked).setEndOffset(log.logEndOffset());
        }
        if (asked < UNDEFINED) {
            return result.setLeaderEpoch(asked).setEndOffset(log.logStartOffset());
        }
        return result; // undefined, or later than any epoch this partition had
    }
}

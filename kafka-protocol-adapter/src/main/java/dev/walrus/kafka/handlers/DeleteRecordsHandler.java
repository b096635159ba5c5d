package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.log.PartitionLog;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.acl.AclOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteRecords (API key 21), versions 0-2: moves partitions' log start offsets forward; records below it are no
 * longer served (fetches there are out of range) and the engine frees their blocks.
 *
 * <p>Validation ladder per partition, as Kafka's: unknown topic or partition (UNKNOWN_TOPIC_OR_PARTITION), internal
 * topic (INVALID_TOPIC_EXCEPTION), a {@code cleanup.policy} without {@code delete} (POLICY_VIOLATION), an offset below
 * zero other than -1 or above the high watermark (OFFSET_OUT_OF_RANGE). -1 means the high watermark. An offset at or
 * below the current log start changes nothing. The answer is the new low watermark: the log start offset, which on
 * one node is every replica's. A failed partition answers low watermark -1.
 *
 * <p>Behaviour: the response is sent once the new log start offset is durable (Kafka checkpoints it within a minute,
 * so a crash can undo a deletion there). A batch that straddles the new start stays stored; fetches below the start are
 * refused, and clients skip the records of that batch before it. There is no replica to wait for, so
 * {@code timeoutMs} is not used.
 *
 * <p>Authorization (with an authorizer): DELETE on each topic (TOPIC_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: topics with partitions and offsets, timeout. v1: same as v0. v2: flexible versions.
 * </ul>
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequestData> {

    private static final Logger log = LoggerFactory.getLogger(DeleteRecordsHandler.class);

    private final Topics topics;
    private final PartitionLogs logs;

    public DeleteRecordsHandler(Topics topics, PartitionLogs logs) {
        this.topics = topics;
        this.logs = logs;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DeleteRecordsRequestData request, RequestContext context) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData().setThrottleTimeMs(0);
        List<CompletableFuture<Void>> deletions = new ArrayList<>();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            Optional<TopicInfo> info = topics.byName(topic.name());
            boolean deletable = context.authorized(AclOperation.DELETE, ResourceType.TOPIC, topic.name());
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult()
                        .setPartitionIndex(partition.partitionIndex())
                        .setLowWatermark(DeleteRecordsResponse.INVALID_LOW_WATERMARK);
                topicResult.partitions().add(result);
                Errors refusal = deletable ? refusal(info, partition) : Errors.TOPIC_AUTHORIZATION_FAILED;
                if (refusal != Errors.NONE) {
                    result.setErrorCode(refusal.code());
                    continue;
                }
                PartitionLog partitionLog = logs.get(info.get(), partition.partitionIndex());
                long offset = partition.offset() == DeleteRecordsRequest.HIGH_WATERMARK
                        ? partitionLog.highWatermark() : partition.offset();
                if (offset < 0 || offset > partitionLog.highWatermark()) {
                    result.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
                    continue;
                }
                deletions.add(deleteBefore(partitionLog, offset, result));
            }
            response.topics().add(topicResult);
        }
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(done -> response);
    }

    /** The error a partition is refused with before its offset is looked at; NONE when it may be deleted from. */
    private Errors refusal(Optional<TopicInfo> info, DeleteRecordsRequestData.DeleteRecordsPartition partition) {
        if (info.isEmpty() || !info.get().hasPartition(partition.partitionIndex())) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (Topic.isInternal(info.get().name())) {
            return Errors.INVALID_TOPIC_EXCEPTION;
        }
        String policy = topics.effectiveConfig(info.get(), "cleanup.policy");
        if (policy != null && Arrays.stream(policy.split(",")).map(String::trim).noneMatch("delete"::equals)) {
            return Errors.POLICY_VIOLATION;
        }
        return Errors.NONE;
    }

    private CompletableFuture<Void> deleteBefore(PartitionLog partitionLog, long offset, DeleteRecordsPartitionResult result) {
        CompletableFuture<Long> moved;
        try {
            moved = logs.deleteRecordsBefore(partitionLog, offset);
        } catch (RuntimeException e) { // the adapter is closing
            moved = CompletableFuture.failedFuture(e);
        }
        return moved.handle((logStart, failure) -> {
            if (failure == null) {
                result.setLowWatermark(logStart);
            } else {
                // the topic was deleted meanwhile, or the engine refused: nothing was promised
                log.warn("DeleteRecords on {} before offset {} failed", partitionLog.topicPartition(), offset, failure);
                result.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code());
            }
            return null;
        });
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.log.OffsetAndTimestamp;
import dev.walrus.kafka.log.PartitionLog;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.acl.AclOperation;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * ListOffsets (key 2), versions 1-11: the offset for a timestamp, or for one of the special timestamps.
 *
 * <p>Behaviour: there is no tiered storage, so the earliest local offset (-4) is the earliest offset, and the latest
 * tiered (-5) and earliest pending upload (-6) offsets are -1, as Kafka answers for a topic without remote storage.
 * Read-committed sees the log up to the last stable offset (the first offset of the oldest open transaction), as in
 * Kafka: latest is that offset, and a lookup by timestamp or max timestamp that finds a record at or past it answers
 * no offset.
 * A search by timestamp skips through the sparse index and decodes one batch, the first whose max timestamp reaches
 * the target.
 *
 * <p>Authorization (with an authorizer): DESCRIBE on each topic (TOPIC_AUTHORIZATION_FAILED per partition).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v1: one offset per partition. v2: isolation level. v3: same as v2. v4 (KIP-320): leader epochs (always 0).
 *   <li>v5: same as v4. v6: flexible. v7 (KIP-734): max timestamp (-3). v8 (KIP-405): earliest local (-4).
 *   <li>v9 (KIP-1005): latest tiered (-5). v10 (KIP-1075): timeout (ignored: nothing is remote).
 *   <li>v11 (KIP-1023): earliest pending upload (-6).
 * </ul>
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequestData> {

    private static final int LEADER_EPOCH = PartitionLog.LEADER_EPOCH;

    private final Topics topics;
    private final PartitionLogs logs;

    public ListOffsetsHandler(Topics topics, PartitionLogs logs) {
        this.topics = topics;
        this.logs = logs;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.LIST_OFFSETS.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ListOffsetsRequestData request, RequestContext context) {
        ListOffsetsResponseData response = new ListOffsetsResponseData().setThrottleTimeMs(0);
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(topic.name());
            Optional<TopicInfo> info = topics.byName(topic.name());
            boolean describable = context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse result =
                        new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                                .setPartitionIndex(partition.partitionIndex());
                if (!describable) {
                    result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setTimestamp(-1).setOffset(-1);
                } else if (info.isEmpty() || !info.get().hasPartition(partition.partitionIndex())) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setTimestamp(-1).setOffset(-1);
                } else {
                    OffsetAndTimestamp found = lookup(logs.get(info.get(), partition.partitionIndex()), partition.timestamp(),
                            request.isolationLevel() == IsolationLevel.READ_COMMITTED.id());
                    result.setErrorCode(Errors.NONE.code())
                            .setOffset(found.offset())
                            .setTimestamp(found.timestamp());
                    if (header.apiVersion() >= 4) {
                        result.setLeaderEpoch(found.offset() < 0 ? -1 : LEADER_EPOCH);
                    }
                }
                topicResponse.partitions().add(result);
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    /** Kafka's lookup: read_committed sees the log only up to the last stable offset, read_uncommitted up to the end. */
    private static OffsetAndTimestamp lookup(PartitionLog log, long timestamp, boolean readCommitted) {
        long lastFetchable = readCommitted ? log.lastStableOffset() : log.highWatermark();
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            return new OffsetAndTimestamp(lastFetchable, -1);
        }
        OffsetAndTimestamp found = lookupInLog(log, timestamp);
        boolean searched = timestamp >= 0 || timestamp == ListOffsetsRequest.MAX_TIMESTAMP;
        return searched && found.offset() >= lastFetchable ? OffsetAndTimestamp.NONE : found;
    }

    /** Earliest, max timestamp or by timestamp, over the whole log (the caller applies the isolation level). */
    private static OffsetAndTimestamp lookupInLog(PartitionLog log, long timestamp) {
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            return new OffsetAndTimestamp(log.logStartOffset(), -1);
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return log.maxTimestampOffset();
        }
        if (timestamp < 0) {
            // Latest tiered (-5), earliest pending upload (-6): no remote storage here.
            return OffsetAndTimestamp.NONE;
        }
        return log.offsetForTimestamp(timestamp);
    }
}

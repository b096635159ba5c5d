package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetFetch (API key 9), versions 1-10: a group's committed offsets, -1 where none.
 *
 * <p>Behaviour: as Apache Kafka 4.x. With requireStable, a partition for which an open transaction committed an
 * offset (TxnOffsetCommit) answers UNSTABLE_OFFSET_COMMIT, which the consumer retries until the transaction ends;
 * without it, the last committed offset is returned.
 *
 * <p>Version notes: v1 baseline; v2 null topics means all, top-level error; v3 throttle time; v4, v5 same (v5 leader
 * epoch); v6 flexible; v7 requireStable (KIP-447); v8 many groups per request (KIP-709); v9 member id and epoch of
 * the consumer protocol (KIP-848); v10 topic ids instead of names.
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequestData> {

    private final GroupCoordinator coordinator;

    public OffsetFetchHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, OffsetFetchRequestData request, RequestContext context) {
        short version = header.apiVersion();
        if (version >= 8) {
            List<CompletableFuture<OffsetFetchResponseGroup>> answers = new ArrayList<>();
            for (OffsetFetchRequestGroup group : request.groups()) {
                answers.add(coordinator.fetchOffsets(group, version, request.requireStable()));
            }
            return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
                OffsetFetchResponseData response = new OffsetFetchResponseData();
                answers.forEach(a -> response.groups().add(a.join()));
                return response;
            });
        }
        // v1-v7: one group, answered in the pre-v8 shape.
        OffsetFetchRequestGroup single = new OffsetFetchRequestGroup().setGroupId(request.groupId());
        if (request.topics() == null) {
            single.setTopics(null);
        } else {
            List<OffsetFetchRequestTopics> topics = new ArrayList<>();
            request.topics().forEach(t -> topics.add(new OffsetFetchRequestTopics().setName(t.name()).setPartitionIndexes(t.partitionIndexes())));
            single.setTopics(topics);
        }
        return coordinator.fetchOffsets(single, version, request.requireStable()).thenApply(group -> toLegacy(group, version));
    }

    private static ApiMessage toLegacy(OffsetFetchResponseGroup group, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        Errors groupError = Errors.forCode(group.errorCode());
        if (version >= 2) {
            response.setErrorCode(group.errorCode());
        }
        group.topics().forEach(t -> {
            OffsetFetchResponseData.OffsetFetchResponseTopic topic = new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(t.name());
            t.partitions().forEach(p -> topic.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                    .setPartitionIndex(p.partitionIndex())
                    .setCommittedOffset(p.committedOffset())
                    .setCommittedLeaderEpoch(p.committedLeaderEpoch())
                    .setMetadata(p.metadata())
                    // v1 has no top-level error: a group error is reported on every partition.
                    .setErrorCode(version < 2 && groupError != Errors.NONE ? groupError.code() : p.errorCode())));
            response.topics().add(topic);
        });
        return response;
    }
}

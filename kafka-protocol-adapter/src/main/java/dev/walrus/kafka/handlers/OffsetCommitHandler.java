package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetCommit (API key 8), versions 2-10: stores a group's committed offsets.
 *
 * <p>Behaviour: each offset is an engine named-reader checkpoint, durable before the response (Kafka's single node
 * only writes it to the page cache). Offset metadata must also fit the engine's checkpoint attachment (32 KiB): with
 * Kafka's default {@code offset.metadata.max.bytes} (4096 characters) it always does; only a limit raised past about
 * 10,000 characters of multi-byte text could meet OFFSET_METADATA_TOO_LARGE earlier than Kafka would answer it.
 * The retention time of v2-v4 (-1: the broker's) gives the offsets an expire timestamp of their own, which the
 * offset retention check honours as Kafka's does.
 *
 * <p>Authorizes READ on the group (else GROUP_AUTHORIZATION_FAILED on every partition), then READ on each topic
 * (else TOPIC_AUTHORIZATION_FAILED on its partitions, listed first, and those offsets never reach the coordinator).
 *
 * <p>Version notes: v2 retention time; v3 throttle time; v4 same; v5 no retention time; v6 leader epoch (KIP-320);
 * v7 group.instance.id (KIP-345); v8 flexible; v9 member epoch of the consumer protocol (KIP-848),
 * GROUP_ID_NOT_FOUND for an unknown group; v10 topic ids instead of names.
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequestData> {

    private final GroupCoordinator coordinator;
    private final Topics topics;

    public OffsetCommitHandler(GroupCoordinator coordinator, Topics topics) {
        this.coordinator = coordinator;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, OffsetCommitRequestData request, RequestContext context) {
        short version = header.apiVersion();
        if (!context.authorizer().enabled()) {
            return coordinator.commitOffsets(request, version).thenApply(r -> r);
        }
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(
                    OffsetCommitRequest.getErrorResponse(request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        // v10 names topics by id: an id nobody knows is the coordinator's UNKNOWN_TOPIC_ID, as in Kafka
        TopicSplit<OffsetCommitRequestTopic> split = TopicSplit.of(request.topics(), topic -> {
            String name = version >= 10 ? topics.nameOf(topic.topicId()) : topic.name();
            return name == null || context.authorized(AclOperation.READ, ResourceType.TOPIC, name)
                    ? Errors.NONE : Errors.TOPIC_AUTHORIZATION_FAILED;
        });
        if (!split.anyRefused()) {
            return coordinator.commitOffsets(request, version).thenApply(r -> r);
        }
        OffsetCommitResponseData denied = new OffsetCommitResponseData();
        for (TopicSplit.Refused<OffsetCommitRequestTopic> refused : split.refused()) {
            OffsetCommitRequestTopic topic = refused.topic();
            String name = version >= 10 ? topics.nameOf(topic.topicId()) : topic.name();
            OffsetCommitResponseTopic failed = new OffsetCommitResponseTopic().setName(name).setTopicId(topic.topicId());
            topic.partitions().forEach(p -> failed.partitions().add(new OffsetCommitResponsePartition()
                    .setPartitionIndex(p.partitionIndex())
                    .setErrorCode(refused.error().code())));
            denied.topics().add(failed);
        }
        if (split.passed().isEmpty()) {
            return CompletableFuture.completedFuture(denied);   // Kafka does not call the coordinator either
        }
        OffsetCommitResponseData response = denied;
        OffsetCommitRequestData rest = new OffsetCommitRequestData()
                .setGroupId(request.groupId())
                .setGenerationIdOrMemberEpoch(request.generationIdOrMemberEpoch())
                .setMemberId(request.memberId())
                .setGroupInstanceId(request.groupInstanceId())
                .setRetentionTimeMs(request.retentionTimeMs())
                .setTopics(new ArrayList<>(split.passed()));
        // Kafka's OffsetCommitResponse.Builder: the refused topics, then the coordinator's answer
        return coordinator.commitOffsets(rest, version).thenApply(committed -> {
            response.topics().addAll(committed.topics());
            return response;
        });
    }
}

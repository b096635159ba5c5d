package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * OffsetDelete (API key 47), version 0 (KIP-496): deletes a group's offsets of topics it does not subscribe to.
 *
 * <p>Behaviour: as Apache Kafka 4.x: GROUP_SUBSCRIBED_TO_TOPIC for a topic a member reads, NON_EMPTY_GROUP for a
 * non-consumer classic group with members, GROUP_ID_NOT_FOUND for an unknown group.
 *
 * <p>Authorizes DELETE on the group (else a top-level GROUP_AUTHORIZATION_FAILED), then READ on each topic (else
 * TOPIC_AUTHORIZATION_FAILED on its partitions, listed first; a group error from the coordinator replaces them).
 *
 * <p>Version notes: v0 only.
 */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequestData> {

    private final GroupCoordinator coordinator;

    public OffsetDeleteHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, OffsetDeleteRequestData request, RequestContext context) {
        if (!context.authorizer().enabled()) {
            return coordinator.deleteOffsets(request).thenApply(r -> r);
        }
        if (!context.authorized(AclOperation.DELETE, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new OffsetDeleteResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        TopicSplit<OffsetDeleteRequestTopic> split = TopicSplit.of(request.topics(),
                topic -> context.authorized(AclOperation.READ, ResourceType.TOPIC, topic.name())
                        ? Errors.NONE : Errors.TOPIC_AUTHORIZATION_FAILED);
        if (!split.anyRefused()) {
            return coordinator.deleteOffsets(request).thenApply(r -> r);
        }
        OffsetDeleteResponseData refused = new OffsetDeleteResponseData();
        for (TopicSplit.Refused<OffsetDeleteRequestTopic> refusal : split.refused()) {
            OffsetDeleteRequestTopic topic = refusal.topic();
            OffsetDeleteResponseTopic failed = refused.topics().find(topic.name());
            if (failed == null) {
                failed = new OffsetDeleteResponseTopic().setName(topic.name());
                refused.topics().add(failed);
            }
            for (var partition : topic.partitions()) {
                failed.partitions().add(new OffsetDeleteResponsePartition().setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(refusal.error().code()));
            }
        }
        OffsetDeleteRequestTopicCollection allowed = new OffsetDeleteRequestTopicCollection();
        split.passed().forEach(topic -> allowed.add(topic.duplicate())); // an element lives in one collection only
        OffsetDeleteResponseData response = refused;
        // Kafka's OffsetDeleteResponse.Builder.merge: a top-level error wins; otherwise the refused topics come first
        return coordinator.deleteOffsets(new OffsetDeleteRequestData().setGroupId(request.groupId()).setTopics(allowed))
                .thenApply(deleted -> {
                    if (deleted.errorCode() != Errors.NONE.code()) {
                        return deleted;
                    }
                    for (OffsetDeleteResponseTopic topic : deleted.topics()) {
                        response.topics().add(topic.duplicate());
                    }
                    return response;
                });
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

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
 * <p>Authorizes DESCRIBE on each group (else GROUP_AUTHORIZATION_FAILED for that group: top-level from v2, on every
 * asked partition in v1), then DESCRIBE on each topic: asked-for topics without it get TOPIC_AUTHORIZATION_FAILED
 * (after the coordinator's topics), and "all topics" silently leaves them out, as Kafka.
 *
 * <p>Version notes: v1 baseline; v2 null topics means all, top-level error; v3 throttle time; v4, v5 same (v5 leader
 * epoch); v6 flexible; v7 requireStable (KIP-447); v8 many groups per request (KIP-709); v9 member id and epoch of
 * the consumer protocol (KIP-848); v10 topic ids instead of names.
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequestData> {

    private final GroupCoordinator coordinator;
    private final Topics topics;

    public OffsetFetchHandler(GroupCoordinator coordinator, Topics topics) {
        this.coordinator = coordinator;
        this.topics = topics;
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
                answers.add(fetch(group, version, request.requireStable(), context));
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
        return fetch(single, version, request.requireStable(), context).thenApply(group -> toLegacy(group, version));
    }

    /** One group's offsets, authorized as Kafka's KafkaApis does before and after asking the coordinator. */
    private CompletableFuture<OffsetFetchResponseGroup> fetch(OffsetFetchRequestGroup group, short version,
                                                              boolean requireStable, RequestContext context) {
        if (!context.authorizer().enabled()) {
            return coordinator.fetchOffsets(group, version, requireStable);
        }
        if (!context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId())) {
            return CompletableFuture.completedFuture(groupError(group, version));
        }
        if (group.topics() == null) {
            // every committed topic: the ones the client may not describe are left out, unnamed
            return coordinator.fetchOffsets(group, version, requireStable).thenApply(answer -> {
                if (answer.errorCode() == Errors.NONE.code()) {
                    answer.topics().removeIf(t -> !context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, t.name()));
                }
                return answer;
            });
        }
        TopicSplit<OffsetFetchRequestTopics> split = TopicSplit.of(group.topics(), topic -> {
            String name = nameOf(topic, version);
            return name == null ? Errors.UNKNOWN_TOPIC_ID
                    : context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, name) ? Errors.NONE
                    : Errors.TOPIC_AUTHORIZATION_FAILED;
        });
        if (!split.anyRefused()) {
            return coordinator.fetchOffsets(group, version, requireStable);
        }
        List<OffsetFetchResponseTopics> refused = new ArrayList<>();
        for (TopicSplit.Refused<OffsetFetchRequestTopics> refusal : split.refused()) {
            OffsetFetchRequestTopics topic = refusal.topic();
            String name = nameOf(topic, version);
            OffsetFetchResponseTopics failed = new OffsetFetchResponseTopics().setTopicId(topic.topicId())
                    .setName(name == null ? topic.name() : name);
            for (int partition : topic.partitionIndexes()) {
                failed.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(partition)
                        .setCommittedOffset(-1).setErrorCode(refusal.error().code()));
            }
            refused.add(failed);
        }
        List<OffsetFetchRequestTopics> allowed = new ArrayList<>(split.passed());
        List<OffsetFetchResponseTopics> errors = refused;
        OffsetFetchRequestGroup rest = new OffsetFetchRequestGroup().setGroupId(group.groupId())
                .setMemberId(group.memberId()).setMemberEpoch(group.memberEpoch()).setTopics(allowed);
        // as Kafka: a group error replaces everything; otherwise the refused topics follow the coordinator's
        return coordinator.fetchOffsets(rest, version, requireStable).thenApply(answer -> {
            if (answer.errorCode() == Errors.NONE.code()) {
                answer.topics().addAll(errors);
            }
            return answer;
        });
    }

    /** Kafka's OffsetFetchResponse.groupError: top-level from v2; in v1 on every asked partition, offset -1. */
    private static OffsetFetchResponseGroup groupError(OffsetFetchRequestGroup group, short version) {
        OffsetFetchResponseGroup answer = new OffsetFetchResponseGroup().setGroupId(group.groupId());
        if (version >= 2) {
            return answer.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code());
        }
        for (OffsetFetchRequestTopics topic : group.topics()) {
            OffsetFetchResponseTopics failed = new OffsetFetchResponseTopics().setName(topic.name());
            for (int partition : topic.partitionIndexes()) {
                failed.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(partition)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()).setCommittedOffset(-1)
                        .setMetadata("").setCommittedLeaderEpoch(-1));
            }
            answer.topics().add(failed);
        }
        return answer;
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

    /** The topic's name: as asked before v10, looked up by id from v10 (null for an id nobody knows). */
    private String nameOf(OffsetFetchRequestTopics topic, short version) {
        return version < 10 ? topic.name() : Uuid.ZERO_UUID.equals(topic.topicId()) ? null
                : topics.nameOf(topic.topicId());
    }
}

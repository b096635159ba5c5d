package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.metadata.AuthorizedOperations;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeTopicPartitions (API key 75), version 0 (KIP-966): topics and their partitions in name order, at most
 * {@code responsePartitionLimit} partitions per response (capped by max.request.partition.size.limit), resumed from a
 * cursor. Newer admin clients prefer it to Metadata for describeTopics.
 *
 * <p>Behaviour: this node is leader, only replica and only in-sync replica; the eligible leader replica lists are
 * empty (no replicas to elect from). An empty topic list means every topic. A cursor naming a topic that the request
 * does not list answers INVALID_REQUEST for every topic, as Kafka refuses such a request. Unknown topics answer
 * UNKNOWN_TOPIC_OR_PARTITION, illegal names INVALID_TOPIC_EXCEPTION; they count towards no limit. A limit below 1
 * counts as 1, as Kafka does.
 *
 * <p>Authorization (with an authorizer): as Metadata: DESCRIBE on each topic; authorized operations from the authorizer.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-966), flexible.
 * </ul>
 */
public final class DescribeTopicPartitionsHandler implements ApiHandler<DescribeTopicPartitionsRequestData> {

    private final TopicRegistry registry;
    private final BrokerNode node;
    private final BrokerSettings settings;

    public DescribeTopicPartitionsHandler(TopicRegistry registry, BrokerNode node, BrokerSettings settings) {
        this.registry = registry;
        this.node = node;
        this.settings = settings;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TOPIC_PARTITIONS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeTopicPartitionsRequestData request, RequestContext context) {
        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData();
        TreeSet<String> names = new TreeSet<>();
        boolean everyTopic = request.topics().isEmpty();
        if (everyTopic) {
            registry.all().forEach(topic -> names.add(topic.name()));
        } else {
            request.topics().forEach(topic -> names.add(topic.name()));
        }
        DescribeTopicPartitionsRequestData.Cursor cursor = request.cursor();
        if (cursor != null && !everyTopic && !names.contains(cursor.topicName())) {
            for (String name : names) {
                response.topics().add(error(name, Errors.INVALID_REQUEST)
                        .setTopicAuthorizedOperations(AuthorizedOperations.NOT_REQUESTED));
            }
            return CompletableFuture.completedFuture(response);
        }
        // as Kafka: topics the client may not describe are left out, those it named answer TOPIC_AUTHORIZATION_FAILED
        // (after the described ones) without saying whether they exist
        List<DescribeTopicPartitionsResponseTopic> unauthorized = new ArrayList<>();
        names.removeIf(name -> {
            if (context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, name)) {
                return false;
            }
            if (!everyTopic) {
                unauthorized.add(error(name, Errors.TOPIC_AUTHORIZATION_FAILED).setIsInternal(false)
                        .setTopicAuthorizedOperations(AuthorizedOperations.NOT_REQUESTED));
            }
            return true;
        });
        int limit = Math.max(1, Math.min(request.responsePartitionLimit(), settings.getInt("max.request.partition.size.limit")));
        int remaining = limit;
        Iterable<String> fromCursor = cursor == null ? names : names.tailSet(cursor.topicName(), true);
        for (String name : fromCursor) {
            Optional<TopicInfo> found = registry.byName(name);
            if (found.isEmpty()) {
                response.topics().add(error(name, nameError(name))
                        .setTopicAuthorizedOperations(AuthorizedOperations.topic(context, name)));
                continue;
            }
            TopicInfo topic = found.get();
            int start = cursor != null && name.equals(cursor.topicName()) ? Math.max(0, cursor.partitionIndex()) : 0;
            if (remaining == 0) {
                response.setNextCursor(new DescribeTopicPartitionsResponseData.Cursor().setTopicName(name).setPartitionIndex(start));
                break;
            }
            int end = (int) Math.min(topic.partitions(), (long) start + remaining);
            response.topics().add(describe(topic, start, end)
                    .setTopicAuthorizedOperations(AuthorizedOperations.topic(context, name)));
            remaining -= Math.max(0, end - start);
            if (end < topic.partitions()) {
                response.setNextCursor(new DescribeTopicPartitionsResponseData.Cursor().setTopicName(name).setPartitionIndex(end));
                break;
            }
        }
        response.topics().addAll(unauthorized);
        return CompletableFuture.completedFuture(response);
    }

    private DescribeTopicPartitionsResponseTopic describe(TopicInfo topic, int start, int end) {
        DescribeTopicPartitionsResponseTopic result = new DescribeTopicPartitionsResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(Topic.isInternal(topic.name()));
        List<Integer> self = List.of(node.nodeId());
        for (int p = start; p < end; p++) {
            result.partitions().add(new DescribeTopicPartitionsResponsePartition()
                    .setPartitionIndex(p)
                    .setLeaderId(node.nodeId())
                    .setLeaderEpoch(0)
                    .setReplicaNodes(self)
                    .setIsrNodes(self)
                    .setEligibleLeaderReplicas(List.of())
                    .setLastKnownElr(List.of())
                    .setOfflineReplicas(List.of()));
        }
        return result;
    }

    private static Errors nameError(String name) {
        try {
            Topic.validate(name);
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        } catch (InvalidTopicException e) {
            return Errors.INVALID_TOPIC_EXCEPTION;
        }
    }

    private static DescribeTopicPartitionsResponseTopic error(String name, Errors error) {
        return new DescribeTopicPartitionsResponseTopic()
                .setName(name)
                .setTopicId(Uuid.ZERO_UUID)
                .setErrorCode(error.code())
                .setIsInternal(Topic.isInternal(name));
    }
}

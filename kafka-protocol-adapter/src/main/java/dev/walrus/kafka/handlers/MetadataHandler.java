package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.AuthorizedOperations;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Metadata (API key 3), versions 0-13: the brokers (this node), the cluster id, the controller (this node) and the
 * topics asked for, with this node as leader, only replica and only in-sync replica of every partition.
 *
 * <p>Behaviour: auto-creation (auto.create.topics.enable, and the request's allowAutoTopicCreation from v4) creates
 * the topic synchronously and answers it at once, after the creation is durable. Apache Kafka 4.x answers
 * UNKNOWN_TOPIC_OR_PARTITION first and the topic on the client's retry; clients retry either way, so they see the
 * same thing sooner. Kafka's internal topics (__consumer_offsets, __transaction_state) are not auto-created, as in
 * Kafka: the group coordinator makes __consumer_offsets on its first use, and transaction state lives in the engine. Leader epochs are always 0 (a single node never
 * changes leader).
 *
 * <p>Authorization (with an authorizer): topics the client may not DESCRIBE are left out of an all-topics answer and answer TOPIC_AUTHORIZATION_FAILED when named; auto-creation needs CREATE on the cluster or the topic; authorized-operation fields come from the authorizer.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: an empty topic list means all topics.
 *   <li>v1: null topics means all, empty means none; controller id; isInternal.
 *   <li>v2: cluster id. v3: throttle time. v4: allowAutoTopicCreation (KIP-204).
 *   <li>v5: offline replicas. v6: no change. v7: leader epoch (KIP-320).
 *   <li>v8: authorized operations (KIP-430); the cluster's until v10. v9: flexible versions (KIP-482).
 *   <li>v10: topic IDs in the response (KIP-516). v11: cluster authorized operations removed (KIP-700).
 *   <li>v12: topics asked for by ID (an unknown ID answers UNKNOWN_TOPIC_ID); when any is, names are ignored.
 *   <li>v13: top-level error code (KIP-1102), always NONE.
 * </ul>
 */
public final class MetadataHandler implements ApiHandler<MetadataRequestData> {

    private final TopicRegistry registry;
    private final BrokerNode node;

    public MetadataHandler(TopicRegistry registry, BrokerNode node) {
        this.registry = registry;
        this.node = node;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, MetadataRequestData request, RequestContext context) {
        short version = header.apiVersion();
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(registry.clusterId())
                .setControllerId(node.nodeId());
        BrokerNode.Endpoint endpoint = node.endpoint(context.listenerName());
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(node.nodeId()).setHost(endpoint.host()).setPort(endpoint.port()).setRack(node.rack()));
        if (version >= 8 && version <= 10 && request.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(context.authorizedOnCluster(AclOperation.DESCRIBE)
                    ? AuthorizedOperations.cluster(context) : 0);
        }
        boolean topicOperations = version >= 8 && request.includeTopicAuthorizedOperations();
        boolean created = false;

        boolean allTopics = request.topics() == null || (version == 0 && request.topics().isEmpty());
        if (allTopics) {
            // topics the client may not describe are left out, not named
            for (TopicInfo topic : registry.all()) {
                if (context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic.name())) {
                    response.topics().add(describe(topic, topicOperations, context));
                }
            }
        } else {
            // as Kafka: once any topic is asked for by a (non-zero) ID, every topic is looked up by ID and names are
            // ignored (the consumer protocol's client asks by ID with an empty name)
            boolean byIds = version >= 12 && request.topics().stream().anyMatch(t -> !Uuid.ZERO_UUID.equals(t.topicId()));
            Set<String> seenNames = new LinkedHashSet<>();
            Set<Uuid> seenIds = new LinkedHashSet<>();
            for (MetadataRequestData.MetadataRequestTopic asked : request.topics()) {
                if (byIds) {
                    if (!Uuid.ZERO_UUID.equals(asked.topicId()) && seenIds.add(asked.topicId())) {
                        response.topics().add(byId(asked.topicId(), topicOperations, context));
                    }
                    continue;
                }
                if (asked.name() == null) {
                    response.topics().add(byId(asked.topicId(), topicOperations, context));
                    continue;
                }
                if (!seenNames.add(asked.name())) {
                    continue;
                }
                if (!context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, asked.name())) {
                    // as Kafka: whether the topic exists is not disclosed
                    response.topics().add(error(asked.name(), Uuid.ZERO_UUID, Errors.TOPIC_AUTHORIZATION_FAILED)
                            .setIsInternal(false));
                    continue;
                }
                var existing = registry.byName(asked.name());
                if (existing.isPresent()) {
                    response.topics().add(describe(existing.get(), topicOperations, context));
                    continue;
                }
                boolean autoCreation = request.allowAutoTopicCreation() && registry.mayAutoCreate(asked.name());
                Errors invalid = nameError(asked.name());
                if (autoCreation && !context.authorizedOnCluster(AclOperation.CREATE)
                        && !context.authorized(AclOperation.CREATE, ResourceType.TOPIC, asked.name())) {
                    response.topics().add(error(asked.name(), Uuid.ZERO_UUID, Errors.TOPIC_AUTHORIZATION_FAILED));
                } else if (invalid != Errors.NONE) {
                    response.topics().add(error(asked.name(), Uuid.ZERO_UUID, invalid));
                } else if (autoCreation) {
                    Outcome<TopicInfo> outcome = registry.autoCreate(asked.name());
                    if (outcome.isOk()) {
                        created = true;
                        response.topics().add(describe(outcome.value(), topicOperations, context));
                    } else {
                        response.topics().add(error(asked.name(), Uuid.ZERO_UUID, outcome.error()));
                    }
                } else {
                    response.topics().add(error(asked.name(), Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION));
                }
            }
        }
        if (created) {
            return registry.durable().thenApply(done -> response);
        }
        return CompletableFuture.completedFuture(response);
    }

    /** A topic asked for by ID (v12+): IDs are not secret, so one the client may not describe says so, unnamed. */
    private MetadataResponseTopic byId(Uuid id, boolean topicOperations, RequestContext context) {
        var topic = registry.byId(id);
        if (topic.isEmpty()) {
            return error(null, id, Errors.UNKNOWN_TOPIC_ID);
        }
        if (!context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic.get().name())) {
            return error(null, id, Errors.TOPIC_AUTHORIZATION_FAILED);
        }
        return describe(topic.get(), topicOperations, context);
    }

    private static Errors nameError(String name) {
        try {
            Topic.validate(name);
            return Errors.NONE;
        } catch (InvalidTopicException e) {
            return Errors.INVALID_TOPIC_EXCEPTION;
        }
    }

    private MetadataResponseTopic describe(TopicInfo topic, boolean topicOperations, RequestContext context) {
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(Topic.isInternal(topic.name()));
        if (topicOperations) {
            result.setTopicAuthorizedOperations(AuthorizedOperations.topic(context, topic.name()));
        }
        List<Integer> self = List.of(node.nodeId());
        for (int p = 0; p < topic.partitions(); p++) {
            result.partitions().add(new MetadataResponsePartition()
                    .setPartitionIndex(p)
                    .setLeaderId(node.nodeId())
                    .setLeaderEpoch(0)
                    .setReplicaNodes(self)
                    .setIsrNodes(self)
                    .setOfflineReplicas(List.of()));
        }
        return result;
    }

    private static MetadataResponseTopic error(String name, Uuid id, Errors error) {
        return new MetadataResponseTopic()
                .setName(name)
                .setTopicId(id)
                .setErrorCode(error.code())
                .setIsInternal(name != null && Topic.isInternal(name));
    }
}

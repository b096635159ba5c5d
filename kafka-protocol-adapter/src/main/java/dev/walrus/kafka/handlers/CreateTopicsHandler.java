package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.config.ConfigDescriber;
import dev.walrus.kafka.config.DescribedConfig;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import dev.walrus.kafka.quota.MutationRateQuota;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * CreateTopics (API key 19), versions 2-7: creates topics with a partition count or explicit replica assignments and
 * config overrides; validate-only checks without creating.
 *
 * <p>Validation ladder, one error per rung, as Kafka's controller: duplicate name in the request (INVALID_REQUEST),
 * illegal name (INVALID_TOPIC_EXCEPTION), existing name (TOPIC_ALREADY_EXISTS), name colliding after '.'/'_'
 * unification (INVALID_TOPIC_EXCEPTION), assignments together with a count or factor (INVALID_REQUEST), bad
 * assignments (INVALID_REPLICA_ASSIGNMENT), replication factor 0 or below -1 (INVALID_REPLICATION_FACTOR), partition
 * count 0 or below -1 (INVALID_PARTITIONS), replication factor above 1 (INVALID_REPLICATION_FACTOR: one broker),
 * configs (INVALID_CONFIG), then the client's {@code controller_mutation_rate} (THROTTLING_QUOTA_EXCEEDED "The throttling
 * quota has been exceeded.", from v6; see {@link MutationRateQuota}), counted per partition created, validate-only too,
 * as Kafka's controller counts.
 *
 * <p>Behaviour: the response is sent once the creation is durable. timeoutMs is not needed: creation is synchronous.
 * A client over its mutation rate gets the throttle time in the answer (before v3, which does not wait it out itself,
 * the answer comes that much later, KIP-219); the broker does not mute its connection.
 *
 * <p>Authorization (with an authorizer): CREATE on the cluster or on each topic (TOPIC_AUTHORIZATION_FAILED "Authorization failed.", before any other check); without DESCRIBE_CONFIGS on it a created topic's configs are withheld (topicConfigErrorCode TOPIC_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v2: oldest the message classes define. v3: no change. v4: -1 for count and factor means the broker default (KIP-464).
 *   <li>v5: configs, partition count and replication factor in the response (KIP-525); flexible versions.
 *   <li>v6: a topic over the mutation quota is refused with THROTTLING_QUOTA_EXCEEDED
 *       (KIP-599); before, it is created and the answer throttled. v7: topic ID in the response (KIP-516).
 * </ul>
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequestData> {

    private final TopicRegistry registry;
    private final BrokerNode node;
    private final BrokerSettings settings;
    private final ConfigDescriber describer;
    private final MutationRateQuota mutationQuota;

    public CreateTopicsHandler(TopicRegistry registry, BrokerNode node, BrokerSettings settings, ConfigDescriber describer,
                               MutationRateQuota mutationQuota) {
        this.registry = registry;
        this.node = node;
        this.settings = settings;
        this.describer = describer;
        this.mutationQuota = mutationQuota;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    /** The first version that refuses a topic over the mutation quota (KIP-599, Kafka's strict quota). */
    private static final short STRICT_QUOTA_SINCE = 6;

    /** A topic's shape once its request passed the checks that do not need the registry. */
    private record Shape(int partitions, short replicationFactor) {}

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, CreateTopicsRequestData request, RequestContext context) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        MutationRateQuota.Request quota = mutationQuota.forRequest(context.principalName(), header.clientId(),
                header.apiVersion() >= STRICT_QUOTA_SINCE);
        Map<String, Integer> counts = new HashMap<>();
        for (CreatableTopic topic : request.topics()) {
            counts.merge(topic.name(), 1, Integer::sum);
        }
        boolean created = false;
        // CREATE on the cluster covers every topic; otherwise each needs CREATE on its own name
        boolean mayCreate = context.authorizedOnCluster(AclOperation.CREATE);
        Set<String> answered = new HashSet<>();
        for (CreatableTopic topic : request.topics()) {
            if (!answered.add(topic.name())) {
                continue; // a duplicated name gets one answer, as Kafka gives
            }
            CreatableTopicResult result = new CreatableTopicResult().setName(topic.name());
            response.topics().add(result);
            if (counts.get(topic.name()) > 1) {
                fail(result, Outcome.fail(Errors.INVALID_REQUEST, "Duplicate topic name."));
                continue;
            }
            if (!topic.name().equals(Topic.CLUSTER_METADATA_TOPIC_NAME) && !mayCreate) {
                String topicName = topic.name();
                if (!context.authorized(AclOperation.CREATE, ResourceType.TOPIC, topicName)) {
                    fail(result, Outcome.fail(Errors.TOPIC_AUTHORIZATION_FAILED, "Authorization failed."));
                    continue;
                }
            }
            Outcome<Void> name = registry.checkNewName(topic.name());
            if (!name.isOk()) {
                fail(result, name);
                continue;
            }
            Outcome<Shape> shape = shape(topic);
            if (!shape.isOk()) {
                fail(result, shape);
                continue;
            }
            Map<String, String> configs = new LinkedHashMap<>();
            for (CreateTopicsRequestData.CreatableTopicConfig config : topic.configs()) {
                configs.put(config.name(), config.value());
            }
            int partitions = shape.value().partitions();
            // Kafka's controller counts the quota once every other check passed, validate-only as well
            Outcome<TopicInfo> outcome = registry.create(topic.name(), partitions, configs, request.validateOnly(),
                    () -> quota.tryRecord(partitions) ? Outcome.ok(null)
                            : Outcome.fail(Errors.THROTTLING_QUOTA_EXCEEDED, Errors.THROTTLING_QUOTA_EXCEEDED.message()));
            if (!outcome.isOk()) {
                fail(result, outcome);
                continue;
            }
            created |= !request.validateOnly();
            TopicInfo info = outcome.value();
            result.setTopicId(info.id()).setErrorMessage(null);
            if (!context.authorized(AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, info.name())) {
                // created, but its configs are not the client's to see (Kafka's answer)
                result.setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                continue;
            }
            result.setNumPartitions(info.partitions())
                    .setReplicationFactor(shape.value().replicationFactor());
            for (DescribedConfig config : describer.describeTopic(info.configs(), null, false, false)) {
                result.configs().add(new CreatableTopicConfigs()
                        .setName(config.name())
                        .setValue(config.value())
                        .setReadOnly(config.readOnly())
                        .setConfigSource(config.source().id())
                        .setIsSensitive(config.sensitive()));
            }
        }
        return Throttling.answerWhen(created ? registry.durable() : CompletableFuture.completedFuture(null), response,
                quota.throttleTimeMs(), ApiKeys.CREATE_TOPICS, header.apiVersion());
    }

    private Outcome<Shape> shape(CreatableTopic topic) {
        if (!topic.assignments().isEmpty()) {
            return shapeFromAssignments(topic);
        }
        short factor = topic.replicationFactor() == -1
                ? (short) settings.getInt("default.replication.factor") : topic.replicationFactor();
        if (topic.replicationFactor() < -1 || topic.replicationFactor() == 0) {
            return Outcome.fail(Errors.INVALID_REPLICATION_FACTOR,
                    "Replication factor must be larger than 0, or -1 to use the default value.");
        }
        if (topic.numPartitions() < -1 || topic.numPartitions() == 0) {
            return Outcome.fail(Errors.INVALID_PARTITIONS, "Number of partitions was set to an invalid non-positive value.");
        }
        if (factor > 1) {
            return Outcome.fail(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition " + factor
                    + " time(s): The target replication factor of " + factor + " cannot be reached because only 1 "
                    + "broker(s) are registered or some brokers have all their log directories cordoned.");
        }
        if (factor < 1) {
            return Outcome.fail(Errors.INVALID_REPLICATION_FACTOR,
                    "Replication factor must be larger than 0, or -1 to use the default value.");
        }
        int partitions = topic.numPartitions() == -1 ? settings.getInt("num.partitions") : topic.numPartitions();
        return Outcome.ok(new Shape(partitions, factor));
    }

    private Outcome<Shape> shapeFromAssignments(CreatableTopic topic) {
        if (topic.numPartitions() != -1) {
            return Outcome.fail(Errors.INVALID_REQUEST,
                    "A manual partition assignment was specified, but numPartitions was not set to -1.");
        }
        if (topic.replicationFactor() != -1) {
            return Outcome.fail(Errors.INVALID_REQUEST,
                    "A manual partition assignment was specified, but replicationFactor was not set to -1.");
        }
        int count = topic.assignments().size();
        Set<Integer> indexes = new HashSet<>();
        for (CreatableReplicaAssignment assignment : topic.assignments()) {
            if (assignment.partitionIndex() < 0 || assignment.partitionIndex() >= count || !indexes.add(assignment.partitionIndex())) {
                return Outcome.fail(Errors.INVALID_REPLICA_ASSIGNMENT,
                        "partitions should be a consecutive 0-based integer sequence");
            }
            Outcome<Void> replicas = checkReplicas(assignment.brokerIds(), node.nodeId());
            if (!replicas.isOk()) {
                return replicas.asFailure();
            }
        }
        return Outcome.ok(new Shape(count, (short) 1));
    }

    /** One partition's replica list: exactly this node (a single node can hold only one replica). Kafka's messages. */
    static Outcome<Void> checkReplicas(java.util.List<Integer> brokerIds, int nodeId) {
        if (brokerIds.isEmpty()) {
            return Outcome.fail(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes an empty replica list.");
        }
        for (int brokerId : brokerIds) {
            if (brokerId != nodeId) {
                return Outcome.fail(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes broker "
                        + brokerId + ", but no such broker is registered.");
            }
        }
        if (brokerIds.size() > 1) {
            return Outcome.fail(Errors.INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes the broker " + nodeId + " more than once.");
        }
        return Outcome.ok(null);
    }

    private static void fail(CreatableTopicResult result, Outcome<?> outcome) {
        result.setErrorCode(outcome.error().code())
                .setErrorMessage(outcome.message())
                .setNumPartitions(-1)
                .setReplicationFactor((short) -1);
    }
}

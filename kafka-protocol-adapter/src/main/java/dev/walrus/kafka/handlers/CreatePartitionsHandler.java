package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import dev.walrus.kafka.quota.MutationRateQuota;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * CreatePartitions (API key 37), versions 0-3: grows topics to a larger partition count; validate-only checks.
 *
 * <p>Validation ladder per topic: duplicate in the request (INVALID_REQUEST), unknown topic
 * (UNKNOWN_TOPIC_OR_PARTITION), count not an increase (INVALID_PARTITIONS), assignments not one per new partition or
 * naming another broker (INVALID_REPLICA_ASSIGNMENT), the client's {@code controller_mutation_rate} counted per partition
 * added, validate-only too (THROTTLING_QUOTA_EXCEEDED "The throttling quota has been exceeded." from v3; see
 * {@link MutationRateQuota}; Kafka's controller counts it between the count of assignments and their brokers).
 *
 * <p>Behaviour: the response is sent once the change is durable; the data path hears of it through
 * {@code Topics.TopicsListener#partitionsAdded}.
 *
 * <p>A client over its mutation rate gets the throttle time in the answer (v0 gets the answer that much later,
 * KIP-219); the broker does not mute its connection.
 *
 * <p>Authorization (with an authorizer): ALTER on each topic (TOPIC_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-195). v1: no change. v2: flexible versions. v3: a topic over the mutation quota is refused
 *       with THROTTLING_QUOTA_EXCEEDED (KIP-599); before, it grows and the answer is throttled.
 * </ul>
 */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequestData> {

    private final TopicRegistry registry;
    private final BrokerNode node;
    private final MutationRateQuota mutationQuota;

    /** The first version that refuses a topic over the mutation quota (KIP-599, Kafka's strict quota). */
    private static final short STRICT_QUOTA_SINCE = 3;

    public CreatePartitionsHandler(TopicRegistry registry, BrokerNode node, MutationRateQuota mutationQuota) {
        this.registry = registry;
        this.node = node;
        this.mutationQuota = mutationQuota;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, CreatePartitionsRequestData request, RequestContext context) {
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        MutationRateQuota.Request quota = mutationQuota.forRequest(context.principalName(), header.clientId(),
                header.apiVersion() >= STRICT_QUOTA_SINCE);
        Map<String, Integer> counts = new HashMap<>();
        for (CreatePartitionsTopic topic : request.topics()) {
            counts.merge(topic.name(), 1, Integer::sum);
        }
        boolean changed = false;
        Set<String> answered = new HashSet<>();
        for (CreatePartitionsTopic topic : request.topics()) {
            if (!answered.add(topic.name())) {
                continue; // a duplicated name gets one answer, as Kafka gives
            }
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
            response.results().add(result);
            Outcome<TopicInfo> outcome;
            if (counts.get(topic.name()) > 1) {
                outcome = Outcome.fail(Errors.INVALID_REQUEST, "Duplicate topic name.");
            } else if (!context.authorized(AclOperation.ALTER, ResourceType.TOPIC, topic.name())) {
                outcome = Outcome.fail(Errors.TOPIC_AUTHORIZATION_FAILED, null); // before existence, as Kafka
            } else {
                outcome = grow(topic, request.validateOnly(), quota);
            }
            result.setErrorCode(outcome.error().code()).setErrorMessage(outcome.message());
            changed |= outcome.isOk() && !request.validateOnly();
        }
        return Throttling.answerWhen(changed ? registry.durable() : CompletableFuture.completedFuture(null), response,
                quota.throttleTimeMs(), ApiKeys.CREATE_PARTITIONS, header.apiVersion());
    }

    private Outcome<TopicInfo> grow(CreatePartitionsTopic topic, boolean validateOnly, MutationRateQuota.Request quota) {
        Outcome<TopicInfo> preview = registry.addPartitions(topic.name(), topic.count(), true);
        if (!preview.isOk()) {
            return preview;
        }
        int current = registry.byName(topic.name()).map(TopicInfo::partitions).orElse(0);
        int added = topic.count() - current;
        if (topic.assignments() != null && topic.assignments().size() != added) {
            return Outcome.fail(Errors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add " + added
                    + " additional partition(s), but only " + topic.assignments().size() + " assignment(s) were specified.");
        }
        if (!quota.tryRecord(added)) {
            return Outcome.fail(Errors.THROTTLING_QUOTA_EXCEEDED, Errors.THROTTLING_QUOTA_EXCEEDED.message());
        }
        if (topic.assignments() != null) {
            for (CreatePartitionsAssignment assignment : topic.assignments()) {
                Outcome<Void> replicas = CreateTopicsHandler.checkReplicas(assignment.brokerIds(), node.nodeId());
                if (!replicas.isOk()) {
                    return replicas.asFailure();
                }
            }
        }
        return validateOnly ? preview : registry.addPartitions(topic.name(), topic.count(), false);
    }
}

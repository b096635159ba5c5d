package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
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
 * naming another broker (INVALID_REPLICA_ASSIGNMENT).
 *
 * <p>Behaviour: the response is sent once the change is durable; the data path hears of it through
 * {@code Topics.TopicsListener#partitionsAdded}.
 *
 * <p>Authorization (with an authorizer): ALTER on each topic (TOPIC_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-195). v1: no change. v2: flexible versions. v3: quota violations may be throttled
 *       (KIP-599; never here).
 * </ul>
 */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequestData> {

    private final TopicRegistry registry;
    private final BrokerNode node;

    public CreatePartitionsHandler(TopicRegistry registry, BrokerNode node) {
        this.registry = registry;
        this.node = node;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, CreatePartitionsRequestData request, RequestContext context) {
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
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
                outcome = grow(topic, request.validateOnly());
            }
            result.setErrorCode(outcome.error().code()).setErrorMessage(outcome.message());
            changed |= outcome.isOk() && !request.validateOnly();
        }
        if (changed) {
            return registry.durable().thenApply(done -> response);
        }
        return CompletableFuture.completedFuture(response);
    }

    private Outcome<TopicInfo> grow(CreatePartitionsTopic topic, boolean validateOnly) {
        Outcome<TopicInfo> preview = registry.addPartitions(topic.name(), topic.count(), true);
        if (!preview.isOk()) {
            return preview;
        }
        if (topic.assignments() != null) {
            int current = registry.byName(topic.name()).map(TopicInfo::partitions).orElse(0);
            int added = topic.count() - current;
            if (topic.assignments().size() != added) {
                return Outcome.fail(Errors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add " + added
                        + " additional partition(s), but only " + topic.assignments().size() + " assignment(s) were specified.");
            }
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

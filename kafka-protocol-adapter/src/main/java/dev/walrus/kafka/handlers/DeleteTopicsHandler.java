package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import dev.walrus.kafka.quota.MutationRateQuota;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteTopics (API key 20), versions 1-6: deletes topics by name, or from v6 by ID, with every partition's data.
 *
 * <p>Validation ladder per topic: delete.topic.enable off (TOPIC_DELETION_DISABLED), both name and ID or neither
 * (INVALID_REQUEST), unknown ID (UNKNOWN_TOPIC_ID), then authorization as Kafka's (DELETE on the cluster, or DESCRIBE and
 * DELETE on the topic: TOPIC_AUTHORIZATION_FAILED, a topic given by ID named only when the client may describe it),
 * unknown name (UNKNOWN_TOPIC_OR_PARTITION), then the client's {@code controller_mutation_rate}, counted per partition
 * deleted (THROTTLING_QUOTA_EXCEEDED "The throttling quota has been exceeded." from v5; see {@link MutationRateQuota}).
 *
 * <p>Behaviour: the response is sent once the deletion is durable and the partitions' engine topics are gone. A client
 * over its mutation rate gets the throttle time in the answer (before v2 the answer comes that much later, KIP-219);
 * the broker does not mute its connection.
 *
 * <p>Authorization (with an authorizer): DELETE on the cluster, or DESCRIBE and DELETE on each topic.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v1: oldest the message classes define; throttle time. v2, v3: no change. v4: flexible versions.
 *   <li>v5: error messages; a topic over the mutation quota is refused with
 *       THROTTLING_QUOTA_EXCEEDED (KIP-599), before it is deleted and the answer throttled. v6: topics by name or ID, topic IDs in the response (KIP-516).
 * </ul>
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequestData> {

    private final TopicRegistry registry;
    private final BrokerSettings settings;
    private final MutationRateQuota mutationQuota;

    /** The first version that refuses a topic over the mutation quota (KIP-599, Kafka's strict quota). */
    private static final short STRICT_QUOTA_SINCE = 5;

    public DeleteTopicsHandler(TopicRegistry registry, BrokerSettings settings, MutationRateQuota mutationQuota) {
        this.registry = registry;
        this.settings = settings;
        this.mutationQuota = mutationQuota;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DeleteTopicsRequestData request, RequestContext context) {
        List<DeleteTopicState> asked = new ArrayList<>();
        if (header.apiVersion() >= 6) {
            asked.addAll(request.topics());
        } else {
            for (String name : request.topicNames()) {
                asked.add(new DeleteTopicState().setName(name));
            }
        }
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        MutationRateQuota.Request quota = mutationQuota.forRequest(context.principalName(), header.clientId(),
                header.apiVersion() >= STRICT_QUOTA_SINCE);
        List<CompletableFuture<Void>> deletions = new ArrayList<>();
        boolean enabled = settings.getBoolean("delete.topic.enable");
        // DELETE on the cluster covers every topic; otherwise a topic needs DELETE, and DESCRIBE to be named
        boolean clusterDelete = context.authorizedOnCluster(AclOperation.DELETE);
        for (DeleteTopicState topic : asked) {
            DeletableTopicResult result = new DeletableTopicResult().setName(topic.name()).setTopicId(topic.topicId());
            response.responses().add(result);
            boolean byId = !Uuid.ZERO_UUID.equals(topic.topicId());
            if (!enabled) {
                fail(result, Errors.TOPIC_DELETION_DISABLED, "Topic deletion is disabled.");
            } else if (topic.name() != null && byId) {
                fail(result, Errors.INVALID_REQUEST, "You may not specify both topic name and topic id.");
            } else if (topic.name() == null && !byId) {
                fail(result, Errors.INVALID_REQUEST, "Neither topic name nor id were specified.");
            } else {
                Optional<TopicInfo> found = byId ? registry.byId(topic.topicId()) : registry.byName(topic.name());
                String name = found.isPresent() ? found.get().name() : topic.name();
                boolean describable = clusterDelete
                        || name != null && context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, name);
                boolean deletable = clusterDelete
                        || name != null && context.authorized(AclOperation.DELETE, ResourceType.TOPIC, name);
                if (byId && found.isEmpty()) {
                    fail(result, Errors.UNKNOWN_TOPIC_ID, Errors.UNKNOWN_TOPIC_ID.message()); // IDs are not secret
                } else if (byId && !deletable) {
                    // named only to a client that may describe it
                    result.setName(describable ? name : null);
                    fail(result, Errors.TOPIC_AUTHORIZATION_FAILED, Errors.TOPIC_AUTHORIZATION_FAILED.message());
                } else if (!byId && (!describable || !deletable)) {
                    // whether the topic exists is not disclosed
                    fail(result, Errors.TOPIC_AUTHORIZATION_FAILED, Errors.TOPIC_AUTHORIZATION_FAILED.message());
                } else if (found.isEmpty()) {
                    fail(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_OR_PARTITION.message());
                } else if (!quota.tryRecord(found.get().partitions())) {
                    result.setName(found.get().name()).setTopicId(found.get().id());
                    fail(result, Errors.THROTTLING_QUOTA_EXCEEDED, Errors.THROTTLING_QUOTA_EXCEEDED.message());
                } else {
                    result.setName(found.get().name()).setTopicId(found.get().id());
                    deletions.add(registry.delete(found.get()));
                }
            }
        }
        return Throttling.answerWhen(CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)), response,
                quota.throttleTimeMs(), ApiKeys.DELETE_TOPICS, header.apiVersion());
    }

    private static void fail(DeletableTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.ClientInfo;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
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
 * StreamsGroupHeartbeat (API key 88), versions 0-1: the whole streams group protocol (KIP-1071) in one API: join with
 * the topology, stay, reconcile towards the broker's target assignment of tasks, leave, ask the application to shut
 * down.
 *
 * <p>Behaviour: as Apache Kafka 4.4 with its sticky task assignor, except: no warm-up tasks (a stateful task moves at
 * once and restores from its changelog), no rack-aware standby placement, no initial rebalance delay
 * ({@code group.streams.initial.rebalance.delay.ms} is not applied, as the classic delay defaults to 0 here), and
 * missing internal topics are created within the heartbeat that finds them missing, so their tasks are assigned in the
 * same response rather than at a later heartbeat. Topology descriptions (StreamsGroupTopologyDescriptionUpdate, KIP-1331)
 * are never requested.
 *
 * <p>Authorizes READ on the group (else GROUP_AUTHORIZATION_FAILED); a joining topology naming one of Kafka's internal
 * topics or an invalid topic name gets STREAMS_INVALID_TOPOLOGY, and one naming a topic the client may not DESCRIBE
 * gets TOPIC_AUTHORIZATION_FAILED, as Kafka's broker checks them before its coordinator. Internal topics are created
 * only with CREATE on the cluster or on each of them; otherwise none is, and the status MISSING_INTERNAL_TOPICS says
 * which were refused.
 *
 * <p>Version notes: v0 baseline (KIP-1071); v1 AcceptableRecoveryLag and TopologyDescriptionRequired in the response
 * (KIP-1331), MISSING_CLIENT_TAGS status (not sent: rack-aware assignment tags are not supported).
 */
public final class StreamsGroupHeartbeatHandler implements ApiHandler<StreamsGroupHeartbeatRequestData> {

    private final GroupCoordinator coordinator;

    public StreamsGroupHeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.STREAMS_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, StreamsGroupHeartbeatRequestData request, RequestContext context) {
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new StreamsGroupHeartbeatResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        if (request.topology() != null) {
            // Kafka checks the topology's topic names here, before the coordinator sees the request
            Set<String> required = new LinkedHashSet<>();
            for (StreamsGroupHeartbeatRequestData.Subtopology s : request.topology().subtopologies()) {
                required.addAll(s.sourceTopics());
                required.addAll(s.repartitionSinkTopics());
                s.repartitionSourceTopics().forEach(t -> required.add(t.name()));
                s.stateChangelogTopics().forEach(t -> required.add(t.name()));
            }
            List<String> internal = required.stream().filter(Topic::isInternal).toList();
            if (!internal.isEmpty()) {
                return invalidTopology("Use of Kafka internal topics " + String.join(",", internal)
                        + " in a Kafka Streams topology is prohibited.");
            }
            List<String> invalid = required.stream().filter(t -> !Topic.isValid(t)).toList();
            if (!invalid.isEmpty()) {
                return invalidTopology("Topic names " + String.join(",", invalid) + " are not valid topic names.");
            }
            for (String topic : required) {
                if (!context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic)) {
                    return CompletableFuture.completedFuture(new StreamsGroupHeartbeatResponseData()
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                }
            }
        }
        boolean mayCreateAny = context.authorized(AclOperation.CREATE, ResourceType.CLUSTER, "kafka-cluster");
        ClientInfo client = ClientInfo.of(header.clientId(), context.clientAddress());
        return coordinator.streamsGroupHeartbeat(request, header.apiVersion(), client,
                topic -> mayCreateAny || context.authorized(AclOperation.CREATE, ResourceType.TOPIC, topic)).thenApply(r -> r);
    }

    private static CompletableFuture<ApiMessage> invalidTopology(String message) {
        return CompletableFuture.completedFuture(new StreamsGroupHeartbeatResponseData()
                .setErrorCode(Errors.STREAMS_INVALID_TOPOLOGY.code()).setErrorMessage(message));
    }
}

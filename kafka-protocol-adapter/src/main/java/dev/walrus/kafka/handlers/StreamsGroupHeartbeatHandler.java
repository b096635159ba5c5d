package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.ClientInfo;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

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
 * <p>Authorizes READ on the group (else GROUP_AUTHORIZATION_FAILED). Internal topics are created only with CREATE on
 * the cluster or on the topic; otherwise the status MISSING_INTERNAL_TOPICS says which were refused.
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
        boolean mayCreateAny = context.authorized(AclOperation.CREATE, ResourceType.CLUSTER, "kafka-cluster");
        ClientInfo client = ClientInfo.of(header.clientId(), context.clientAddress());
        return coordinator.streamsGroupHeartbeat(request, header.apiVersion(), client,
                topic -> mayCreateAny || context.authorized(AclOperation.CREATE, ResourceType.TOPIC, topic)).thenApply(r -> r);
    }
}

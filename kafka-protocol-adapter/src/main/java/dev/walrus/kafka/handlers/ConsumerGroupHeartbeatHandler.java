package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.ClientInfo;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupHeartbeat (API key 68), versions 0-1: the whole consumer group protocol (KIP-848) in one API: join,
 * stay, reconcile towards the server's target assignment, leave.
 *
 * <p>Behaviour: as Apache Kafka 4.x with the {@code uniform} (default) and {@code range} server assignors. Online
 * migration between the classic and the consumer protocol in one live group is not supported: a consumer-protocol
 * member cannot join a classic group that has members (GROUP_ID_NOT_FOUND), nor the other way round
 * (INCONSISTENT_GROUP_PROTOCOL); an empty group of either kind converts. Regular expressions are Java's, which agree
 * with RE2/J on the patterns topic names need.
 *
 * <p>Authorizes READ on the group (else GROUP_AUTHORIZATION_FAILED), then DESCRIBE on every subscribed topic name:
 * one missing fails the whole heartbeat with TOPIC_AUTHORIZATION_FAILED, unprocessed.
 *
 * <p>Version notes: v0 baseline (KIP-848); v1 SubscribedTopicRegex and client-generated member ids (KIP-1082).
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler<ConsumerGroupHeartbeatRequestData> {

    private final GroupCoordinator coordinator;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ConsumerGroupHeartbeatRequestData request, RequestContext context) {
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return refused(Errors.GROUP_AUTHORIZATION_FAILED);
        }
        if (request.subscribedTopicNames() != null && context.authorizer().enabled()) {
            for (String topic : request.subscribedTopicNames()) {
                if (!context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic)) {
                    return refused(Errors.TOPIC_AUTHORIZATION_FAILED);
                }
            }
        }
        // a regex subscription silently leaves out the topics the member may not describe, as Kafka's does
        ClientInfo client = ClientInfo.of(header.clientId(), context.clientAddress(),
                topic -> context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic));
        return coordinator.consumerGroupHeartbeat(request, header.apiVersion(), client).thenApply(r -> r);
    }

    private static CompletableFuture<ApiMessage> refused(Errors error) {
        return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()));
    }
}

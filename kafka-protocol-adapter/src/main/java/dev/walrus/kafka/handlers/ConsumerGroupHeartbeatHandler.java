package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.ClientInfo;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

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
        ClientInfo client = ClientInfo.of(header.clientId(), context.clientAddress());
        return coordinator.consumerGroupHeartbeat(request, header.apiVersion(), client).thenApply(r -> r);
    }
}

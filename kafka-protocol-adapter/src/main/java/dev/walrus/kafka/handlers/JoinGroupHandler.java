package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.ClientInfo;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * JoinGroup (API key 11), versions 0-9: a classic-protocol member joins or rejoins its group.
 *
 * <p>Behaviour: as Apache Kafka 4.x. The response is a future completed when the rebalance ends (every member has
 * rejoined, or the rebalance timeout passed), so a network thread never waits.
 * {@code group.initial.rebalance.delay.ms} defaults to 0 here (Kafka: 3000): a single-node developer broker should
 * not make the first consumer wait three seconds.
 *
 * <p>Authorizes READ on the group first: GROUP_AUTHORIZATION_FAILED with no member id, leader or members.
 *
 * <p>Version notes: v1 rebalance timeout (KIP-62); v2 throttle time; v3 same; v4 MEMBER_ID_REQUIRED round trip
 * (KIP-394); v5 group.instance.id, static membership (KIP-345); v6 flexible; v7 protocol type in the response
 * (KIP-559); v8 join reason (KIP-800); v9 skip assignment for a rejoining static leader (KIP-814).
 */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequestData> {

    private final GroupCoordinator coordinator;

    public JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, JoinGroupRequestData request, RequestContext context) {
        short version = header.apiVersion();
        if (!context.authorized(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            // JoinGroupRequest.getErrorResponse's shape
            return CompletableFuture.completedFuture(new JoinGroupResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .setGenerationId(-1)
                    .setProtocolName(version >= 7 ? null : "")
                    .setLeader("")
                    .setMemberId(""));
        }
        ClientInfo client = ClientInfo.of(header.clientId(), context.clientAddress());
        return coordinator.joinGroup(request, version, client).thenApply(r -> r);
    }
}

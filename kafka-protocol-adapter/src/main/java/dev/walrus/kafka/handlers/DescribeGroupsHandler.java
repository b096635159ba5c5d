package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeGroups (API key 15), versions 0-6: classic groups' state, protocol and members with their assignments.
 *
 * <p>Behaviour: as Apache Kafka 4.x: an unknown group, or a consumer-protocol group (described by
 * ConsumerGroupDescribe), is reported in state Dead; from v6 with GROUP_ID_NOT_FOUND. No ACLs: authorized operations
 * stay at their "not requested" default.
 *
 * <p>Version notes: v1 throttle time; v2 same; v3 authorized operations (KIP-430); v4 group.instance.id (KIP-345);
 * v5 flexible; v6 error message, GROUP_ID_NOT_FOUND (KIP-1043).
 */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequestData> {

    private final GroupCoordinator coordinator;

    public DescribeGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeGroupsRequestData request, RequestContext context) {
        return coordinator.describeGroups(request.groups(), header.apiVersion())
                .thenApply(groups -> new DescribeGroupsResponseData().setGroups(groups));
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupDescribe (API key 69), versions 0-1: consumer-protocol groups with epochs, members, assignments and
 * target assignments.
 *
 * <p>Behaviour: as Apache Kafka 4.x: GROUP_ID_NOT_FOUND for an unknown or classic group (the admin client then falls
 * back to DescribeGroups). No ACLs: authorized operations stay at their default.
 *
 * <p>Version notes: v0 baseline (KIP-848); v1 member type (KIP-1099).
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler<ConsumerGroupDescribeRequestData> {

    private final GroupCoordinator coordinator;

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ConsumerGroupDescribeRequestData request, RequestContext context) {
        return coordinator.consumerGroupDescribe(request.groupIds())
                .thenApply(groups -> new ConsumerGroupDescribeResponseData().setGroups(groups));
    }
}

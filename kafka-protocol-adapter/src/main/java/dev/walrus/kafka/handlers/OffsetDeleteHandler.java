package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * OffsetDelete (API key 47), version 0 (KIP-496): deletes a group's offsets of topics it does not subscribe to.
 *
 * <p>Behaviour: as Apache Kafka 4.x: GROUP_SUBSCRIBED_TO_TOPIC for a topic a member reads, NON_EMPTY_GROUP for a
 * non-consumer classic group with members, GROUP_ID_NOT_FOUND for an unknown group.
 *
 * <p>Version notes: v0 only.
 */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequestData> {

    private final GroupCoordinator coordinator;

    public OffsetDeleteHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, OffsetDeleteRequestData request, RequestContext context) {
        return coordinator.deleteOffsets(request).thenApply(r -> r);
    }
}

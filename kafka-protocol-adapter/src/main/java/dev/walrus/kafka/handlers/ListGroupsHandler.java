package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * ListGroups (API key 16), versions 0-5: every group of this coordinator.
 *
 * <p>Behaviour: as Apache Kafka 4.x; state and type filters match case-insensitively.
 *
 * <p>Version notes: v1 throttle time; v2 same; v3 flexible; v4 states filter and group state (KIP-518); v5 types
 * filter and group type (KIP-848).
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequestData> {

    private final GroupCoordinator coordinator;

    public ListGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ListGroupsRequestData request, RequestContext context) {
        short version = header.apiVersion();
        return coordinator.listGroups(version >= 4 ? request.statesFilter() : null, version >= 5 ? request.typesFilter() : null)
                .thenApply(groups -> new ListGroupsResponseData().setErrorCode(Errors.NONE.code()).setGroups(groups));
    }
}

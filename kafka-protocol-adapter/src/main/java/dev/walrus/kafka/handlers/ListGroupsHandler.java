package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * ListGroups (API key 16), versions 0-5: every group of this coordinator.
 *
 * <p>Behaviour: as Apache Kafka 4.x; state and type filters match case-insensitively.
 *
 * <p>Authorization never fails it: DESCRIBE on the cluster lists every group, otherwise only the groups the client
 * may DESCRIBE are listed, the others silently left out.
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
        boolean everyGroup = context.authorizedOnCluster(AclOperation.DESCRIBE);
        return coordinator.listGroups(version >= 4 ? request.statesFilter() : null, version >= 5 ? request.typesFilter() : null)
                .thenApply(groups -> {
                    if (!everyGroup) {
                        groups.removeIf(g -> !context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId()));
                    }
                    return new ListGroupsResponseData().setErrorCode(Errors.NONE.code()).setGroups(groups);
                });
    }
}

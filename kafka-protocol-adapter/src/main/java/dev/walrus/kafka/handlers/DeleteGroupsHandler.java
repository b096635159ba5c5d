package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteGroups (API key 42), versions 0-3: deletes empty groups with their committed offsets.
 *
 * <p>Behaviour: as Apache Kafka 4.x: NON_EMPTY_GROUP while members remain, GROUP_ID_NOT_FOUND for an unknown group.
 * Answered once the offsets' checkpoints are deleted from the engine.
 *
 * <p>Authorizes DELETE on each (distinct) group: the others are not touched and are listed after the coordinator's
 * results with GROUP_AUTHORIZATION_FAILED and no message.
 *
 * <p>Version notes: v1 same; v2 flexible; v3 per-group error message.
 */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequestData> {

    private final GroupCoordinator coordinator;

    public DeleteGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DeleteGroupsRequestData request, RequestContext context) {
        if (!context.authorizer().enabled()) {
            return coordinator.deleteGroups(request.groupsNames())
                    .thenApply(results -> new DeleteGroupsResponseData().setResults(results));
        }
        List<String> authorized = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (String groupId : new LinkedHashSet<>(request.groupsNames())) {
            (context.authorized(AclOperation.DELETE, ResourceType.GROUP, groupId) ? authorized : refused).add(groupId);
        }
        return coordinator.deleteGroups(authorized).thenApply(results -> {
            for (String groupId : refused) {
                results.add(new DeletableGroupResult().setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
            }
            return new DeleteGroupsResponseData().setResults(results);
        });
    }
}

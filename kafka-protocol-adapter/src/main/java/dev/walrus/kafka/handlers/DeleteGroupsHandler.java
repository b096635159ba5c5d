package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * DeleteGroups (API key 42), versions 0-3: deletes empty groups with their committed offsets.
 *
 * <p>Behaviour: as Apache Kafka 4.x: NON_EMPTY_GROUP while members remain, GROUP_ID_NOT_FOUND for an unknown group.
 * Answered once the offsets' checkpoints are deleted from the engine.
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
        return coordinator.deleteGroups(request.groupsNames())
                .thenApply(results -> new DeleteGroupsResponseData().setResults(results));
    }
}

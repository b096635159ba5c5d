package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import dev.walrus.kafka.metadata.AuthorizedOperations;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeGroups (API key 15), versions 0-6: classic groups' state, protocol and members with their assignments.
 *
 * <p>Behaviour: as Apache Kafka 4.x: an unknown group, or a consumer-protocol group (described by
 * ConsumerGroupDescribe), is reported in state Dead; from v6 with GROUP_ID_NOT_FOUND.
 *
 * <p>Authorizes DESCRIBE on each group: the others come first with GROUP_AUTHORIZATION_FAILED and nothing else, so
 * whether they exist is not revealed. v3+ requests for authorized operations get the GROUP bit field of each group
 * described without error: what the authorizer allows, or every operation a group supports when there is none (as
 * Kafka's broker answers).
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
        short version = header.apiVersion();
        boolean operations = version >= 3 && request.includeAuthorizedOperations();
        if (!context.authorizer().enabled()) {
            return coordinator.describeGroups(request.groups(), version).thenApply(groups -> {
                if (operations) {
                    setAuthorizedOperations(groups, context);
                }
                return new DescribeGroupsResponseData().setGroups(groups);
            });
        }
        DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        List<String> authorized = new ArrayList<>(request.groups().size());
        for (String groupId : request.groups()) {
            if (context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) {
                authorized.add(groupId);
            } else {
                // DescribeGroupsResponse.groupError: empty state, protocol type and protocol, no members
                response.groups().add(new DescribedGroup().setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                        .setGroupState("").setProtocolType("").setProtocolData(""));
            }
        }
        return coordinator.describeGroups(authorized, version).thenApply(groups -> {
            if (operations) {
                setAuthorizedOperations(groups, context);
            }
            response.groups().addAll(groups);
            return response;
        });
    }

    /** The GROUP bit field of each group described without error (every operation when there is no authorizer). */
    private static void setAuthorizedOperations(List<DescribedGroup> groups, RequestContext context) {
        for (DescribedGroup group : groups) {
            if (group.errorCode() == Errors.NONE.code()) {
                group.setAuthorizedOperations(AuthorizedOperations.group(context, group.groupId()));
            }
        }
    }
}

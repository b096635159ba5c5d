package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.StreamsGroupDescribeRequestData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * StreamsGroupDescribe (API key 89), versions 0-1: streams groups (KIP-1071) with epochs, topology, members, their
 * assignments and target assignments.
 *
 * <p>Behaviour: as Apache Kafka 4.4: GROUP_ID_NOT_FOUND for an unknown group or one of another type. Members' task
 * offsets are reported empty (they feed warm-up decisions, which this broker does not make), and no topology
 * description is kept (v1 TopologyDescription stays null, its status 0).
 *
 * <p>Authorizes DESCRIBE on each group (GROUP_AUTHORIZATION_FAILED); with an authorizer, a group whose topology names
 * a topic the client may not describe is replaced by TOPIC_AUTHORIZATION_FAILED, as ConsumerGroupDescribe does.
 *
 * <p>Version notes: v0 baseline (KIP-1071); v1 topology description and assignor name (KIP-1331), not kept.
 */
public final class StreamsGroupDescribeHandler implements ApiHandler<StreamsGroupDescribeRequestData> {

    private final GroupCoordinator coordinator;
    private final AuthorizedGroupDescribe<DescribedGroup> authorization = new AuthorizedGroupDescribe<>(
            DescribedGroup::groupId, DescribedGroup::errorCode, DescribedGroup::setAuthorizedOperations,
            (groupId, error, message) -> new DescribedGroup().setGroupId(groupId).setErrorCode(error.code())
                    .setErrorMessage(message));

    public StreamsGroupDescribeHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.STREAMS_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, StreamsGroupDescribeRequestData request, RequestContext context) {
        return authorization.answer(context, request.groupIds(), request.includeAuthorizedOperations(),
                        coordinator::streamsGroupDescribe, group -> topicsDescribable(group, context))
                .thenApply(groups -> new StreamsGroupDescribeResponseData().setGroups(groups));
    }

    /** Whether every topic the group's topology names may be described. */

    private static boolean topicsDescribable(DescribedGroup group, RequestContext context) {
        if (group.topology() == null || group.topology().subtopologies() == null) {
            return true;
        }
        for (StreamsGroupDescribeResponseData.Subtopology s : group.topology().subtopologies()) {
            List<String> names = new ArrayList<>(s.sourceTopics());
            names.addAll(s.repartitionSinkTopics());
            s.stateChangelogTopics().forEach(t -> names.add(t.name()));
            s.repartitionSourceTopics().forEach(t -> names.add(t.name()));
            for (String name : names) {
                if (!context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, name)) {
                    return false;
                }
            }
        }
        return true;
    }
}

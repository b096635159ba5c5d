package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.Member;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.TopicPartitions;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupDescribe (API key 69), versions 0-1: consumer-protocol groups with epochs, members, assignments and
 * target assignments.
 *
 * <p>Behaviour: as Apache Kafka 4.x: GROUP_ID_NOT_FOUND for an unknown or classic group (the admin client then falls
 * back to DescribeGroups).
 *
 * <p>Authorizes DESCRIBE on each group (the others first, GROUP_AUTHORIZATION_FAILED), then DESCRIBE on every topic
 * in its members' assignments and target assignments: a group naming one the client may not describe is replaced by
 * TOPIC_AUTHORIZATION_FAILED with Kafka's message. Requested authorized operations are the GROUP bit field of each
 * group described without error: what the authorizer allows, or every operation a group supports when there is none
 * (as Kafka's broker answers).
 *
 * <p>Version notes: v0 baseline (KIP-848); v1 member type (KIP-1099).
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler<ConsumerGroupDescribeRequestData> {

    private final GroupCoordinator coordinator;
    private final AuthorizedGroupDescribe<DescribedGroup> authorization = new AuthorizedGroupDescribe<>(
            DescribedGroup::groupId, DescribedGroup::errorCode, DescribedGroup::setAuthorizedOperations,
            (groupId, error, message) -> new DescribedGroup().setGroupId(groupId).setErrorCode(error.code())
                    .setErrorMessage(message));

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ConsumerGroupDescribeRequestData request, RequestContext context) {
        Map<String, Boolean> describable = new HashMap<>();   // each topic checked once per request
        return authorization.answer(context, request.groupIds(), request.includeAuthorizedOperations(),
                        coordinator::consumerGroupDescribe, group -> namesOnlyDescribable(group, describable, context))
                .thenApply(groups -> new ConsumerGroupDescribeResponseData().setGroups(groups));
    }

    /** Whether every topic of the group's members' assignments and target assignments may be described. */
    private static boolean namesOnlyDescribable(DescribedGroup group, Map<String, Boolean> describable,
                                                RequestContext context) {
        for (Member member : group.members()) {
            for (var assignment : List.of(member.assignment(), member.targetAssignment())) {
                for (TopicPartitions tp : assignment.topicPartitions()) {
                    if (!describable.computeIfAbsent(tp.topicName(),
                            name -> context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, name))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}

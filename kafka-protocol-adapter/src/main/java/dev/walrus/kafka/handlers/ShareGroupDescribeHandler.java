package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.share.ShareCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData.DescribedGroup;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * ShareGroupDescribe (API key 77), version 1: share groups (KIP-932) with their epochs, members and assignments.
 *
 * <p>Behaviour: as Apache Kafka 4.4: INVALID_GROUP_ID (no message) for an empty group id, GROUP_ID_NOT_FOUND
 * ("Group g not found." or "Group g is not a share group.") for an unknown group or one of another kind; the assignor
 * is {@code simple}.
 *
 * <p>Authorizes DESCRIBE on each group (the others first, GROUP_AUTHORIZATION_FAILED), then DESCRIBE on every topic of
 * its members' assignments: a group naming one the client may not describe is replaced by TOPIC_AUTHORIZATION_FAILED,
 * as ConsumerGroupDescribe does. Requested authorized operations are the GROUP bit field.
 *
 * <p>Version notes: v0 was the early-access version of Kafka 4.0 (not served); v1 KIP-932 as released.
 */
public final class ShareGroupDescribeHandler implements ApiHandler<ShareGroupDescribeRequestData> {

    private final ShareCoordinator shares;
    private final AuthorizedGroupDescribe<DescribedGroup> authorization = new AuthorizedGroupDescribe<>(
            DescribedGroup::groupId, DescribedGroup::errorCode, DescribedGroup::setAuthorizedOperations,
            (groupId, error, message) -> new DescribedGroup().setGroupId(groupId).setErrorCode(error.code())
                    .setErrorMessage(message));

    public ShareGroupDescribeHandler(ShareCoordinator shares) {
        this.shares = shares;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_GROUP_DESCRIBE;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.SHARE_GROUP_DESCRIBE.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ShareGroupDescribeRequestData request, RequestContext context) {
        Map<String, Boolean> describable = new HashMap<>();   // each topic checked once per request
        return authorization.answer(context, request.groupIds(), request.includeAuthorizedOperations(),
                        shares::describe, group -> namesOnlyDescribable(group, describable, context))
                .thenApply(groups -> new ShareGroupDescribeResponseData().setGroups(groups));
    }

    /** Whether every topic of the group's members' assignments may be described. */
    private static boolean namesOnlyDescribable(DescribedGroup group, Map<String, Boolean> describable,
                                                RequestContext context) {
        for (ShareGroupDescribeResponseData.Member m : group.members()) {
            for (ShareGroupDescribeResponseData.TopicPartitions tp : m.assignment().topicPartitions()) {
                if (!describable.computeIfAbsent(tp.topicName(),
                        name -> context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, name))) {
                    return false;
                }
            }
        }
        return true;
    }
}

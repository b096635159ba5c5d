package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.share.ShareCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import dev.walrus.kafka.metadata.AuthorizedOperations;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData.DescribedGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ShareGroupDescribe (API key 77), version 1: share groups (KIP-932) with their epochs, members and assignments.
 *
 * <p>Behaviour: as Apache Kafka 4.4: GROUP_ID_NOT_FOUND ("Group g not found." or "Group g is not a share group.")
 * for an unknown group or one of another kind; the assignor is {@code simple}.
 *
 * <p>Authorizes DESCRIBE on each group (the others first, GROUP_AUTHORIZATION_FAILED), then DESCRIBE on every topic of
 * its members' assignments: a group naming one the client may not describe is replaced by TOPIC_AUTHORIZATION_FAILED,
 * as ConsumerGroupDescribe does. Requested authorized operations are the GROUP bit field.
 *
 * <p>Version notes: v0 was the early-access version of Kafka 4.0 (not served); v1 KIP-932 as released.
 */
public final class ShareGroupDescribeHandler implements ApiHandler<ShareGroupDescribeRequestData> {

    private final ShareCoordinator shares;

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
        ShareGroupDescribeResponseData response = new ShareGroupDescribeResponseData();
        List<String> authorized = new ArrayList<>(request.groupIds().size());
        for (String groupId : request.groupIds()) {
            if (context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) {
                authorized.add(groupId);
            } else {
                response.groups().add(new DescribedGroup().setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
            }
        }
        return shares.describe(authorized).thenApply(groups -> {
            for (DescribedGroup group : groups) {
                if (request.includeAuthorizedOperations() && group.errorCode() == Errors.NONE.code()) {
                    // without an authorizer every operation a group supports, as Kafka answers
                    group.setAuthorizedOperations(AuthorizedOperations.group(context, group.groupId()));
                }
                response.groups().add(describable(group, context) ? group : new DescribedGroup().setGroupId(group.groupId())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage(ConsumerGroupDescribeHandler.UNDESCRIBABLE_TOPICS));
            }
            return response;
        });
    }

    private static boolean describable(DescribedGroup group, RequestContext context) {
        if (!context.authorizer().enabled()) {
            return true;
        }
        for (ShareGroupDescribeResponseData.Member m : group.members()) {
            for (ShareGroupDescribeResponseData.TopicPartitions tp : m.assignment().topicPartitions()) {
                if (!context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, tp.topicName())) {
                    return false;
                }
            }
        }
        return true;
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.share.ShareCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeShareGroupOffsets (API key 90), versions 0-1: each share partition's start offset and lag (KIP-932),
 * what {@code Admin.listShareGroupOffsets} and {@code kafka-share-groups --describe --offsets} show.
 *
 * <p>Behaviour: the start offset is the share partition's current one; Kafka reports the start offset its share
 * coordinator last persisted, which can trail the acknowledgements until the next write. The lag is as Kafka's:
 * end offset, minus start offset, minus the records past it already acknowledged or archived. A partition the group
 * never read has start offset and lag -1.
 *
 * <p>Authorizes DESCRIBE on each group (GROUP_AUTHORIZATION_FAILED), and leaves out (or, when named, fails with
 * TOPIC_AUTHORIZATION_FAILED) the topics the client may not DESCRIBE.
 *
 * <p>Version notes: v0 KIP-932; v1 lag (KIP-1226).
 */
public final class DescribeShareGroupOffsetsHandler implements ApiHandler<DescribeShareGroupOffsetsRequestData> {

    private final ShareCoordinator shares;

    public DescribeShareGroupOffsetsHandler(ShareCoordinator shares) {
        this.shares = shares;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeShareGroupOffsetsRequestData request,
                                                RequestContext context) {
        List<CompletableFuture<DescribeShareGroupOffsetsResponseGroup>> groups = new ArrayList<>();
        for (var group : request.groups()) {
            if (!context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId())) {
                groups.add(CompletableFuture.completedFuture(new DescribeShareGroupOffsetsResponseGroup()
                        .setGroupId(group.groupId()).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                        .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message())));
                continue;
            }
            groups.add(shares.describeOffsets(group, topic -> context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, topic))
                    .thenApply(result -> {
                        for (var t : result.topics()) {
                            if (!context.authorized(AclOperation.DESCRIBE, ResourceType.TOPIC, t.topicName())) {
                                t.partitions().forEach(p -> p.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                        .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message())
                                        .setStartOffset(-1).setLag(-1));
                            }
                        }
                        return result;
                    }));
        }
        return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(v ->
                new DescribeShareGroupOffsetsResponseData().setGroups(groups.stream().map(CompletableFuture::join).toList()));
    }
}

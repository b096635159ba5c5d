package dev.walrus.kafka.share;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.fetch.FetchParking;
import dev.walrus.kafka.group.ClientInfo;
import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.GroupCoordinator;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import dev.walrus.kafka.quota.ByteRateThrottle;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Share groups (KIP-932) on this node: membership through the group coordinator's thread ({@link ShareGroupProtocol}),
 * delivery through share sessions and share partitions ({@link ShareDelivery}), the offset APIs
 * ({@link ShareOffsets}), state in the share group log. Each public method serves one API; the handlers authorize and
 * translate.
 *
 * <p>Threading: membership and the administrative APIs hop onto the group thread; ShareFetch and ShareAcknowledge
 * run on the network thread (each share partition is its own lock), wait off it (long polls parked in
 * {@link FetchParking}, acknowledgements made durable by the engine's fsync), and complete their futures later.
 */
public final class ShareCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShareCoordinator.class);

    private final GroupCoordinator groups;
    private final ShareGroupProtocol protocol;
    private final SharePartitions partitions;
    private final ShareSessions sessions;
    private final ShareGroupLog log;
    private final ShareDelivery delivery;
    private final ShareOffsets offsets;

    ShareCoordinator(GroupCoordinator groups, ShareGroupProtocol protocol, SharePartitions partitions, ShareSessions sessions,
                     ShareGroupLog log, ShareConfigs configs, Topics topics, PartitionLogs logs, FetchParking parking,
                     ByteRateThrottle throttle, int nodeId) {
        this.groups = groups;
        this.protocol = protocol;
        this.partitions = partitions;
        this.sessions = sessions;
        this.log = log;
        this.delivery = new ShareDelivery(partitions, sessions, log, configs, topics, logs, parking, throttle, nodeId);
        this.offsets = new ShareOffsets(groups, protocol, partitions, log, topics, logs);
    }

    // ---- membership -------------------------------------------------------------------------------------------------

    public CompletableFuture<ShareGroupHeartbeatResponseData> heartbeat(ShareGroupHeartbeatRequestData request, ClientInfo client) {
        return groups.onGroupThread(all -> CompletableFuture.completedFuture(protocol.heartbeat(request, client)));
    }

    public CompletableFuture<List<ShareGroupDescribeResponseData.DescribedGroup>> describe(List<String> groupIds) {
        return groups.onGroupThread(all -> CompletableFuture.completedFuture(groupIds.stream().map(protocol::describe).toList()));
    }

    /** A group DeleteGroups removed: a share group takes its share partition states and sessions with it. */
    void groupDeleted(Group group) {
        if (group instanceof ShareGroup) {
            partitions.delete(k -> k.groupId().equals(group.groupId()), false);
            log.deleteGroup(group.groupId());
            sessions.dropGroup(group.groupId());
            LOG.info("share group {} deleted with its share partition states", group.groupId());
        }
    }

    /** A deleted topic's share partition states go with it. */
    void topicDeleted(TopicInfo topic) {
        partitions.delete(k -> k.topicId().equals(topic.id()), true);
    }

    // ---- delivery (ShareDelivery) -----------------------------------------------------------------------------------

    public CompletableFuture<ShareFetchResponseData> fetch(ShareFetchRequestData request, short version, String clientId,
                                                           RequestContext context) {
        return delivery.fetch(request, version, clientId, context);
    }

    public CompletableFuture<ShareAcknowledgeResponseData> acknowledge(ShareAcknowledgeRequestData request, short version,
                                                                      RequestContext context) {
        return delivery.acknowledge(request, version, context);
    }

    /** A connection closed: its share sessions end, and their members' acquired records are released. */
    public void connectionClosed(long connectionId) {
        delivery.connectionClosed(connectionId);
    }

    // ---- share group offsets (ShareOffsets) -------------------------------------------------------------------------

    public CompletableFuture<DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup> describeOffsets(
            DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup request,
            java.util.function.Predicate<String> describableTopic) {
        return offsets.describeOffsets(request, describableTopic);
    }

    public CompletableFuture<AlterShareGroupOffsetsResponseData> alterOffsets(AlterShareGroupOffsetsRequestData request,
                                                                             java.util.function.Predicate<String> mayRead) {
        return offsets.alterOffsets(request, mayRead);
    }

    public CompletableFuture<DeleteShareGroupOffsetsResponseData> deleteOffsets(DeleteShareGroupOffsetsRequestData request,
                                                                               java.util.function.Predicate<String> mayRead) {
        return offsets.deleteOffsets(request, mayRead);
    }

    // ---- log compaction ---------------------------------------------------------------------------------------------

    /** On the group thread: rewrites the share group log as its live states when it has grown well past them. */
    void compactPeriodically(Map<String, Group> all) {
        int live = partitions.size() + (int) all.values().stream().filter(g -> g instanceof ShareGroup).count();
        if (!log.needsCompaction(live)) {
            return;
        }
        long from = log.endPosition();
        for (Group g : all.values()) {
            if (g instanceof ShareGroup share) {
                log.saveGroup(share);
            }
        }
        int saved = partitions.saveAll();
        log.truncateBefore(from, saved + live - partitions.size());
    }

    @Override
    public void close() {
        partitions.close();
    }
}

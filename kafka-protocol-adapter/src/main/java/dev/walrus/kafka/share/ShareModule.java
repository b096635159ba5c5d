package dev.walrus.kafka.share;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.fetch.FetchParking;
import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.GroupCoordinator;
import dev.walrus.kafka.handlers.AlterShareGroupOffsetsHandler;
import dev.walrus.kafka.handlers.ApiHandler;
import dev.walrus.kafka.handlers.DeleteShareGroupOffsetsHandler;
import dev.walrus.kafka.handlers.DescribeShareGroupOffsetsHandler;
import dev.walrus.kafka.handlers.ShareAcknowledgeHandler;
import dev.walrus.kafka.handlers.ShareFetchHandler;
import dev.walrus.kafka.handlers.ShareGroupDescribeHandler;
import dev.walrus.kafka.handlers.ShareGroupHeartbeatHandler;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.TopicRegistry;
import dev.walrus.kafka.metadata.Topics;
import dev.walrus.kafka.quota.ByteRateThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Share groups (KIP-932, "queues for Kafka"): the share group protocol on the group coordinator's thread, share
 * sessions and share partitions on the data path, and their state in the engine topic {@value ShareGroupLog#TOPIC}.
 *
 * <p>Opening replays that log: the share groups go back into the group coordinator's map (their members get one
 * session timeout to come back), each share partition resumes from its start offset with its acknowledged and
 * archived records; records acquired before the restart are available again.
 */
public final class ShareModule implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShareModule.class);

    private final ShareCoordinator coordinator;
    private final List<ApiHandler<?>> handlers;

    private ShareModule(ShareCoordinator coordinator) {
        this.coordinator = coordinator;
        this.handlers = List.of(
                new ShareGroupHeartbeatHandler(coordinator),
                new ShareGroupDescribeHandler(coordinator),
                new ShareFetchHandler(coordinator),
                new ShareAcknowledgeHandler(coordinator),
                new DescribeShareGroupOffsetsHandler(coordinator),
                new AlterShareGroupOffsetsHandler(coordinator),
                new DeleteShareGroupOffsetsHandler(coordinator));
    }

    public static ShareModule open(Walrus engine, TopicRegistry registry, Topics topics, PartitionLogs logs,
                                   FetchParking parking, GroupCoordinator groups, ByteRateThrottle throttle,
                                   int nodeId) {
        ShareConfigs configs = new ShareConfigs(registry);
        ShareGroupLog log = new ShareGroupLog(engine);
        SharePartitions partitions = new SharePartitions(log, configs, logs, parking,
                new DeadLetterQueue(registry, logs, parking));
        ShareSessions sessions = new ShareSessions(configs::maxShareSessions);
        ShareGroupProtocol[] protocol = new ShareGroupProtocol[1];
        @SuppressWarnings("unchecked")
        Map<String, Group>[] groupMap = new Map[1];
        ShareGroupLog.Replayed replayed = log.replay();
        groups.onGroupThread(all -> {
            groupMap[0] = all;
            protocol[0] = new ShareGroupProtocol(all, groups.groupThread(), configs, log, topics);
            restore(all, replayed, protocol[0]);
            return CompletableFuture.completedFuture(null);
        }).join();
        partitions.restore(replayed.partitions().values(), id -> topics.byId(id).orElse(null));
        ShareCoordinator coordinator = new ShareCoordinator(groups, protocol[0], partitions, sessions, log, configs,
                topics, logs, parking, throttle, nodeId);
        groups.addGroupDeletedListener(coordinator::groupDeleted);
        topics.addListener(coordinator::topicDeleted);
        // on the group thread, which owns the map
        groups.groupThread().every(60_000, () -> coordinator.compactPeriodically(groupMap[0]));
        return new ShareModule(coordinator);
    }

    private static void restore(Map<String, Group> all, ShareGroupLog.Replayed replayed, ShareGroupProtocol protocol) {
        for (ShareGroup g : replayed.groups().values()) {
            Group existing = all.get(g.groupId());
            if (existing != null && !(existing instanceof ShareGroup)) {
                LOG.warn("share group {} is also a {} group; keeping the {} group", g.groupId(), existing.type(), existing.type());
                continue;
            }
            all.put(g.groupId(), g);
            protocol.armRestoredSessions(g);
        }
    }

    public List<ApiHandler<?>> handlers() {
        return handlers;
    }

    /** A connection closed: its share sessions end and their members' records are released. */
    public void connectionClosed(long connectionId) {
        coordinator.connectionClosed(connectionId);
    }

    public ShareCoordinator coordinator() {
        return coordinator;
    }

    @Override
    public void close() {
        coordinator.close();
    }
}

package dev.walrus.kafka.group;

import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.engine.Walrus;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.group.offsets.CommittedOffsets;
import dev.walrus.kafka.group.offsets.OffsetsTopic;
import dev.walrus.kafka.group.offsets.OffsetsTopicGroupLog;
import dev.walrus.kafka.group.store.GroupLog;
import dev.walrus.kafka.group.store.EngineGroupLog;
import dev.walrus.kafka.handlers.ApiHandler;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.handlers.ConsumerGroupDescribeHandler;
import dev.walrus.kafka.handlers.ConsumerGroupHeartbeatHandler;
import dev.walrus.kafka.handlers.DeleteGroupsHandler;
import dev.walrus.kafka.handlers.DescribeGroupsHandler;
import dev.walrus.kafka.handlers.FindCoordinatorHandler;
import dev.walrus.kafka.handlers.HeartbeatHandler;
import dev.walrus.kafka.handlers.JoinGroupHandler;
import dev.walrus.kafka.handlers.LeaveGroupHandler;
import dev.walrus.kafka.handlers.ListGroupsHandler;
import dev.walrus.kafka.handlers.OffsetCommitHandler;
import dev.walrus.kafka.handlers.OffsetDeleteHandler;
import dev.walrus.kafka.handlers.OffsetFetchHandler;
import dev.walrus.kafka.handlers.StreamsGroupDescribeHandler;
import dev.walrus.kafka.handlers.StreamsGroupHeartbeatHandler;
import dev.walrus.kafka.handlers.SyncGroupHandler;
import dev.walrus.kafka.group.streams.InternalTopicCreator;
import dev.walrus.kafka.group.streams.StreamsGroupSettings;
import dev.walrus.kafka.metadata.Topics;

import java.util.List;
import java.util.function.Consumer;

/**
 * Consumer groups: the group coordinator (classic and KIP-848 consumer protocols), committed offsets as engine
 * named-reader checkpoints, and the handlers of the group APIs.
 *
 * <p>Opening replays the group log ({@code __walrus_groups}) and the offset checkpoints of every known topic, so the
 * groups are back as they were before a restart; members that do not come back within their session timeout expire.
 */
public final class GroupModule implements AutoCloseable {

    private final GroupCoordinator coordinator;
    private final List<ApiHandler<?>> handlers;
    private final OffsetsTopic offsetsTopic;
    private final CommittedOffsets offsets;
    private final Topics topics;

    private GroupModule(GroupCoordinator coordinator, List<ApiHandler<?>> handlers, OffsetsTopic offsetsTopic,
                        CommittedOffsets offsets, Topics topics) {
        this.coordinator = coordinator;
        this.handlers = handlers;
        this.offsetsTopic = offsetsTopic;
        this.offsets = offsets;
        this.topics = topics;
    }

    public static GroupModule open(Walrus engine, BrokerSettings settings, Topics topics, BrokerNode node) {
        return open(engine, settings, topics, node, InternalTopicCreator.NONE);
    }

    /** @param internalTopics creates the repartition and changelog topics of streams groups (KIP-1071) */
    public static GroupModule open(Walrus engine, BrokerSettings settings, Topics topics, BrokerNode node,
                                   InternalTopicCreator internalTopics) {
        return open(engine, settings, topics, node, internalTopics, null);
    }

    /**
     * @param offsetsTopic the {@code __consumer_offsets} topic every commit and deletion is recorded in, made on the
     *        first FindCoordinator for a group or the first commit; null for none
     */
    public static GroupModule open(Walrus engine, BrokerSettings settings, Topics topics, BrokerNode node,
                                   InternalTopicCreator internalTopics, OffsetsTopic offsetsTopic) {
        GroupSettings groupSettings = GroupSettings.from(settings);
        CommittedOffsets offsets = CommittedOffsets.open(engine, topics.all());
        if (offsetsTopic != null) {
            offsets.useTopic(offsetsTopic);
        }
        GroupLog groupLog = new EngineGroupLog(engine);
        if (offsetsTopic != null) {
            groupLog = new OffsetsTopicGroupLog(groupLog, offsets); // classic groups recorded as Kafka's GroupMetadata
        }
        GroupCoordinator coordinator = new GroupCoordinator(groupSettings, topics, groupLog, offsets,
                StreamsGroupSettings.from(settings), internalTopics);
        topics.addListener(coordinator::topicDeleted);
        List<ApiHandler<?>> handlers = List.of(
                offsetsTopic == null ? new FindCoordinatorHandler(node)
                        : new FindCoordinatorHandler(node, () -> offsetsTopic.ready().thenApply(t -> null)),
                new JoinGroupHandler(coordinator),
                new SyncGroupHandler(coordinator),
                new HeartbeatHandler(coordinator),
                new LeaveGroupHandler(coordinator),
                new OffsetCommitHandler(coordinator, topics),
                new OffsetFetchHandler(coordinator, topics),
                new OffsetDeleteHandler(coordinator),
                new DescribeGroupsHandler(coordinator),
                new ListGroupsHandler(coordinator),
                new DeleteGroupsHandler(coordinator),
                new ConsumerGroupHeartbeatHandler(coordinator),
                new ConsumerGroupDescribeHandler(coordinator),
                new StreamsGroupHeartbeatHandler(coordinator),
                new StreamsGroupDescribeHandler(coordinator));
        return new GroupModule(coordinator, handlers, offsetsTopic, offsets, topics);
    }

    public List<ApiHandler<?>> handlers() {
        return handlers;
    }

    /**
     * Starts recording commits in {@code __consumer_offsets} (opened with one): its partitions are {@code logs}, and
     * {@code onAppended} hears of each append (the long polls parked on it). When the topic does not exist but the
     * engine keeps offsets (a data directory from before the topic, or the topic deleted), they are written to it now.
     */
    public void startOffsetsTopic(PartitionLogs logs, Consumer<String> onAppended) {
        if (offsetsTopic == null) {
            return;
        }
        boolean missing = topics.byName(OffsetsTopic.NAME).isEmpty();
        offsetsTopic.attach(logs, onAppended);
        if (missing) {
            offsets.recordAll(id -> topics.byId(id).orElse(null));
        }
    }

    public GroupCoordinator coordinator() {
        return coordinator;
    }

    @Override
    public void close() {
        coordinator.close();
    }
}

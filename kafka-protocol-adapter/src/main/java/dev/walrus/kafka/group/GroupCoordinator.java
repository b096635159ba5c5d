package dev.walrus.kafka.group;

import dev.walrus.kafka.FullDisk;
import dev.walrus.kafka.group.classic.ClassicGroup;
import dev.walrus.kafka.group.classic.ClassicGroupProtocol;
import dev.walrus.kafka.group.classic.ClassicGroupState;
import dev.walrus.kafka.group.classic.ClassicMember;
import dev.walrus.kafka.group.consumer.ConsumerGroup;
import dev.walrus.kafka.group.consumer.ConsumerGroupProtocol;
import dev.walrus.kafka.group.offsets.CommittedOffset;
import dev.walrus.kafka.group.offsets.CommittedOffsets;
import dev.walrus.kafka.group.offsets.GroupMetadataRecords;
import dev.walrus.kafka.group.offsets.OffsetAttachment;
import dev.walrus.kafka.group.offsets.PendingTransactionalOffsets;
import dev.walrus.kafka.group.store.GroupLog;
import dev.walrus.kafka.group.streams.InternalTopicCreator;
import dev.walrus.kafka.group.streams.StreamsGroup;
import dev.walrus.kafka.group.streams.StreamsGroupProtocol;
import dev.walrus.kafka.group.streams.StreamsGroupSettings;
import dev.walrus.kafka.group.streams.StreamsOffsetRules;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResultCollection;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartitionCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopicCollection;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The group coordinator of this node: every group, its membership protocol and its committed offsets.
 *
 * <p>Each public method is called from a network thread; it hops onto the {@link GroupThread}, which owns the group
 * objects, and returns a future. Membership rules live in {@link ClassicGroupProtocol} and
 * {@link ConsumerGroupProtocol}; durable offsets in {@link CommittedOffsets}; durable group state in a
 * {@link GroupLog}. This class holds only what spans them: which group an id names, offsets' validation ladder,
 * and the administrative APIs (describe, list, delete), and the offset retention check that removes expired offsets
 * and the empty groups they leave.
 */
public final class GroupCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    /** The OffsetCommit version whose group ladder TxnOffsetCommit follows (both protocols, member epochs). */
    private static final short TRANSACTIONAL_COMMIT_VERSION = 9;

    private final GroupThread thread = new GroupThread();
    /** Every group by id. Group thread only. */
    private final Map<String, Group> groups = new HashMap<>();
    private final GroupConfigOverrides groupConfigs = new GroupConfigOverrides();
    private final GroupSettings settings;
    private final Topics topics;
    private final GroupLog log;
    private final CommittedOffsets offsets;
    private final ClassicGroupProtocol classic;
    private final ConsumerGroupProtocol consumer;
    /** Told of every deleted group (DeleteGroups, offset retention), on the group thread: share groups drop their state. */
    private final List<java.util.function.Consumer<Group>> deletedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final StreamsGroupProtocol streams;
    /** Offsets committed inside open transactions. Group thread only. */
    private final PendingTransactionalOffsets pendingTransactional = new PendingTransactionalOffsets();

    public GroupCoordinator(GroupSettings settings, Topics topics, GroupLog log, CommittedOffsets offsets) {
        this(settings, topics, log, offsets, StreamsGroupSettings.defaults(), InternalTopicCreator.NONE);
    }

    /** With the settings of streams groups (KIP-1071), and what creates their internal topics. */
    public GroupCoordinator(GroupSettings settings, Topics topics, GroupLog log, CommittedOffsets offsets,
                            StreamsGroupSettings streamsSettings, InternalTopicCreator internalTopics) {
        this.settings = settings;
        this.topics = topics;
        this.log = log;
        this.offsets = offsets;
        this.classic = new ClassicGroupProtocol(groups, thread, settings, log);
        this.consumer = new ConsumerGroupProtocol(groups, thread, settings, log, topics,
                new GroupMigration(groups, settings, log, topics, classic), groupConfigs);
        this.streams = new StreamsGroupProtocol(groups, thread, streamsSettings, log, topics, internalTopics, groupConfigs);
        thread.call(() -> {
            restore();
            return CompletableFuture.completedFuture(null);
        }).join();
        thread.schedule(60_000, this::compactPeriodically);
        thread.schedule(settings.offsetRetention().checkIntervalMs(), this::expireOffsetsPeriodically);
    }

    private void restore() {
        groups.putAll(log.replay());
        for (String groupId : offsets.groupIds()) {
            // A group known only by its offsets (assign() consumers, or members long gone) is an empty classic group.
            groups.computeIfAbsent(groupId, ClassicGroup::new);
        }
        for (Group g : groups.values()) {
            if (g instanceof ClassicGroup c) {
                classic.armRestoredSessions(c);
            } else if (g instanceof ConsumerGroup c) {
                consumer.armRestoredSessions(c);
            } else if (g instanceof StreamsGroup s) {
                streams.armRestoredSessions(s);
            }
        }
        LOG.info("group coordinator restored {} groups", groups.size());
    }

    private void compactPeriodically() {
        log.maybeCompact(groups.values().stream().filter(Group::storedInGroupLog).toList());
        thread.schedule(60_000, this::compactPeriodically);
    }

    private void expireOffsetsPeriodically() {
        try {
            expireOffsets(System.currentTimeMillis());
        } finally {
            thread.schedule(settings.offsetRetention().checkIntervalMs(), this::expireOffsetsPeriodically);
        }
    }

    /**
     * Kafka's {@code cleanupGroupMetadata}, every {@code offsets.retention.check.interval.ms}: each group's expired
     * offsets get their tombstones, and a group left empty with none is deleted as DeleteGroups deletes it
     * ({@link OffsetRetentionCheck}). The writes run on the offset writers; nothing here waits for them.
     */
    private void expireOffsets(long nowMs) {
        long started = System.nanoTime();
        long retentionMs = settings.offsetRetention().retentionMs();
        int expiredOffsets = 0;
        int deletedGroups = 0;
        for (Group group : List.copyOf(groups.values())) {
            String groupId = group.groupId();
            if (offsets.hasWritesInFlight(groupId)) {
                continue; // its offsets here may not show a commit under way yet: the next check decides
            }
            OffsetRetentionCheck.Verdict verdict = OffsetRetentionCheck.judge(group, offsets.offsets(groupId),
                    id -> topics.byId(id).map(TopicInfo::name).orElse(null), pendingTransactional, nowMs, retentionMs);
            expiredOffsets += verdict.expiredOffsets().size();
            CompletableFuture<Void> written;
            if (verdict.deleteGroup()) {
                deletedGroups++;
                LOG.debug("group {} expired: empty, with no committed offsets left", groupId);
                written = removeGroup(group); // its offsets' tombstones come with the group's
            } else if (!verdict.expiredOffsets().isEmpty()) {
                List<Map.Entry<TopicInfo, Integer>> partitions = new ArrayList<>();
                for (CommittedOffsets.Key key : verdict.expiredOffsets()) {
                    topics.byId(key.topicId()).ifPresent(t -> partitions.add(Map.entry(t, key.partition())));
                }
                written = offsets.delete(groupId, partitions);
            } else {
                continue;
            }
            written.exceptionally(e -> {
                LOG.warn("expired offsets of group {} not removed", groupId, e);
                return null;
            });
        }
        if (expiredOffsets > 0 || deletedGroups > 0) {
            LOG.info("offset retention: removed {} expired offsets and {} groups in {} ms", expiredOffsets,
                    deletedGroups, (System.nanoTime() - started) / 1_000_000);
        }
    }

    public GroupSettings settings() {
        return settings;
    }

    // ---- other kinds of groups (KIP-932 share groups) ------------------------------------------------------------------

    /**
     * Runs {@code task} on the group thread with the map of every group: share groups live in the same id space as
     * classic and consumer groups, and their protocol runs on the same thread.
     */
    public <T> CompletableFuture<T> onGroupThread(java.util.function.Function<Map<String, Group>, CompletableFuture<T>> task) {
        return thread.call(() -> task.apply(groups));
    }

    /** The thread that owns every group (and runs their timers). */
    public GroupThread groupThread() {
        return thread;
    }

    /** {@code listener} hears of each group removed (DeleteGroups, or the offset retention check), on the group thread. */
    public void addGroupDeletedListener(java.util.function.Consumer<Group> listener) {
        deletedListeners.add(listener);
    }

    // ---- classic protocol ------------------------------------------------------------------------------------------

    // A classic request to a consumer group (KIP-848 migration: a classic member of a consumer group) follows the
    // consumer group's rules; a JoinGroup or SyncGroup to an empty one follows the classic rules (the group converts).

    public CompletableFuture<JoinGroupResponseData> joinGroup(JoinGroupRequestData request, short version, ClientInfo client) {
        return thread.call(() -> {
            Errors invalid = classic.joinRequestError(request);
            if (invalid == null && groups.get(request.groupId()) instanceof ConsumerGroup c && !c.isEmpty()) {
                return CompletableFuture.completedFuture(consumer.classicJoin(c, request, version, client));
            }
            boolean isNew = request.groupId() != null && !groups.containsKey(request.groupId());
            CompletableFuture<JoinGroupResponseData> joined = classic.join(request, version, client);
            if (isNew && groups.get(request.groupId()) instanceof ClassicGroup created) {
                // as Kafka: a group a JoinGroup creates is recorded at once, empty (generation 0, no protocol type)
                offsets.recordGroupMetadata(request.groupId(), GroupMetadataRecords.key(request.groupId()),
                        GroupMetadataRecords.newGroupValue(created.stateTimestampMs()));
            }
            return joined;
        });
    }

    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData request, short version) {
        return thread.call(() -> {
            if (request.groupId() != null && groups.get(request.groupId()) instanceof ConsumerGroup c && !c.isEmpty()) {
                return CompletableFuture.completedFuture(consumer.classicSync(c, request, version));
            }
            return classic.sync(request, version);
        });
    }

    public CompletableFuture<HeartbeatResponseData> heartbeat(HeartbeatRequestData request, short version) {
        return thread.call(() -> CompletableFuture.completedFuture(
                request.groupId() != null && groups.get(request.groupId()) instanceof ConsumerGroup c
                        ? consumer.classicHeartbeat(c, request, version)
                        : classic.heartbeat(request, version)));
    }

    public CompletableFuture<LeaveGroupResponseData> leaveGroup(LeaveGroupRequestData request, short version) {
        return thread.call(() -> CompletableFuture.completedFuture(
                request.groupId() != null && groups.get(request.groupId()) instanceof ConsumerGroup c
                        ? consumer.classicLeave(c, request, version)
                        : classic.leave(request, version)));
    }

    // ---- consumer protocol -----------------------------------------------------------------------------------------

    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(
            ConsumerGroupHeartbeatRequestData request, short version, ClientInfo client) {
        return thread.call(() -> CompletableFuture.completedFuture(consumer.heartbeat(request, version, client)));
    }

    public CompletableFuture<List<ConsumerGroupDescribeResponseData.DescribedGroup>> consumerGroupDescribe(List<String> groupIds) {
        return thread.call(() -> CompletableFuture.completedFuture(groupIds.stream().map(consumer::describe).toList()));
    }

    // ---- streams protocol (KIP-1071) ---------------------------------------------------------------------------------

    public CompletableFuture<StreamsGroupHeartbeatResponseData> streamsGroupHeartbeat(
            StreamsGroupHeartbeatRequestData request, short version, ClientInfo client,
            java.util.function.Predicate<String> mayCreateTopic) {
        return thread.call(() -> CompletableFuture.completedFuture(streams.heartbeat(request, version, client, mayCreateTopic)));
    }

    public CompletableFuture<List<StreamsGroupDescribeResponseData.DescribedGroup>> streamsGroupDescribe(List<String> groupIds) {
        return thread.call(() -> CompletableFuture.completedFuture(groupIds.stream().map(streams::describe).toList()));
    }

    // ---- offsets -----------------------------------------------------------------------------------------------------

    /** OffsetCommit: the group ladder, then the partition ladder, then durable writes; answered once all are durable. */
    public CompletableFuture<OffsetCommitResponseData> commitOffsets(OffsetCommitRequestData request, short version) {
        return thread.call(() -> doCommit(request, version));
    }

    private CompletableFuture<OffsetCommitResponseData> doCommit(OffsetCommitRequestData request, short version) {
        Errors groupError = Errors.NONE;
        String groupId = request.groupId();
        boolean createdSimpleGroup = !groups.containsKey(groupId);
        ConsumerGroupProtocol.CommitCheck partitionCheck = ConsumerGroupProtocol.CommitCheck.ALL;
        if (groupId == null || groupId.isEmpty()) {
            groupError = Errors.INVALID_GROUP_ID;
        } else {
            try {
                partitionCheck = validateCommit(request, version);
            } catch (GroupException e) {
                groupError = e.error();
            }
        }
        createdSimpleGroup &= groupId != null && groups.containsKey(groupId);
        long now = System.currentTimeMillis();
        // v2-v4 may give the offsets a retention time of their own (-1: the broker's), as Kafka still honours
        long expireTimestampMs = request.retentionTimeMs() == OffsetCommitRequest.DEFAULT_RETENTION_TIME
                ? CommittedOffset.NO_EXPIRE_TIMESTAMP : now + request.retentionTimeMs();
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        List<CommittedOffsets.Write> writes = new ArrayList<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : request.topics()) {
            OffsetCommitResponseTopic rt = new OffsetCommitResponseTopic().setName(t.name()).setTopicId(t.topicId());
            response.topics().add(rt);
            TopicInfo topic = version >= 10 ? topics.byId(t.topicId()).orElse(null) : topics.byName(t.name()).orElse(null);
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                Errors error = groupError != Errors.NONE ? groupError
                        : partitionCommitError(topic, p.partitionIndex(), p.committedMetadata(), version >= 10, partitionCheck);
                if (error == Errors.NONE) {
                    writes.add(new CommittedOffsets.Write(topic, p.partitionIndex(),
                            new CommittedOffset(p.committedOffset(), p.committedLeaderEpoch(), p.committedMetadata(), now,
                                    expireTimestampMs)));
                }
                rt.partitions().add(new OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
            }
        }
        if (createdSimpleGroup && writes.isEmpty()) {
            groups.remove(groupId);
        }
        pendingTransactional.plainCommitted(groupId, writes);
        return offsets.commit(groupId, writes).handle((v, e) -> {
            if (e != null) {
                Errors error = Errors.UNKNOWN_SERVER_ERROR;
                if (FullDisk.refused(e)) {
                    error = FullDisk.coordinatorError(); // the engine logged the full disk
                } else {
                    LOG.error("offset commit of group {} failed", groupId, e);
                }
                for (OffsetCommitResponseTopic rt : response.topics()) {
                    for (OffsetCommitResponsePartition rp : rt.partitions()) {
                        if (rp.errorCode() == Errors.NONE.code()) {
                            rp.setErrorCode(error.code());
                        }
                    }
                }
            }
            return response;
        });
    }

    /**
     * The partition ladder of OffsetCommit and TxnOffsetCommit: the topic (by id in the versions that name topics by
     * id), the partition, the metadata's size, then the member's ownership; NONE to accept the offset.
     */
    private Errors partitionCommitError(TopicInfo topic, int partition, String metadata, boolean byId,
                                        ConsumerGroupProtocol.CommitCheck check) {
        if (topic == null) {
            return byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (!topic.hasPartition(partition)) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (metadata != null && (metadata.length() > settings.offsetMetadataMaxBytes() || !OffsetAttachment.fits(metadata))) {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        // a commit of an older member epoch for a partition the member did not own since then
        return check.check(topic.id(), partition);
    }

    /** The group ladder of OffsetCommit; returns the per-partition check that remains (consumer groups only). */
    private ConsumerGroupProtocol.CommitCheck validateCommit(OffsetCommitRequestData request, short version) {
        return validateCommit(request, version, false);
    }

    private ConsumerGroupProtocol.CommitCheck validateCommit(OffsetCommitRequestData request, short version,
                                                             boolean transactional) {
        Group group = groups.get(request.groupId());
        String memberId = request.memberId() == null ? "" : request.memberId();
        int generation = request.generationIdOrMemberEpoch();
        if (group == null) {
            if (generation < 0) {
                // An assign() consumer or the admin client: a "simple" group comes into being with its offsets.
                groups.put(request.groupId(), new ClassicGroup(request.groupId()));
                return ConsumerGroupProtocol.CommitCheck.ALL;
            }
            throw new GroupException(version >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION);
        }
        if (group instanceof ClassicGroup c) {
            ClassicGroupProtocol.validateCommit(c, memberId, request.groupInstanceId(), generation, transactional);
            classic.touchIfMember(c, memberId);
        } else if (group instanceof ConsumerGroup c) {
            return ConsumerGroupProtocol.validateCommit(c, memberId, request.groupInstanceId(), generation, transactional,
                    version);
        } else if (group instanceof StreamsGroup s) {
            var check = StreamsOffsetRules.validateCommit(s, memberId, request.groupInstanceId(), generation,
                    transactional, version);
            return (topicId, partition) -> check.apply(topics.nameOf(topicId), partition);
        } else {
            // as Kafka: a share group has no committed offsets
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Group " + request.groupId() + " is not a consumer group.");
        }
        return ConsumerGroupProtocol.CommitCheck.ALL;
    }

    /** OffsetFetch, one group (the v8+ request carries many; older ones one). */
    public CompletableFuture<OffsetFetchResponseGroup> fetchOffsets(OffsetFetchRequestGroup request, short version) {
        return fetchOffsets(request, version, false);
    }

    /**
     * OffsetFetch; with {@code requireStable} (v7+, KIP-447) a partition with an offset committed inside an open
     * transaction answers UNSTABLE_OFFSET_COMMIT, so that the consumer waits for the transaction to end.
     */
    public CompletableFuture<OffsetFetchResponseGroup> fetchOffsets(OffsetFetchRequestGroup request, short version,
                                                                    boolean requireStable) {
        return thread.call(() -> CompletableFuture.completedFuture(unstableMarked(doFetch(request, version),
                requireStable)));
    }

    private OffsetFetchResponseGroup unstableMarked(OffsetFetchResponseGroup result, boolean requireStable) {
        if (!requireStable || result.errorCode() != Errors.NONE.code()) {
            return result;
        }
        for (OffsetFetchResponseTopics t : result.topics()) {
            Uuid topicId = t.topicId() != null && !Uuid.ZERO_UUID.equals(t.topicId()) ? t.topicId()
                    : topics.byName(t.name()).map(TopicInfo::id).orElse(null);
            for (OffsetFetchResponsePartitions p : t.partitions()) {
                if (topicId != null && p.errorCode() == Errors.NONE.code()
                        && pendingTransactional.isPending(result.groupId(), topicId, p.partitionIndex())) {
                    p.setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code()).setCommittedOffset(-1L)
                            .setCommittedLeaderEpoch(-1).setMetadata("");
                }
            }
        }
        return result;
    }

    private OffsetFetchResponseGroup doFetch(OffsetFetchRequestGroup request, short version) {
        OffsetFetchResponseGroup result = new OffsetFetchResponseGroup().setGroupId(request.groupId());
        String groupId = request.groupId();
        if (groupId == null || groupId.isEmpty()) {
            return result.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        Group group = groups.get(groupId);
        if (group instanceof ConsumerGroup c && (request.memberId() != null || request.memberEpoch() >= 0)) {
            try {
                ConsumerGroupProtocol.validateFetch(c, request.memberId(), request.memberEpoch());
            } catch (GroupException e) {
                return result.setErrorCode(e.error().code());
            }
        }
        if (group instanceof StreamsGroup s && (request.memberId() != null || request.memberEpoch() >= 0)) {
            try {
                StreamsOffsetRules.validateFetch(s, request.memberId(), request.memberEpoch());
            } catch (GroupException e) {
                return result.setErrorCode(e.error().code());
            }
        }
        boolean byId = version >= 10;
        if (request.topics() == null) {
            // Every committed offset of the group, by topic.
            Map<Uuid, List<OffsetFetchResponsePartitions>> byTopic = new TreeMap<>(Comparator.comparing(Uuid::toString));
            offsets.offsets(groupId).forEach((key, value) -> {
                if (topics.byId(key.topicId()).isPresent()) {
                    byTopic.computeIfAbsent(key.topicId(), k -> new ArrayList<>()).add(partition(key.partition(), value));
                }
            });
            byTopic.forEach((id, parts) -> {
                parts.sort(Comparator.comparingInt(OffsetFetchResponsePartitions::partitionIndex));
                TopicInfo t = topics.byId(id).orElseThrow();
                result.topics().add(new OffsetFetchResponseTopics().setName(t.name()).setTopicId(id).setPartitions(parts));
            });
            return result;
        }
        for (OffsetFetchRequestTopics t : request.topics()) {
            TopicInfo topic = byId ? topics.byId(t.topicId()).orElse(null) : topics.byName(t.name()).orElse(null);
            OffsetFetchResponseTopics rt = new OffsetFetchResponseTopics().setName(t.name()).setTopicId(t.topicId());
            for (int p : t.partitionIndexes()) {
                if (topic == null && byId) {
                    rt.partitions().add(partition(p, null).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
                } else {
                    rt.partitions().add(partition(p, topic == null ? null : offsets.offset(groupId, topic.id(), p)));
                }
            }
            result.topics().add(rt);
        }
        return result;
    }

    private static OffsetFetchResponsePartitions partition(int index, CommittedOffset c) {
        return new OffsetFetchResponsePartitions()
                .setPartitionIndex(index)
                .setCommittedOffset(c == null ? -1L : c.offset())
                .setCommittedLeaderEpoch(c == null ? -1 : c.leaderEpoch())
                .setMetadata(c == null ? "" : c.metadata())
                .setErrorCode(Errors.NONE.code());
    }

    /** OffsetDelete: a group's offsets of topics it no longer subscribes to. */
    public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData request) {
        return thread.call(() -> doDeleteOffsets(request));
    }

    private CompletableFuture<OffsetDeleteResponseData> doDeleteOffsets(OffsetDeleteRequestData request) {
        String groupId = request.groupId();
        if (groupId == null || groupId.isEmpty()) {
            return CompletableFuture.completedFuture(new OffsetDeleteResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        Group group = groups.get(groupId);
        if (group == null) {
            return CompletableFuture.completedFuture(new OffsetDeleteResponseData().setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
        }
        if (group instanceof ClassicGroup c && !c.isEmpty() && !"consumer".equals(c.protocolTypeOrNull())) {
            return CompletableFuture.completedFuture(new OffsetDeleteResponseData().setErrorCode(Errors.NON_EMPTY_GROUP.code()));
        }
        OffsetDeleteResponseTopicCollection responseTopics = new OffsetDeleteResponseTopicCollection();
        List<Map.Entry<TopicInfo, Integer>> deletions = new ArrayList<>();
        for (var t : request.topics()) {
            TopicInfo topic = topics.byName(t.name()).orElse(null);
            boolean subscribed = group.isSubscribedTo(t.name());
            OffsetDeleteResponsePartitionCollection parts = new OffsetDeleteResponsePartitionCollection();
            for (var p : t.partitions()) {
                Errors error;
                if (topic == null || !topic.hasPartition(p.partitionIndex())) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                } else if (subscribed) {
                    error = Errors.GROUP_SUBSCRIBED_TO_TOPIC;
                } else {
                    error = Errors.NONE;
                    deletions.add(new AbstractMap.SimpleEntry<>(topic, p.partitionIndex()));
                }
                parts.add(new OffsetDeleteResponsePartition().setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
            }
            responseTopics.add(new OffsetDeleteResponseTopic().setName(t.name()).setPartitions(parts));
        }
        return offsets.delete(groupId, deletions).thenApply(v -> new OffsetDeleteResponseData()
                .setErrorCode(Errors.NONE.code())
                .setTopics(responseTopics));
    }

    // ---- administration ----------------------------------------------------------------------------------------------

    public CompletableFuture<List<DescribedGroup>> describeGroups(List<String> groupIds, short version) {
        return thread.call(() -> CompletableFuture.completedFuture(groupIds.stream().map(id -> describe(id, version)).toList()));
    }

    private DescribedGroup describe(String groupId, short version) {
        Group g = groupId == null ? null : groups.get(groupId);
        if (groupId == null || groupId.isEmpty()) {
            return new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.INVALID_GROUP_ID.code())
                    .setGroupState("Dead").setProtocolType("").setProtocolData("");
        }
        if (!(g instanceof ClassicGroup group)) {
            // Kafka describes only classic groups here; consumer-protocol groups answer ConsumerGroupDescribe.
            DescribedGroup dead = new DescribedGroup().setGroupId(groupId).setGroupState("Dead")
                    .setProtocolType("").setProtocolData("");
            if (version >= 6) {
                dead.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage(g == null
                        ? "Group " + groupId + " not found." : "Group " + groupId + " is not a classic group.");
            }
            return dead;
        }
        boolean stable = group.is(ClassicGroupState.STABLE);
        List<DescribedGroupMember> members = new ArrayList<>();
        for (ClassicMember m : group.members()) {
            byte[] metadata = stable ? m.metadataFor(group.protocolName()) : null;
            members.add(new DescribedGroupMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setClientId(m.clientId())
                    .setClientHost(m.clientHost())
                    .setMemberMetadata(metadata == null ? new byte[0] : metadata)
                    .setMemberAssignment(stable ? m.assignment() : new byte[0]));
        }
        return new DescribedGroup()
                .setGroupId(groupId)
                .setErrorCode(Errors.NONE.code())
                .setGroupState(group.stateName())
                .setProtocolType(group.protocolType())
                .setProtocolData(stable && group.protocolName() != null ? group.protocolName() : "")
                .setMembers(members);
    }

    public CompletableFuture<List<ListedGroup>> listGroups(List<String> statesFilter, List<String> typesFilter) {
        Set<String> states = statesFilter == null ? Set.of()
                : statesFilter.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Set<String> types = typesFilter == null ? Set.of()
                : typesFilter.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return thread.call(() -> {
            List<ListedGroup> listed = new ArrayList<>();
            for (Group g : groups.values()) {
                if (!states.isEmpty() && !states.contains(g.stateName().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                if (!types.isEmpty() && !types.contains(g.type())) {
                    continue;
                }
                listed.add(new ListedGroup()
                        .setGroupId(g.groupId())
                        .setProtocolType(g.protocolType())
                        .setGroupState(g.stateName())
                        .setGroupType(g.type()));
            }
            listed.sort(Comparator.comparing(ListedGroup::groupId));
            return CompletableFuture.completedFuture(listed);
        });
    }

    public CompletableFuture<DeletableGroupResultCollection> deleteGroups(List<String> groupIds) {
        return thread.call(() -> {
            DeletableGroupResultCollection results = new DeletableGroupResultCollection();
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            for (String groupId : groupIds) {
                Errors error = deleteGroup(groupId, pending);
                if (results.find(groupId) == null) {
                    results.add(new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code())
                            .setErrorMessage(error == Errors.NONE ? null : error.message()));
                }
            }
            return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> results);
        });
    }

    private Errors deleteGroup(String groupId, List<CompletableFuture<Void>> pending) {
        if (groupId == null || groupId.isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        Group g = groups.get(groupId);
        if (g == null) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        if (!g.isEmpty()) {
            return Errors.NON_EMPTY_GROUP;
        }
        pending.add(removeGroup(g));
        LOG.info("group {} deleted with its offsets", groupId);
        return Errors.NONE;
    }

    /**
     * Forgets a group and deletes its offsets, as Kafka writes it: the group log's tombstone, each offset's and (a
     * classic group) the GroupMetadata tombstone in {@code __consumer_offsets}; the listeners hear of it. The future
     * completes once the offsets are gone.
     */
    private CompletableFuture<Void> removeGroup(Group g) {
        String groupId = g.groupId();
        groups.remove(groupId);
        log.delete(groupId);
        deletedListeners.forEach(l -> l.accept(g));
        return offsets.deleteGroup(groupId, id -> topics.byId(id).orElse(null), g instanceof ClassicGroup);
    }

    /** A topic is gone: its engine topics took the offsets with them; drop the cached copies. */
    public void topicDeleted(TopicInfo topic) {
        offsets.topicDeleted(topic);
        thread.call(() -> {
            pendingTransactional.topicDeleted(topic.id());
            return CompletableFuture.completedFuture(null);
        });
    }

    // ---- transactional offsets -------------------------------------------------------------------------------------

    /**
     * TxnOffsetCommit: the group ladder of OffsetCommit (a member and generation when given, v3+), then the partition
     * ladder; accepted offsets wait for the transaction's end ({@link #completeTransactionalOffsets}).
     */
    public CompletableFuture<TransactionalCommit> commitTransactionalOffsets(TxnOffsetCommitRequestData request,
                                                                           short version) {
        return thread.call(() -> CompletableFuture.completedFuture(doTransactionalCommit(request, version)));
    }

    /** TxnOffsetCommit's answer, and the offsets it accepted (which the transaction log keeps until the end). */
    public record TransactionalCommit(TxnOffsetCommitResponseData response, List<CommittedOffsets.Write> accepted) {}

    /** A restart found these offsets pending in an open transaction (see {@link #commitTransactionalOffsets}). */
    public CompletableFuture<Void> restoreTransactionalOffsets(String groupId, long producerId,
                                                               List<CommittedOffsets.Write> writes) {
        return thread.call(() -> {
            groups.computeIfAbsent(groupId, ClassicGroup::new);
            writes.forEach(w -> pendingTransactional.add(groupId, producerId, w));
            return CompletableFuture.completedFuture(null);
        });
    }

    private TransactionalCommit doTransactionalCommit(TxnOffsetCommitRequestData request, short version) {
        Errors groupError = Errors.NONE;
        ConsumerGroupProtocol.CommitCheck partitionCheck = ConsumerGroupProtocol.CommitCheck.ALL;
        try {
            partitionCheck = validateCommit(new OffsetCommitRequestData()
                    .setGroupId(request.groupId())
                    .setMemberId(request.memberId())
                    .setGroupInstanceId(request.groupInstanceId())
                    .setGenerationIdOrMemberEpoch(request.generationIdOrMemberEpoch()), TRANSACTIONAL_COMMIT_VERSION, true);
        } catch (GroupException e) {
            // Before v6 Kafka answers a stale member epoch or a missing group in a transaction as a bad generation.
            groupError = version < 6 && (e.error() == Errors.STALE_MEMBER_EPOCH || e.error() == Errors.GROUP_ID_NOT_FOUND)
                    ? Errors.ILLEGAL_GENERATION : e.error();
        }
        long now = System.currentTimeMillis();
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData().setThrottleTimeMs(0);
        List<CommittedOffsets.Write> accepted = new ArrayList<>();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t : request.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic rt = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic()
                    .setName(t.name()).setTopicId(t.topicId());
            response.topics().add(rt);
            TopicInfo topic = version >= 6 ? topics.byId(t.topicId()).orElse(null) : topics.byName(t.name()).orElse(null);
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : t.partitions()) {
                Errors error = groupError != Errors.NONE ? groupError
                        : partitionCommitError(topic, p.partitionIndex(), p.committedMetadata(), version >= 6, partitionCheck);
                if (error == Errors.NONE) {
                    CommittedOffsets.Write write = new CommittedOffsets.Write(topic, p.partitionIndex(),
                            new CommittedOffset(p.committedOffset(), p.committedLeaderEpoch(), p.committedMetadata(), now));
                    pendingTransactional.add(request.groupId(), request.producerId(), write);
                    accepted.add(write);
                }
                rt.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
            }
        }
        return new TransactionalCommit(response, accepted);
    }

    /** The offsets a producer's open transaction committed for a group so far. */
    public CompletableFuture<List<CommittedOffsets.Write>> pendingTransactionalOffsets(String groupId, long producerId) {
        return thread.call(() -> CompletableFuture.completedFuture(pendingTransactional.of(groupId, producerId)));
    }

    /**
     * A producer's transaction ended: on commit {@code writes} (what {@link #pendingTransactionalOffsets} gave, or
     * what a restart found logged with the commit) become the group's committed offsets, durable when the future
     * completes; on abort ({@code writes} null) the pending offsets are dropped.
     */
    public CompletableFuture<Void> completeTransactionalOffsets(String groupId, long producerId,
                                                                List<CommittedOffsets.Write> writes) {
        return thread.call(() -> {
            pendingTransactional.remove(groupId, producerId);
            if (writes == null || writes.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            groups.computeIfAbsent(groupId, ClassicGroup::new);
            return offsets.commit(groupId, writes);
        });
    }

    /** Where each group's config overrides come from: consumer and streams groups read them ({@link GroupConfigOverrides}). */
    public void useGroupConfigs(java.util.function.Function<String, Map<String, String>> source) {
        groupConfigs.use(source);
    }

    @Override
    public void close() {
        thread.close();
        offsets.close();
    }
}

package dev.walrus.kafka.share;

import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.GroupCoordinator;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The share group offset APIs (KIP-932): DescribeShareGroupOffsets, AlterShareGroupOffsets and
 * DeleteShareGroupOffsets, on the group thread (which knows whether a group is a share group and has members).
 */
final class ShareOffsets {

    private final GroupCoordinator groups;
    private final ShareGroupProtocol protocol;
    private final SharePartitions partitions;
    private final ShareGroupLog log;
    private final Topics topics;
    private final PartitionLogs logs;

    ShareOffsets(GroupCoordinator groups, ShareGroupProtocol protocol, SharePartitions partitions, ShareGroupLog log,
                 Topics topics, PartitionLogs logs) {
        this.groups = groups;
        this.protocol = protocol;
        this.partitions = partitions;
        this.log = log;
        this.topics = topics;
        this.logs = logs;
    }

    // ---- share group offsets ----------------------------------------------------------------------------------------

    /**
     * DescribeShareGroupOffsets for one group: each share partition's start offset and lag (end offset minus start
     * offset minus the records past it already done, as Kafka computes it); -1 for partitions the group never read.
     */
    CompletableFuture<DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup> describeOffsets(
            DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup request,
            java.util.function.Predicate<String> describableTopic) {
        String groupId = request.groupId();
        return groups.onGroupThread(all -> {
            DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup result =
                    new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup().setGroupId(groupId);
            if (protocol.isOtherGroup(groupId)) {
                return CompletableFuture.completedFuture(result.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage("Group " + groupId + " is not a share group."));
            }
            Map<Uuid, Map<Integer, SharePartition>> byTopic = new TreeMap<>(Comparator.comparing(Uuid::toString));
            for (SharePartition sp : partitions.ofGroup(groupId)) {
                byTopic.computeIfAbsent(sp.key().topicId(), t -> new TreeMap<>()).put(sp.key().partition(), sp);
            }
            if (request.topics() == null) {
                byTopic.forEach((id, parts) -> topics.byId(id).filter(t -> describableTopic.test(t.name())).ifPresent(t -> {
                    DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic rt = topicResult(t.name(), id);
                    parts.forEach((p, sp) -> rt.partitions().add(partitionResult(t, p, sp)));
                    result.topics().add(rt);
                }));
                return CompletableFuture.completedFuture(result);
            }
            for (DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestTopic t : request.topics()) {
                Optional<TopicInfo> topic = topics.byName(t.topicName());
                DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic rt =
                        topicResult(t.topicName(), topic.map(TopicInfo::id).orElse(Uuid.ZERO_UUID));
                result.topics().add(rt);
                for (int p : t.partitions()) {
                    if (topic.isEmpty() || !topic.get().hasPartition(p)) {
                        rt.partitions().add(new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition()
                                .setPartitionIndex(p).setStartOffset(-1).setLeaderEpoch(-1).setLag(-1)
                                .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                                .setErrorMessage(Errors.UNKNOWN_TOPIC_OR_PARTITION.message()));
                        continue;
                    }
                    rt.partitions().add(partitionResult(topic.get(), p,
                            byTopic.getOrDefault(topic.get().id(), Map.of()).get(p)));
                }
            }
            return CompletableFuture.completedFuture(result);
        });
    }

    private static DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic topicResult(String name, Uuid id) {
        return new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic().setTopicName(name).setTopicId(id);
    }

    private DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition partitionResult(
            TopicInfo topic, int partition, SharePartition sp) {
        var result = new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition()
                .setPartitionIndex(partition);
        if (sp == null) {
            return result.setStartOffset(-1).setLeaderEpoch(-1).setLag(-1);
        }
        long end = logs.get(topic, partition).highWatermark();
        return result.setStartOffset(sp.startOffset()).setLeaderEpoch(0).setLag(sp.lag(end));
    }

    /**
     * AlterShareGroupOffsets: the group must have no members (or not exist yet: it is created empty, as in Kafka);
     * each partition starts again at its offset with nothing in flight. Answered once durable.
     */
    CompletableFuture<AlterShareGroupOffsetsResponseData> alterOffsets(AlterShareGroupOffsetsRequestData request,
                                                                             java.util.function.Predicate<String> mayRead) {
        String groupId = request.groupId();
        return groups.onGroupThread(all -> {
            AlterShareGroupOffsetsResponseData response = new AlterShareGroupOffsetsResponseData().setErrorCode(Errors.NONE.code());
            Errors groupError = protocol.emptyShareGroupOrError(groupId, true);
            if (groupError != Errors.NONE) {
                return CompletableFuture.completedFuture(response.setErrorCode(groupError.code()).setErrorMessage(
                        groupError == Errors.NON_EMPTY_GROUP ? "The group is not empty." : "Group " + groupId + " is not a share group."));
            }
            boolean changed = false;
            for (AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic t : request.topics()) {
                Optional<TopicInfo> topic = topics.byName(t.topicName());
                AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic rt =
                        new AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic()
                                .setTopicName(t.topicName()).setTopicId(topic.map(TopicInfo::id).orElse(Uuid.ZERO_UUID));
                response.responses().add(rt);
                for (AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestPartition p : t.partitions()) {
                    Errors error = Errors.NONE;
                    if (!mayRead.test(t.topicName())) {
                        error = Errors.TOPIC_AUTHORIZATION_FAILED;
                    } else if (topic.isEmpty() || !topic.get().hasPartition(p.partitionIndex())) {
                        error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    } else if (p.startOffset() < 0) {
                        error = Errors.INVALID_REQUEST;
                    } else {
                        partitions.reset(new SharePartitionKey(groupId, topic.get().id(), p.partitionIndex()), p.startOffset());
                        changed = true;
                    }
                    rt.partitions().add(new AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponsePartition()
                            .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code())
                            .setErrorMessage(error == Errors.NONE ? null : error.message()));
                }
            }
            return changed ? log.durable().thenApply(v -> response) : CompletableFuture.completedFuture(response);
        });
    }

    /** DeleteShareGroupOffsets: the group must be an empty share group; each topic's share partitions are forgotten. */
    CompletableFuture<DeleteShareGroupOffsetsResponseData> deleteOffsets(DeleteShareGroupOffsetsRequestData request,
                                                                               java.util.function.Predicate<String> mayRead) {
        String groupId = request.groupId();
        return groups.onGroupThread(all -> {
            DeleteShareGroupOffsetsResponseData response = new DeleteShareGroupOffsetsResponseData().setErrorCode(Errors.NONE.code());
            Errors groupError = protocol.emptyShareGroupOrError(groupId, false);
            if (groupError != Errors.NONE) {
                return CompletableFuture.completedFuture(response.setErrorCode(groupError.code()).setErrorMessage(
                        groupError == Errors.NON_EMPTY_GROUP ? "The group is not empty."
                                : protocol.isOtherGroup(groupId) ? "Group " + groupId + " is not a share group."
                                : "Group " + groupId + " not found."));
            }
            boolean changed = false;
            for (DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic t : request.topics()) {
                Optional<TopicInfo> topic = topics.byName(t.topicName());
                Errors error = Errors.NONE;
                if (!mayRead.test(t.topicName())) {
                    error = Errors.TOPIC_AUTHORIZATION_FAILED;
                } else if (topic.isEmpty()) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                } else {
                    Uuid id = topic.get().id();
                    partitions.delete(k -> k.groupId().equals(groupId) && k.topicId().equals(id), true);
                    changed = true;
                }
                response.responses().add(new DeleteShareGroupOffsetsResponseData.DeleteShareGroupOffsetsResponseTopic()
                        .setTopicName(t.topicName()).setTopicId(topic.map(TopicInfo::id).orElse(Uuid.ZERO_UUID))
                        .setErrorCode(error.code()).setErrorMessage(error == Errors.NONE ? null : error.message()));
            }
            return changed ? log.durable().thenApply(v -> response) : CompletableFuture.completedFuture(response);
        });
    }
}

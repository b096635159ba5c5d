package dev.walrus.kafka.group;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.utils.Utils;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Request builders for group tests, from kafka-clients' generated request data classes. */
public final class GroupRequests {

    private GroupRequests() {}

    /** Subscription metadata of the consumer protocol, as a Java consumer sends it. */
    public static byte[] subscription(String... topics) {
        return Utils.toArray(ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(Arrays.asList(topics))));
    }

    public static byte[] assignment(TopicPartition... partitions) {
        return Utils.toArray(ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(Arrays.asList(partitions))));
    }

    public static List<TopicPartition> decodeAssignment(byte[] bytes) {
        return ConsumerProtocol.deserializeAssignment(java.nio.ByteBuffer.wrap(bytes)).partitions();
    }

    public static JoinGroupRequestData join(String groupId, String memberId, String... protocolNames) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        for (String name : protocolNames.length == 0 ? new String[] {"range"} : protocolNames) {
            protocols.add(new JoinGroupRequestProtocol().setName(name).setMetadata(subscription("orders")));
        }
        return new JoinGroupRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(10_000)
                .setProtocolType("consumer")
                .setProtocols(protocols);
    }

    public static SyncGroupRequestData sync(String groupId, String memberId, int generation, Map<String, byte[]> assignments) {
        List<SyncGroupRequestData.SyncGroupRequestAssignment> list = new ArrayList<>();
        assignments.forEach((member, bytes) -> list.add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                .setMemberId(member).setAssignment(bytes)));
        return new SyncGroupRequestData().setGroupId(groupId).setMemberId(memberId).setGenerationId(generation)
                .setAssignments(list);
    }

    public static HeartbeatRequestData heartbeat(String groupId, String memberId, int generation) {
        return new HeartbeatRequestData().setGroupId(groupId).setMemberId(memberId).setGenerationId(generation);
    }

    public static OffsetCommitRequestData commit(String groupId, String memberId, int generation, String topic, int partition, long offset) {
        return new OffsetCommitRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation)
                .setTopics(new ArrayList<>(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName(topic)
                        .setPartitions(new ArrayList<>(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(partition)
                                .setCommittedOffset(offset)
                                .setCommittedMetadata("")))))));
    }

    /** OffsetFetch v8+ for one group and one topic's partitions (null partitions: every committed offset). */
    public static OffsetFetchRequestData fetch(String groupId, String topic, Integer... partitions) {
        OffsetFetchRequestData.OffsetFetchRequestGroup group = new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(groupId);
        if (topic == null) {
            group.setTopics(null);
        } else {
            group.setTopics(new ArrayList<>(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                    .setName(topic).setPartitionIndexes(new ArrayList<>(Arrays.asList(partitions))))));
        }
        return new OffsetFetchRequestData().setGroups(new ArrayList<>(List.of(group)));
    }

    /** A first ConsumerGroupHeartbeat (epoch 0) of a KIP-848 member subscribing to topics. */
    public static ConsumerGroupHeartbeatRequestData consumerJoin(String groupId, String memberId, String... topics) {
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(new ArrayList<>(Arrays.asList(topics)))
                .setTopicPartitions(new ArrayList<>());
    }

    /** A steady-state heartbeat reporting the partitions the member owns. */
    public static ConsumerGroupHeartbeatRequestData consumerHeartbeat(String groupId, String memberId, int epoch,
                                                                    Map<Uuid, List<Integer>> owned) {
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> list = new ArrayList<>();
        owned.forEach((topic, ps) -> list.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                .setTopicId(topic).setPartitions(new ArrayList<>(ps))));
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setMemberEpoch(epoch)
                .setTopicPartitions(list);
    }
}

package dev.walrus.kafka.group.consumer;

import dev.walrus.kafka.group.GroupException;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The consumer protocol embedded in classic JoinGroup metadata and SyncGroup assignments, read and written on the
 * classic members' behalf when they belong to a consumer group (KIP-848 migration): the coordinator, not a leader,
 * assigns them, so it decodes their subscriptions and encodes their assignments itself.
 */
final class EmbeddedConsumerProtocol {

    private EmbeddedConsumerProtocol() {}

    /** A classic member's subscription, with the partitions it reports owning by topic id (unknown topics dropped). */
    record Subscription(List<String> topics, String rackId, List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned) {}

    static Subscription subscription(byte[] metadata, Topics topics) {
        ConsumerProtocolSubscription s = ConsumerProtocol.deserializeConsumerProtocolSubscription(ByteBuffer.wrap(metadata));
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned = new ArrayList<>();
        if (s.ownedPartitions() != null) {
            for (ConsumerProtocolSubscription.TopicPartition tp : s.ownedPartitions()) {
                Optional<TopicInfo> topic = topics.byName(tp.topic());
                topic.ifPresent(t -> owned.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                        .setTopicId(t.id()).setPartitions(new ArrayList<>(tp.partitions()))));
            }
        }
        String rack = s.rackId() == null || s.rackId().isEmpty() ? null : s.rackId();
        return new Subscription(List.copyOf(s.topics()), rack, owned);
    }

    /** A join's subscription, or INCONSISTENT_GROUP_PROTOCOL when the embedded protocol cannot be read (as Kafka). */
    static Subscription subscriptionOrThrow(byte[] metadata, Topics topics) {
        try {
            return subscription(metadata, topics);
        } catch (RuntimeException e) {
            throw new GroupException(Errors.INCONSISTENT_GROUP_PROTOCOL,
                    "Malformed embedded consumer protocol in subscription deserialization.");
        }
    }

    /**
     * A classic member's last assignment as partitions by topic id (topics gone since are dropped).
     *
     * @throws IllegalArgumentException when the assignment carries user data: a custom client-side assignor's state
     *     that the server assignors would lose
     */
    static Map<Uuid, Set<Integer>> assignment(byte[] bytes, Topics topics) {
        Map<Uuid, Set<Integer>> result = new HashMap<>();
        if (bytes == null || bytes.length == 0) {
            return result;
        }
        ConsumerPartitionAssignor.Assignment a = ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(bytes));
        if (a.userData() != null && a.userData().hasRemaining()) {
            throw new IllegalArgumentException("userData from a custom assignor would be lost");
        }
        for (TopicPartition tp : a.partitions()) {
            topics.byName(tp.topic()).ifPresent(t -> Assignment.add(result, t.id(), tp.partition()));
        }
        return result;
    }

    /** Partitions by topic id as a classic SyncGroup assignment, in the consumer protocol version the member spoke. */
    static byte[] encodeAssignment(Map<Uuid, Set<Integer>> partitions, Topics topics, byte[] memberMetadata) {
        List<TopicPartition> list = new ArrayList<>();
        partitions.forEach((id, ps) -> topics.byId(id).ifPresent(t -> ps.forEach(p -> list.add(new TopicPartition(t.name(), p)))));
        short version = ConsumerProtocol.deserializeVersion(ByteBuffer.wrap(memberMetadata));
        ByteBuffer buffer = ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(list), version);
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}

package dev.walrus.kafka.group.streams;

import org.apache.kafka.common.requests.StreamsGroupHeartbeatResponse;

import java.util.Map;
import java.util.SortedMap;

/**
 * A topology checked against the topics that exist now (Kafka's {@code ConfiguredTopology}): how many tasks each
 * subtopology has, which internal topics are still to be created, and the status that keeps the group from being
 * assigned tasks (null when the topology is ready).
 *
 * @param taskCounts tasks per subtopology id; empty unless every source topic exists with a valid partitioning
 * @param toCreate internal topics that do not exist yet, with the partition count the topology implies
 * @param status MISSING_SOURCE_TOPICS, INCORRECTLY_PARTITIONED_TOPICS, MISSING_INTERNAL_TOPICS or
 *     STREAMS_INVALID_TOPOLOGY's detail; null when ready
 * @param statusDetail the message the status carries
 * @param signature the names and partition counts of every topic the topology needs: when it changes, the
 *     topology is configured again and the group epoch moves
 */
public record ConfiguredTopology(SortedMap<String, Integer> taskCounts,
                                 Map<String, StreamsTopology.InternalTopic> toCreate,
                                 StreamsGroupHeartbeatResponse.Status status,
                                 String statusDetail,
                                 String signature) {

    public boolean isReady() {
        return status == null;
    }
}

package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** PartitionsByUserEndpoint of StreamsGroupHeartbeat (KIP-1071): which endpoint serves which partitions. */
final class EndpointPartitions {

    private EndpointPartitions() {}

    /**
     * Interactive Queries: for every member with an endpoint, the partitions of the source topics (user and
     * repartition) of its active tasks, and of its standby tasks; one entry per member, as Kafka sends it.
     */
    static List<StreamsGroupHeartbeatResponseData.EndpointToPartitions> of(StreamsGroup group, Topics topics) {
        List<StreamsGroupHeartbeatResponseData.EndpointToPartitions> list = new ArrayList<>();
        if (group.topology == null) {
            return list;
        }
        for (StreamsMember m : group.members.values()) {
            if (m.userEndpoint == null) {
                continue;
            }
            list.add(new StreamsGroupHeartbeatResponseData.EndpointToPartitions()
                    .setUserEndpoint(new StreamsGroupHeartbeatResponseData.Endpoint()
                            .setHost(m.userEndpoint.host()).setPort(m.userEndpoint.port()))
                    .setActivePartitions(topicPartitions(group, topics, m.active))
                    .setStandbyPartitions(topicPartitions(group, topics, m.standby)));
        }
        return list;
    }

    private static List<StreamsGroupHeartbeatResponseData.TopicPartition> topicPartitions(StreamsGroup group, Topics topics,
                                                                                        Map<String, Set<Integer>> tasks) {
        Map<String, Set<Integer>> byTopic = new TreeMap<>();
        Tasks.forEach(tasks, (s, p) -> {
            StreamsTopology.Subtopology sub = group.topology.subtopology(s);
            if (sub == null) {
                return;
            }
            for (String topic : sub.allSourceTopics()) {
                int partitions = topics.byName(topic).map(TopicInfo::partitions).orElse(0);
                if (p < partitions) {
                    Tasks.add(byTopic, topic, p);
                }
            }
        });
        List<StreamsGroupHeartbeatResponseData.TopicPartition> list = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : Tasks.sorted(byTopic)) {
            list.add(new StreamsGroupHeartbeatResponseData.TopicPartition().setTopic(e.getKey()).setPartitions(e.getValue()));
        }
        return list;
    }
}

package dev.walrus.kafka.metadata;

import org.apache.kafka.common.Uuid;

import java.util.Map;

/**
 * A topic as the cluster metadata knows it (immutable snapshot; a change produces a new instance).
 *
 * @param name the topic name
 * @param id the topic ID; a re-created topic gets a new one
 * @param partitions the partition count
 * @param configs the topic-level overrides only (what {@code CreateTopics} or {@code AlterConfigs} set)
 */
public record TopicInfo(String name, Uuid id, int partitions, Map<String, String> configs) {

    /** Whether this topic has partition {@code index} (what a request naming it must be answered for). */
    public boolean hasPartition(int index) {
        return index >= 0 && index < partitions;
    }

    /** The engine topic that holds one partition: named from the topic ID, so a re-created topic is a new log. */
    public String engineTopic(int partition) {
        return "p-" + id + "-" + partition;
    }
}

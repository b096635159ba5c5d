package dev.walrus.kafka.metadata;

import org.apache.kafka.common.Uuid;

import java.util.Collection;
import java.util.Optional;

/**
 * The cluster's topics: the contract between the metadata side (which persists and changes them) and the data path
 * (produce, fetch, list offsets), which only reads them.
 *
 * <p>CONTRACT (written before the implementation).
 */
public interface Topics {

    Optional<TopicInfo> byName(String name);

    Optional<TopicInfo> byId(Uuid id);

    /** The name of the topic with this id, null when no topic has it (requests that name topics by id check it). */
    default String nameOf(Uuid id) {
        return byId(id).map(TopicInfo::name).orElse(null);
    }

    Collection<TopicInfo> all();

    /**
     * The topic, created with the broker's defaults if it does not exist and {@code auto.create.topics.enable} is on
     * and the name is legal; empty otherwise.
     */
    Optional<TopicInfo> getOrAutoCreate(String name);

    /** The effective value of a topic config: the topic's override, else the broker's default for it. */
    String effectiveConfig(TopicInfo topic, String key);

    /** Tells the data path when topics are deleted or gain partitions, so it can drop or open partition logs. */
    void addListener(TopicsListener listener);

    interface TopicsListener {
        void topicDeleted(TopicInfo topic);

        default void partitionsAdded(TopicInfo topic, int oldCount) {}

        default void configChanged(TopicInfo topic) {}
    }
}

package dev.walrus.kafka.group;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.Uuid;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain in-memory implementation of the {@link Topics} contract for adapter-level group tests: the metadata
 * module owns the real one. Deleting a topic deletes its partitions' engine topics, as the data path does.
 */
public final class TestTopics implements Topics {

    private final Map<String, TopicInfo> byName = new ConcurrentHashMap<>();
    private final List<TopicsListener> listeners = new CopyOnWriteArrayList<>();

    public TopicInfo create(String name, int partitions) {
        TopicInfo topic = new TopicInfo(name, Uuid.randomUuid(), partitions, Map.of());
        byName.put(name, topic);
        return topic;
    }

    public void delete(String name, Walrus engine) {
        TopicInfo topic = byName.remove(name);
        if (topic == null) {
            return;
        }
        for (int p = 0; p < topic.partitions(); p++) {
            try {
                engine.deleteTopic(topic.engineTopic(p));
            } catch (RuntimeException absent) {
                // never written: nothing to delete
            }
        }
        listeners.forEach(l -> l.topicDeleted(topic));
    }

    /** A fresh listener list, as after a broker restart (the module registers itself again). */
    public void forgetListeners() {
        listeners.clear();
    }

    @Override public Optional<TopicInfo> byName(String name) { return Optional.ofNullable(byName.get(name)); }

    @Override public Optional<TopicInfo> byId(Uuid id) {
        return byName.values().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    @Override public Collection<TopicInfo> all() { return List.copyOf(byName.values()); }

    @Override public Optional<TopicInfo> getOrAutoCreate(String name) { return byName(name); }

    @Override public String effectiveConfig(TopicInfo topic, String key) { return topic.configs().get(key); }

    @Override public void addListener(TopicsListener listener) { listeners.add(listener); }
}

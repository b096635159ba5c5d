package dev.walrus.kafka.testing;

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
 * A test-only {@link Topics}: the data path's tests need topics before the real metadata module lands in main.
 * Not persisted; a restart test hands the same instance to the new adapter. Kafka's defaults for the configs the
 * data path reads.
 */
public final class InMemoryTopics implements Topics {

    private static final Map<String, String> KAFKA_DEFAULTS = Map.of(
            "max.message.bytes", "1048588",
            "message.timestamp.type", "CreateTime",
            "flush.messages", String.valueOf(Long.MAX_VALUE),
            "flush.ms", String.valueOf(Long.MAX_VALUE));

    private final Map<String, TopicInfo> byName = new ConcurrentHashMap<>();
    private final List<TopicsListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean autoCreate = true;
    private volatile int defaultPartitions = 1;

    public InMemoryTopics autoCreate(boolean enabled) {
        this.autoCreate = enabled;
        return this;
    }

    public TopicInfo create(String name, int partitions) {
        return create(name, partitions, Map.of());
    }

    public TopicInfo create(String name, int partitions, Map<String, String> configs) {
        TopicInfo topic = new TopicInfo(name, Uuid.randomUuid(), partitions, Map.copyOf(configs));
        if (byName.putIfAbsent(name, topic) != null) {
            throw new IllegalStateException("topic exists: " + name);
        }
        return topic;
    }

    public void delete(String name) {
        TopicInfo topic = byName.remove(name);
        if (topic != null) {
            listeners.forEach(l -> l.topicDeleted(topic));
        }
    }

    @Override
    public Optional<TopicInfo> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public Optional<TopicInfo> byId(Uuid id) {
        return byName.values().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    @Override
    public Collection<TopicInfo> all() {
        return List.copyOf(byName.values());
    }

    @Override
    public Optional<TopicInfo> getOrAutoCreate(String name) {
        TopicInfo existing = byName.get(name);
        if (existing != null || !autoCreate || name == null || name.isEmpty()) {
            return Optional.ofNullable(existing);
        }
        return Optional.of(byName.computeIfAbsent(name,
                n -> new TopicInfo(n, Uuid.randomUuid(), defaultPartitions, Map.of())));
    }

    @Override
    public String effectiveConfig(TopicInfo topic, String key) {
        String value = topic.configs().get(key);
        return value != null ? value : KAFKA_DEFAULTS.get(key);
    }

    @Override
    public void addListener(TopicsListener listener) {
        listeners.add(listener);
    }
}

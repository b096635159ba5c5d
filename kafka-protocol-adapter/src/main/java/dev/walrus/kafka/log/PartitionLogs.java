package dev.walrus.kafka.log;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every partition log of the broker, keyed by topic ID and partition (a re-created topic is a new log). Logs of
 * existing topics are opened, and rebuilt, when the adapter starts; a new topic's logs open on first use.
 *
 * <p>Threading: thread-safe; opening a log happens at most once per partition.
 */
public final class PartitionLogs implements Topics.TopicsListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionLogs.class);

    private record Key(Uuid topicId, int partition) {}

    private final Walrus engine;
    private final Topics topics;
    private final BrokerSettings settings;
    private final Map<Key, PartitionLog> logs = new ConcurrentHashMap<>();

    public PartitionLogs(Walrus engine, Topics topics, BrokerSettings settings) {
        this.engine = engine;
        this.topics = topics;
        this.settings = settings;
        topics.addListener(this);
    }

    /** Opens every partition of every known topic, rebuilding indexes and producer state. */
    public void openAll() {
        long started = System.nanoTime();
        int count = 0;
        for (TopicInfo topic : topics.all()) {
            for (int p = 0; p < topic.partitions(); p++) {
                get(topic, p);
                count++;
            }
        }
        if (count > 0) {
            log.info("Opened {} partition logs in {} ms", count, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** The log of a partition that exists in the topic (the caller checks the partition index). */
    public PartitionLog get(TopicInfo topic, int partition) {
        return logs.computeIfAbsent(new Key(topic.id(), partition), k -> PartitionLog.open(engine,
                new TopicPartition(topic.name(), partition), topic.engineTopic(partition),
                LogConfig.of(topic, topics, settings)));
    }

    @Override
    public void topicDeleted(TopicInfo topic) {
        for (int p = 0; p < topic.partitions(); p++) {
            logs.remove(new Key(topic.id(), p));
            String engineTopic = topic.engineTopic(p);
            try {
                if (engine.topics().contains(engineTopic)) {
                    engine.deleteTopic(engineTopic);
                }
            } catch (RuntimeException e) {
                log.warn("Could not delete engine topic {} of deleted topic {}: {}", engineTopic, topic.name(), e.toString());
            }
        }
    }

    @Override
    public void configChanged(TopicInfo topic) {
        LogConfig config = LogConfig.of(topic, topics, settings);
        for (int p = 0; p < topic.partitions(); p++) {
            PartitionLog partitionLog = logs.get(new Key(topic.id(), p));
            if (partitionLog != null) {
                partitionLog.updateConfig(config);
            }
        }
    }
}

package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.protocol.Errors;

/**
 * Creates a streams group's internal topics in the topic registry, with the configs Kafka Streams asked for
 * (changelogs compacted, repartition topics with unlimited retention, ...), as CreateTopics would. The creation is
 * made durable in the background; a crash before that loses the topic, and the next heartbeat creates it again.
 */
public final class StreamsInternalTopics {

    private StreamsInternalTopics() {}

    public static InternalTopicCreator creator(TopicRegistry registry) {
        return (name, partitions, configs) -> {
            if (registry.byName(name).isPresent()) {
                return null;
            }
            Outcome<TopicInfo> created = registry.create(name, partitions, configs, false);
            if (created.isOk()) {
                registry.durable();
                return null;
            }
            return created.error() == Errors.TOPIC_ALREADY_EXISTS ? null : created.message();
        };
    }
}

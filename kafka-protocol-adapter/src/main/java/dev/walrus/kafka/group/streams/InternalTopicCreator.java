package dev.walrus.kafka.group.streams;

import java.util.Map;

/**
 * Creates the internal topics of a streams group (KIP-1071: the group coordinator creates missing repartition and
 * changelog topics itself, as Kafka's broker does through its auto-topic-creation manager).
 */
@FunctionalInterface
public interface InternalTopicCreator {

    /** Creates the topic; returns null when it exists afterwards, else the reason it could not be created. */
    String create(String name, int partitions, Map<String, String> configs);

    InternalTopicCreator NONE = (name, partitions, configs) -> "internal topics cannot be created here";
}

package dev.walrus.kafka.fetch;

import org.apache.kafka.common.Uuid;

/**
 * A partition as a fetch names it: by topic ID from Fetch v13 on (name null), by name before (ID zero). A session
 * keeps to one of the two forms, as Kafka's does.
 */
public record FetchPartitionKey(Uuid topicId, String topic, int partition) {

    public static FetchPartitionKey byId(Uuid topicId, int partition) {
        return new FetchPartitionKey(topicId, null, partition);
    }

    public static FetchPartitionKey byName(String topic, int partition) {
        return new FetchPartitionKey(Uuid.ZERO_UUID, topic, partition);
    }

    public boolean usesTopicId() {
        return topic == null;
    }
}

package dev.walrus.kafka.metadata;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.handlers.ApiHandler;

import java.util.List;

/**
 * Cluster metadata: topics, their IDs, partitions and configs, persisted in the engine and replayed at start; and
 * the handlers of the APIs that read or change it (Metadata, CreateTopics, DeleteTopics, CreatePartitions,
 * DescribeTopicPartitions, DescribeCluster, DescribeConfigs).
 *
 * <p>CONTRACT (written before the implementation).
 */
public final class MetadataModule implements AutoCloseable {

    private MetadataModule() {}

    public static MetadataModule open(Walrus engine, BrokerSettings settings, String advertisedHost, int advertisedPort) {
        throw new UnsupportedOperationException("metadata not implemented yet");
    }

    public Topics topics() {
        throw new UnsupportedOperationException();
    }

    public List<ApiHandler<?>> handlers() {
        return List.of();
    }

    @Override
    public void close() {}
}

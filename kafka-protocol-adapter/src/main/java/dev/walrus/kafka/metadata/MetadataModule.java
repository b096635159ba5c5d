package dev.walrus.kafka.metadata;

import java.util.Map;
import dev.walrus.engine.Walrus;
import dev.walrus.kafka.config.BrokerLoggers;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.config.ConfigDescriber;
import dev.walrus.kafka.handlers.AlterConfigsHandler;
import dev.walrus.kafka.handlers.BrokerConfigChange;
import dev.walrus.kafka.handlers.AlterPartitionReassignmentsHandler;
import dev.walrus.kafka.handlers.ApiHandler;
import dev.walrus.kafka.handlers.CreatePartitionsHandler;
import dev.walrus.kafka.handlers.CreateTopicsHandler;
import dev.walrus.kafka.handlers.DeleteTopicsHandler;
import dev.walrus.kafka.handlers.DescribeClusterHandler;
import dev.walrus.kafka.handlers.DescribeQuorumHandler;
import dev.walrus.kafka.handlers.UpdateFeaturesHandler;
import dev.walrus.kafka.handlers.DescribeConfigsHandler;
import dev.walrus.kafka.handlers.DescribeTopicPartitionsHandler;
import dev.walrus.kafka.handlers.ElectLeadersHandler;
import dev.walrus.kafka.handlers.IncrementalAlterConfigsHandler;
import dev.walrus.kafka.handlers.ListPartitionReassignmentsHandler;
import dev.walrus.kafka.handlers.MetadataHandler;

import dev.walrus.kafka.quota.MutationRateQuota;

import java.util.List;

/**
 * Cluster metadata: topics, their IDs, partitions and configs, persisted in the engine and replayed at start; and
 * the handlers of the APIs that read or change it (Metadata, CreateTopics, DeleteTopics, CreatePartitions,
 * DescribeTopicPartitions, DescribeCluster, DescribeConfigs).
 */
public final class MetadataModule implements AutoCloseable {

    private final TopicRegistry registry;
    private final BrokerNode node;
    private final List<ApiHandler<?>> handlers;

    private MetadataModule(TopicRegistry registry, BrokerNode node, BrokerSettings settings, BrokerLoggers loggers) {
        this.registry = registry;
        this.node = node;
        ConfigDescriber describer = new ConfigDescriber(settings);
        BrokerConfigChange brokerChange = new BrokerConfigChange(registry, settings, node.nodeId());
        // one bucket per client for the three APIs, as Kafka's ControllerMutationQuotaManager keeps
        MutationRateQuota mutationQuota = new MutationRateQuota(registry.clientQuotas(),
                intOr(settings, "controller.quota.window.num", MutationRateQuota.DEFAULT_SAMPLES),
                intOr(settings, "controller.quota.window.size.seconds", MutationRateQuota.DEFAULT_SAMPLE_SECONDS));
        this.handlers = List.of(
                new MetadataHandler(registry, node),
                new DescribeClusterHandler(registry, node),
                new CreateTopicsHandler(registry, node, settings, describer, mutationQuota),
                new DeleteTopicsHandler(registry, settings, mutationQuota),
                new CreatePartitionsHandler(registry, node, mutationQuota),
                new DescribeTopicPartitionsHandler(registry, node, settings),
                new DescribeConfigsHandler(registry, node, describer, loggers),
                new IncrementalAlterConfigsHandler(registry, brokerChange, loggers, node.nodeId()),
                new AlterConfigsHandler(registry, brokerChange),
                new ElectLeadersHandler(registry),
                new ListPartitionReassignmentsHandler(),
                new AlterPartitionReassignmentsHandler(registry, node),
                new DescribeQuorumHandler(registry, node),
                new UpdateFeaturesHandler(registry, node.nodeId()));
    }

    /**
     * Replays the metadata stored in the engine (a new data directory gets a new, durable cluster id).
     *
     * @param endpoints where clients of each listener are told to connect, by listener name
     * @param loggers the process's loggers, which DescribeConfigs and IncrementalAlterConfigs show and change
     */
    public static MetadataModule open(Walrus engine, BrokerSettings settings, Map<String, BrokerNode.Endpoint> endpoints,
                                      BrokerLoggers loggers) {
        BrokerNode node = new BrokerNode(settings.nodeId(), endpoints, settings.get("broker.rack"));
        return new MetadataModule(TopicRegistry.open(engine, settings), node, settings, loggers);
    }

    public Topics topics() {
        return registry;
    }

    /** The registry with its change operations (the data path only needs {@link #topics()}). */
    public TopicRegistry registry() {
        return registry;
    }

    public String clusterId() {
        return registry.clusterId();
    }

    public BrokerNode node() {
        return node;
    }

    public List<ApiHandler<?>> handlers() {
        return handlers;
    }

    /** Nothing to release: every change is in the engine, which the broker closes. */
    @Override
    public void close() {}

    /**
     * A Kafka broker config this broker does not define (so describing the broker's configs stays as before), read
     * only if set; Kafka's default otherwise.
     */
    private static int intOr(BrokerSettings settings, String key, int kafkaDefault) {
        String value = settings.get(key);
        return value == null ? kafkaDefault : Integer.parseInt(value.trim());
    }
}

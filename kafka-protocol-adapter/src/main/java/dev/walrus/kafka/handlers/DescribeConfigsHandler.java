package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.config.BrokerLoggers;
import dev.walrus.kafka.config.ConfigDescriber;
import dev.walrus.kafka.config.DescribedConfig;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeConfigs (API key 32), versions 1-4: the configs of topics and of this broker with their values, sources,
 * types, and on request synonyms and documentation. Admin tools and {@code kafka-topics --describe} call it.
 *
 * <p>Behaviour: a topic's values are its overrides, else the broker's dynamic and static configs, else Kafka's
 * defaults. The broker resource named by this node's id lists every broker key this broker understands (Kafka lists
 * every key it has) and any other key set; the empty name lists the cluster-wide dynamic defaults that are set. The
 * keys this broker changes at runtime are reported writable. Any group name lists the consumer- and streams-group configs with the broker's
 * values (Kafka also lists share-group keys; share groups are not served). Unknown requested keys are left out, as
 * Kafka does. A client-metrics name lists its subscription's configs. The broker-logger resource named by this
 * node's id lists the process's loggers with their levels (KIP-412; Kafka lists log4j's, root included).
 *
 * <p>Authorization (with an authorizer): DESCRIBE_CONFIGS on each topic or group, on the cluster for a broker, its loggers or
 * client metrics (Kafka's error for the type, before any lookup).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v1: oldest the message classes define; synonyms and config source (KIP-226). v2: no change.
 *   <li>v3: config type and documentation (KIP-569). v4: flexible versions.
 * </ul>
 */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequestData> {

    private final TopicRegistry registry;
    private final BrokerNode node;
    private final ConfigDescriber describer;
    private final BrokerLoggers loggers;

    public DescribeConfigsHandler(TopicRegistry registry, BrokerNode node, ConfigDescriber describer,
                                  BrokerLoggers loggers) {
        this.registry = registry;
        this.node = node;
        this.describer = describer;
        this.loggers = loggers;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeConfigsRequestData request, RequestContext context) {
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        boolean documentation = header.apiVersion() >= 3 && request.includeDocumentation();
        for (DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName())
                    .setErrorCode(Errors.NONE.code())
                    .setErrorMessage("");
            response.results().add(result);
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            Errors denied = ConfigPermissions.describeDenial(context, resource.resourceType(), resource.resourceName());
            if (denied != Errors.NONE) {
                fail(result, denied, denied.message());   // before any validation, as Kafka
                continue;
            }
            switch (type) {
                case TOPIC -> describeTopic(resource, request.includeSynonyms(), documentation, result);
                case BROKER -> describeBroker(resource, request.includeSynonyms(), documentation, result);
                case GROUP -> describeGroup(resource, request.includeSynonyms(), documentation, result);
                case CLIENT_METRICS -> describeClientMetrics(resource, request.includeSynonyms(), documentation, result);
                case BROKER_LOGGER -> describeLoggers(resource, result);
                default -> fail(result, Errors.INVALID_REQUEST, "Unsupported resource type: " + type);
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private void describeTopic(DescribeConfigsResource resource, boolean synonyms, boolean documentation, DescribeConfigsResult result) {
        String name = resource.resourceName();
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            fail(result, Errors.INVALID_TOPIC_EXCEPTION, e.getMessage());
            return;
        }
        Optional<TopicInfo> topic = registry.byName(name);
        if (topic.isEmpty()) {
            fail(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, "");
            return;
        }
        add(result, describer.describeTopic(topic.get().configs(), resource.configurationKeys(), synonyms, documentation));
    }

    private void describeBroker(DescribeConfigsResource resource, boolean synonyms, boolean documentation, DescribeConfigsResult result) {
        String name = resource.resourceName();
        if (name.isEmpty()) {
            add(result, describer.describeClusterDefaults(resource.configurationKeys(), synonyms, documentation));
            return;
        }
        String problem = brokerIdProblem(name, node.nodeId() + " or empty string,");
        if (problem != null) {
            fail(result, Errors.INVALID_REQUEST, problem);
            return;
        }
        add(result, describer.describeBroker(resource.configurationKeys(), synonyms, documentation));
    }

    /**
     * Kafka's check of a BROKER or BROKER_LOGGER resource's name: this node's id; null when it is, else the message.
     * {@code expected} is how the message names what was expected.
     */
    private String brokerIdProblem(String name, String expected) {
        int brokerId;
        try {
            brokerId = Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return "Broker id must be an integer, but it is: " + name;
        }
        return brokerId == node.nodeId() ? null : "Unexpected broker id, expected " + expected + " but received " + name;
    }

    /**
     * This broker's loggers (KIP-412), named by its node id: each logger with the level it logs at, from the
     * running process, as Kafka lists them (dynamic broker-logger source, no type, synonyms or documentation).
     */
    private void describeLoggers(DescribeConfigsResource resource, DescribeConfigsResult result) {
        String name = resource.resourceName();
        if (name == null || name.isEmpty()) {
            fail(result, Errors.INVALID_REQUEST, "Broker id must not be empty");
            return;
        }
        String problem = brokerIdProblem(name, Integer.toString(node.nodeId()));
        if (problem != null) {
            fail(result, Errors.INVALID_REQUEST, problem);
            return;
        }
        List<String> keys = resource.configurationKeys();
        loggers.levels().forEach((logger, level) -> {
            if (keys == null || keys.isEmpty() || keys.contains(logger)) {
                result.configs().add(new DescribeConfigsResourceResult()
                        .setName(logger)
                        .setValue(level)
                        .setConfigSource(DescribeConfigsResponse.ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG.id())
                        .setIsSensitive(false)
                        .setReadOnly(false));
            }
        });
    }

    /** A client-metrics resource (KIP-714): its configs, else the defaults, as Kafka describes any name. */
    private void describeClientMetrics(DescribeConfigsResource resource, boolean synonyms, boolean documentation,
                                       DescribeConfigsResult result) {
        if (resource.resourceName() == null || resource.resourceName().isEmpty()) {
            fail(result, Errors.INVALID_REQUEST, "Client metrics subscription name must not be empty");
            return;
        }
        add(result, describer.describeClientMetrics(registry.clientMetricsConfigs(resource.resourceName()),
                resource.configurationKeys(), synonyms, documentation));
    }

    private void describeGroup(DescribeConfigsResource resource, boolean synonyms, boolean documentation, DescribeConfigsResult result) {
        if (resource.resourceName().isEmpty()) {
            fail(result, Errors.INVALID_REQUEST, "Group name must not be empty");
            return;
        }
        add(result, describer.describeGroup(registry.groupConfigs(resource.resourceName()), resource.configurationKeys(),
                synonyms, documentation));
    }

    private static void add(DescribeConfigsResult result, List<DescribedConfig> configs) {
        for (DescribedConfig config : configs) {
            DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult()
                    .setName(config.name())
                    .setValue(config.value())
                    .setReadOnly(config.readOnly())
                    .setConfigSource(config.source().id())
                    .setIsSensitive(config.sensitive())
                    .setConfigType(config.type().id())
                    .setDocumentation(config.documentation());
            for (DescribedConfig.Synonym synonym : config.synonyms()) {
                entry.synonyms().add(new DescribeConfigsSynonym()
                        .setName(synonym.name()).setValue(synonym.value()).setSource(synonym.source().id()));
            }
            result.configs().add(entry);
        }
    }

    private static void fail(DescribeConfigsResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }
}

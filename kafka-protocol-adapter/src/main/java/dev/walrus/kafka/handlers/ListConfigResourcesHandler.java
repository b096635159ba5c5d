package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.ListConfigResourcesRequestData;
import org.apache.kafka.common.message.ListConfigResourcesResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * ListConfigResources (API key 74), versions 0-1 (v0 was ListClientMetricsResources): the resources that have configs,
 * by type ({@code Admin.listConfigResources}; {@code kafka-configs --describe --entity-type groups} and
 * {@code kafka-client-metrics --list} use it). As Kafka lists them: groups with group configs, client-metrics
 * resources (KIP-714 subscriptions with configs), this broker as a broker and as a broker logger, and every topic. No types asked for means every type the version knows; a type it does not know is
 * UNSUPPORTED_VERSION.
 *
 * <p>Authorization (with an authorizer): DESCRIBE_CONFIGS on the cluster (else CLUSTER_AUTHORIZATION_FAILED).
 *
 * <p>Version notes: v0 client metrics only (KIP-714); v1 every config resource type (KIP-1142).
 */
public final class ListConfigResourcesHandler implements ApiHandler<ListConfigResourcesRequestData> {

    private static final Set<Byte> V0_TYPES = Set.of(ConfigResource.Type.CLIENT_METRICS.id());
    private static final Set<Byte> V1_TYPES = Set.of(ConfigResource.Type.TOPIC.id(), ConfigResource.Type.BROKER.id(),
            ConfigResource.Type.BROKER_LOGGER.id(), ConfigResource.Type.CLIENT_METRICS.id(),
            ConfigResource.Type.GROUP.id());

    private final Topics topics;
    private final int nodeId;
    private final Supplier<Collection<String>> groupsWithConfigs;
    private final Supplier<Collection<String>> clientMetricsResources;

    /**
     * @param groupsWithConfigs the ids of the groups that have group configs set
     * @param clientMetricsResources the names of the client-metrics resources
     */
    public ListConfigResourcesHandler(Topics topics, int nodeId, Supplier<Collection<String>> groupsWithConfigs,
                                      Supplier<Collection<String>> clientMetricsResources) {
        this.topics = topics;
        this.nodeId = nodeId;
        this.groupsWithConfigs = groupsWithConfigs;
        this.clientMetricsResources = clientMetricsResources;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_CONFIG_RESOURCES;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ListConfigResourcesRequestData request,
                                                RequestContext context) {
        context.requireOnCluster(AclOperation.DESCRIBE_CONFIGS, header);
        Set<Byte> supported = header.apiVersion() == 0 ? V0_TYPES : V1_TYPES;
        Collection<Byte> types = request.resourceTypes().isEmpty() ? supported : request.resourceTypes();
        ListConfigResourcesResponseData response = new ListConfigResourcesResponseData().setThrottleTimeMs(0);
        if (!supported.containsAll(types)) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.UNSUPPORTED_VERSION.code()));
        }
        List<ListConfigResourcesResponseData.ConfigResource> listed = new ArrayList<>();
        // Kafka's order: groups, client metrics, broker loggers, brokers, topics
        if (types.contains(ConfigResource.Type.GROUP.id())) {
            groupsWithConfigs.get().forEach(id -> listed.add(resource(id, ConfigResource.Type.GROUP)));
        }
        if (types.contains(ConfigResource.Type.CLIENT_METRICS.id())) {
            clientMetricsResources.get().forEach(name -> listed.add(resource(name, ConfigResource.Type.CLIENT_METRICS)));
        }
        if (types.contains(ConfigResource.Type.BROKER_LOGGER.id())) {
            listed.add(resource(Integer.toString(nodeId), ConfigResource.Type.BROKER_LOGGER));
        }
        if (types.contains(ConfigResource.Type.BROKER.id())) {
            listed.add(resource(Integer.toString(nodeId), ConfigResource.Type.BROKER));
        }
        if (types.contains(ConfigResource.Type.TOPIC.id())) {
            for (TopicInfo topic : topics.all()) {
                listed.add(resource(topic.name(), ConfigResource.Type.TOPIC));
            }
        }
        return CompletableFuture.completedFuture(response.setErrorCode(Errors.NONE.code()).setConfigResources(listed));
    }

    private static ListConfigResourcesResponseData.ConfigResource resource(String name, ConfigResource.Type type) {
        return new ListConfigResourcesResponseData.ConfigResource().setResourceName(name).setResourceType(type.id());
    }
}

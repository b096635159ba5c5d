package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * AlterConfigs (API key 33), versions 0-2: the older, non-incremental form: the given configs replace all of a
 * topic's overrides (kafka-python's {@code alter_configs}, Java clients before 4.0); validate-only checks.
 *
 * <p>Validation ladder per topic: a config named twice (INVALID_REQUEST), unknown topic
 * (UNKNOWN_TOPIC_OR_PARTITION), a missing value, an unknown name or a value the config does not accept
 * (INVALID_CONFIG, with Kafka's messages).
 *
 * <p>Behaviour: as {@link IncrementalAlterConfigsHandler}: durable before the response; on a broker resource the
 * given configs become its whole set of dynamic configs (see {@link BrokerConfigChange}); other resource types
 * refused with INVALID_REQUEST (a broker logger as an unknown type, as Kafka: KIP-412 levels change only through
 * IncrementalAlterConfigs).
 *
 * <p>Authorization (with an authorizer): ALTER_CONFIGS on each topic or group, on the cluster for a broker; as in
 * Kafka, only once the request-level checks passed ({@link ConfigAlterChecks}).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version. v1: quota violations throttled after the response (never here). v2: flexible versions.
 * </ul>
 */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequestData> {

    private final TopicRegistry registry;
    private final BrokerConfigChange brokerChange;

    public AlterConfigsHandler(TopicRegistry registry, BrokerConfigChange brokerChange) {
        this.registry = registry;
        this.brokerChange = brokerChange;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, AlterConfigsRequestData request, RequestContext context) {
        AlterConfigsResponseData response = new AlterConfigsResponseData().setThrottleTimeMs(0);
        Set<String> repeated = ConfigAlterChecks.repeated(request.resources().stream()
                .map(r -> ConfigAlterChecks.key(r.resourceType(), r.resourceName())).toList());
        boolean changed = false;
        for (AlterConfigsResource resource : request.resources()) {
            Outcome<?> outcome = ConfigAlterChecks.ladder(
                    repeated.contains(ConfigAlterChecks.key(resource.resourceType(), resource.resourceName())),
                    () -> preprocess(resource),
                    () -> ConfigPermissions.alterDenial(context, resource.resourceType(), resource.resourceName()),
                    () -> replace(resource, request.validateOnly()));
            response.responses().add(new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName())
                    .setErrorCode(outcome.error().code())
                    .setErrorMessage(outcome.message()));
            changed |= outcome.isOk() && !request.validateOnly();
        }
        if (changed) {
            return registry.durable().thenApply(done -> response);
        }
        return CompletableFuture.completedFuture(response);
    }

    /**
     * Kafka's checks before authorization (see {@link ConfigAlterChecks}); the legacy API knows no broker loggers, so
     * one is an unknown resource type here.
     */
    private Outcome<Void> preprocess(AlterConfigsResource resource) {
        List<String> names = resource.configs().stream().map(AlterableConfig::name).toList();
        return ConfigAlterChecks.preprocess(resource.resourceType(), names,
                resource.configs().stream().filter(c -> c.value() == null).map(AlterableConfig::name).toList(),
                PASSED_TYPES, () -> replaceBrokerConfigs(resource, true));
    }

    private static final Set<ConfigResource.Type> PASSED_TYPES = EnumSet.of(ConfigResource.Type.TOPIC,
            ConfigResource.Type.GROUP, ConfigResource.Type.CLIENT_METRICS);

    private Outcome<Void> replaceBrokerConfigs(AlterConfigsResource resource, boolean validateOnly) {
        Map<String, String> configs = new HashMap<>();
        resource.configs().forEach(c -> configs.put(c.name(), c.value()));
        return brokerChange.replaceAll(resource.resourceName(), configs,
                resource.configs().stream().map(AlterableConfig::name).toList(), validateOnly);
    }

    private Outcome<?> replace(AlterConfigsResource resource, boolean validateOnly) {
        if (resource.resourceType() == ConfigResource.Type.BROKER.id()) {
            return replaceBrokerConfigs(resource, validateOnly);
        }
        if (resource.resourceType() == ConfigResource.Type.CLIENT_METRICS.id()) {
            Map<String, String> configs = new HashMap<>();
            resource.configs().forEach(c -> configs.put(c.name(), c.value()));
            return ClientMetricsConfigChange.replace(registry, resource.resourceName(), configs, validateOnly);
        }
        Outcome<TopicInfo> target = TopicConfigTarget.resolve(resource.resourceType(), resource.resourceName(), registry);
        if (!target.isOk()) {
            return target;
        }
        Map<String, String> configs = new HashMap<>();
        for (AlterableConfig config : resource.configs()) {
            configs.put(config.name(), config.value());
        }
        return registry.replaceConfigs(resource.resourceName(), configs, validateOnly);
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.config.BrokerLoggers;
import dev.walrus.kafka.config.TopicConfigs;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * IncrementalAlterConfigs (API key 44), versions 0-1: sets, deletes, appends to and subtracts from topic config
 * overrides ({@code kafka-configs --alter}, {@code Admin.incrementalAlterConfigs}); validate-only checks.
 *
 * <p>Validation ladder per topic, as Kafka's: a config named twice (INVALID_REQUEST), unknown topic
 * (UNKNOWN_TOPIC_OR_PARTITION), SET without a value (INVALID_REQUEST), an unknown config name, APPEND or SUBTRACT on a
 * config that is not a list, a value the config does not accept (INVALID_CONFIG, with Kafka's messages). APPEND and
 * SUBTRACT work on the config's effective value (the broker's default when the topic has no override), so appending
 * {@code compact} to a default {@code cleanup.policy} gives {@code delete,compact}. Deleting an override that is not
 * set is no error.
 *
 * <p>Behaviour: the response is sent once the change is durable; the data path applies it at once (retention, flush,
 * message size and timestamp checks). Broker resources change the dynamic broker configs, this broker's own or the
 * cluster-wide defaults, with Kafka's rules (see {@link BrokerConfigChange}). A broker-logger resource sets or removes
 * loggers' levels in the running process, at once and not stored (KIP-412, see {@link BrokerLoggerChange}). Group
 * and client-metrics resources change those configs.
 *
 * <p>Authorization (with an authorizer): ALTER_CONFIGS on each topic or group, on the cluster for a broker or a
 * broker logger; as in Kafka, only once the request-level checks passed ({@link ConfigAlterChecks}: a resource or config named twice, a
 * missing value, an unknown resource type, a broker change that would not validate answer INVALID_REQUEST first).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-339). v1: flexible versions.
 * </ul>
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequestData> {

    private final TopicRegistry registry;
    private final BrokerConfigChange brokerChange;
    private final BrokerLoggerChange loggerChange;

    public IncrementalAlterConfigsHandler(TopicRegistry registry, BrokerConfigChange brokerChange,
                                          BrokerLoggers loggers, int nodeId) {
        this.registry = registry;
        this.brokerChange = brokerChange;
        this.loggerChange = new BrokerLoggerChange(loggers, nodeId);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, IncrementalAlterConfigsRequestData request,
                                                RequestContext context) {
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData().setThrottleTimeMs(0);
        Set<String> repeated = ConfigAlterChecks.repeated(request.resources().stream()
                .map(r -> ConfigAlterChecks.key(r.resourceType(), r.resourceName())).toList());
        boolean changed = false;
        for (AlterConfigsResource resource : request.resources()) {
            Outcome<?> outcome = ConfigAlterChecks.ladder(
                    repeated.contains(ConfigAlterChecks.key(resource.resourceType(), resource.resourceName())),
                    () -> preprocess(resource),
                    () -> ConfigPermissions.alterDenial(context, resource.resourceType(), resource.resourceName()),
                    () -> alter(resource, request.validateOnly()));
            response.responses().add(new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName())
                    .setErrorCode(outcome.error().code())
                    .setErrorMessage(outcome.message()));
            // A log level is not stored (KIP-412): nothing to wait for.
            changed |= outcome.isOk() && !request.validateOnly()
                    && resource.resourceType() != ConfigResource.Type.BROKER_LOGGER.id();
        }
        if (changed) {
            return registry.durable().thenApply(done -> response);
        }
        return CompletableFuture.completedFuture(response);
    }

    /** Kafka's checks before authorization (see {@link ConfigAlterChecks}). */
    private Outcome<Void> preprocess(AlterConfigsResource resource) {
        return ConfigAlterChecks.preprocess(resource.resourceType(),
                resource.configs().stream().map(AlterableConfig::name).toList(),
                resource.configs().stream().filter(c -> ConfigOperation.of(c.configOperation()) != ConfigOperation.DELETE
                        && c.value() == null).map(AlterableConfig::name).toList(),
                PASSED_TYPES, () -> brokerChange.alter(resource.resourceName(), brokerOps(resource), true));
    }

    /** The types Kafka's preprocessing hands on (a broker logger is handled, after authorizing, within it). */
    private static final Set<ConfigResource.Type> PASSED_TYPES = EnumSet.of(ConfigResource.Type.TOPIC,
            ConfigResource.Type.GROUP, ConfigResource.Type.CLIENT_METRICS, ConfigResource.Type.BROKER_LOGGER);

    private static List<BrokerConfigChange.Op> brokerOps(AlterConfigsResource resource) {
        return resource.configs().stream()
                .map(c -> new BrokerConfigChange.Op(c.name(), c.configOperation(), c.value()))
                .toList();
    }

    private Outcome<?> alter(AlterConfigsResource resource, boolean validateOnly) {
        if (resource.resourceType() == ConfigResource.Type.BROKER_LOGGER.id()) {
            return loggerChange.alter(resource.resourceName(), resource.configs().stream()
                    .map(c -> new BrokerLoggerChange.Op(c.name(), c.configOperation(), c.value())).toList(), validateOnly);
        }
        if (resource.resourceType() == ConfigResource.Type.BROKER.id()) {
            return brokerChange.alter(resource.resourceName(), brokerOps(resource), validateOnly);
        }
        if (resource.resourceType() == ConfigResource.Type.CLIENT_METRICS.id()) {
            return ClientMetricsConfigChange.alter(registry, resource.resourceName(), resource.configs().stream()
                    .map(c -> new ClientMetricsConfigChange.Op(c.name(), c.configOperation(), c.value())).toList(),
                    validateOnly);
        }
        if (resource.resourceType() == ConfigResource.Type.GROUP.id()) {
            return GroupConfigChange.alter(registry, resource.resourceName(), resource.configs().stream()
                    .map(c -> new GroupConfigChange.Op(c.name(), c.configOperation(), c.value())).toList(), validateOnly);
        }
        Outcome<TopicInfo> target = TopicConfigTarget.resolve(resource.resourceType(), resource.resourceName(), registry);
        if (!target.isOk()) {
            return target;
        }
        TopicInfo topic = target.value();
        Map<String, String> overrides = new HashMap<>(topic.configs());
        for (AlterableConfig config : resource.configs()) {
            Outcome<Void> applied = apply(topic, config, overrides);
            if (!applied.isOk()) {
                return applied.asFailure();
            }
        }
        return registry.replaceConfigs(topic.name(), overrides, validateOnly);
    }

    /** Applies one operation to {@code overrides}; the whole set is validated afterwards by the registry. */
    private Outcome<Void> apply(TopicInfo topic, AlterableConfig config, Map<String, String> overrides) {
        String name = config.name();
        ConfigOperation op = ConfigOperation.of(config.configOperation());
        if (op == null) {
            return Outcome.fail(Errors.INVALID_REQUEST, "Unknown config operation " + config.configOperation());
        }
        if (op == ConfigOperation.DELETE) {
            overrides.remove(name);
            return Outcome.ok(null);
        }
        if (op == ConfigOperation.SET) {
            overrides.put(name, config.value());
            return Outcome.ok(null);
        }
        ConfigDef.ConfigKey key = TopicConfigs.DEFINITION.configKeys().get(name);
        if (key == null) {
            return Outcome.fail(Errors.INVALID_CONFIG, "Unknown topic config name: " + name);
        }
        if (key.type != ConfigDef.Type.LIST) {
            return Outcome.fail(Errors.INVALID_CONFIG,
                    "Can't " + op + " to key " + name + " because its type is not LIST.");
        }
        overrides.put(name, op.applyToList(listItems(overrides.getOrDefault(name, registry.effectiveConfig(topic, name))),
                listItems(config.value())));
        return Outcome.ok(null);
    }

    private static List<String> listItems(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}

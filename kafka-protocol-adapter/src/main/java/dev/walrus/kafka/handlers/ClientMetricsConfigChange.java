package dev.walrus.kafka.handlers;

import dev.walrus.kafka.config.ClientMetricsConfigs;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.protocol.Errors;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AlterConfigs and IncrementalAlterConfigs on a CLIENT_METRICS resource ({@code kafka-client-metrics --alter},
 * KIP-714): the resource's configs changed (SET, DELETE, and APPEND or SUBTRACT on the list keys) or replaced, the
 * whole resulting set checked as Kafka's ClientMetricsConfigs.validate checks it, then kept in the metadata log. A
 * resource whose configs are all deleted no longer exists, as in Kafka.
 */
final class ClientMetricsConfigChange {

    /** One requested operation (the request's AlterableConfig). */
    record Op(String name, byte operation, String value) {}

    private ClientMetricsConfigChange() {}

    /** IncrementalAlterConfigs: the operations applied to the resource's current configs. */
    static Outcome<Void> alter(TopicRegistry registry, String name, List<Op> ops, boolean validateOnly) {
        Map<String, String> configs = new HashMap<>(registry.clientMetricsConfigs(name == null ? "" : name));
        for (Op op : ops) {
            ConfigOperation operation = ConfigOperation.of(op.operation());
            if (operation == null) {
                return Outcome.fail(Errors.INVALID_REQUEST, "Unknown config operation " + op.operation());
            }
            switch (operation) {
                case DELETE -> configs.remove(op.name());
                case SET -> configs.put(op.name(), op.value());
                case APPEND, SUBTRACT -> {
                    ConfigDef.ConfigKey key = ClientMetricsConfigs.DEFINITION.configKeys().get(op.name());
                    if (key == null || key.type != ConfigDef.Type.LIST) {
                        return Outcome.fail(Errors.INVALID_CONFIG,
                                "Can't " + operation + " to key " + op.name() + " because its type is not LIST.");
                    }
                    configs.put(op.name(), operation.applyToList(items(configs.get(op.name())), items(op.value())));
                }
            }
        }
        return replace(registry, name, configs, validateOnly);
    }

    /** AlterConfigs (the older form): the given configs become the resource's whole set. */
    static Outcome<Void> replace(TopicRegistry registry, String name, Map<String, String> configs, boolean validateOnly) {
        ClientMetricsConfigs.Refusal refusal = ClientMetricsConfigs.validate(name, configs);
        if (refusal != null) {
            return Outcome.fail(refusal.error(), refusal.message());
        }
        if (!validateOnly) {
            registry.replaceClientMetricsConfigs(name, configs);
        }
        return Outcome.ok(null);
    }

    private static List<String> items(String value) {
        return value == null || value.isBlank() ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}

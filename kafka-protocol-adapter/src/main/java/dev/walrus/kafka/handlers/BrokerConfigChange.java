package dev.walrus.kafka.handlers;

import dev.walrus.kafka.config.BrokerConfigs;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.config.DynamicBrokerConfigs;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.protocol.Errors;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A change to the dynamic configs of a BROKER resource, for AlterConfigs and IncrementalAlterConfigs: the resource is
 * this broker's own (named by its node id) or the cluster-wide defaults (the empty name). Kafka's order of checks:
 * a config named twice, a SET without a value, the resource name, each operation (APPEND and SUBTRACT only on list
 * configs), then the resulting configs of the resource as a whole (see {@link DynamicBrokerConfigs#checkSet}). The
 * change is all or nothing per resource; once applied, topics without an override follow it at once.
 *
 * <p>Threading: one instance serves both handlers; a change reads the resource's configs and replaces them, under
 * this object's monitor, so two concurrent changes never lose one another's keys.
 */
public final class BrokerConfigChange {

    /** One incremental operation, with its protocol code. */
    record Op(String name, byte code, String value) {
        /** Null for a code the protocol does not define. */
        ConfigOperation operation() {
            return ConfigOperation.of(code);
        }
    }

    private static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    private final TopicRegistry registry;
    private final BrokerSettings settings;
    private final int nodeId;

    public BrokerConfigChange(TopicRegistry registry, BrokerSettings settings, int nodeId) {
        this.registry = registry;
        this.settings = settings;
        this.nodeId = nodeId;
    }

    /** IncrementalAlterConfigs: applies the operations to the resource's current dynamic configs. */
    synchronized Outcome<Void> alter(String resourceName, List<Op> ops, boolean validateOnly) {
        Outcome<Boolean> target = resource(resourceName);
        if (!target.isOk()) {
            return target.asFailure();
        }
        boolean perBroker = target.value();
        Map<String, String> configs = new LinkedHashMap<>(current(perBroker));
        for (Op op : ops) {
            if (op.operation() == null) {
                return Outcome.fail(Errors.INVALID_REQUEST, "Unknown operations type " + op.code());
            }
            Outcome<Void> applied = apply(op, configs);
            if (!applied.isOk()) {
                return applied;
            }
        }
        return replace(perBroker, configs, validateOnly);
    }

    /** AlterConfigs (the older form): the given configs become the resource's whole set of dynamic configs. */
    synchronized Outcome<Void> replaceAll(String resourceName, Map<String, String> configs, List<String> namesInOrder,
                             boolean validateOnly) {
        Outcome<Boolean> target = resource(resourceName);
        if (!target.isOk()) {
            return target.asFailure();
        }
        return replace(target.value(), configs, validateOnly);
    }

    /**
     * The resource a name means (true: this broker, false: the cluster-wide defaults), or Kafka's refusal of another
     * broker's id. A config named twice or without a value was refused before ({@link ConfigAlterChecks}).
     */
    private Outcome<Boolean> resource(String resourceName) {
        if (resourceName.isEmpty()) {
            return Outcome.ok(false);
        }
        int id;
        try {
            id = Integer.parseInt(resourceName);
        } catch (NumberFormatException e) {
            return Outcome.fail(Errors.INVALID_REQUEST, "Node id must be an integer, but it is: " + resourceName);
        }
        if (id != nodeId) {
            return Outcome.fail(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + nodeId + ", but received "
                    + resourceName);
        }
        return Outcome.ok(true);
    }

    private Map<String, String> current(boolean perBroker) {
        BrokerSettings.DynamicLayers layers = settings.dynamic();
        return perBroker ? layers.perBroker() : layers.clusterDefault();
    }

    /**
     * One operation on the resource's configs. APPEND and SUBTRACT start from the resource's own value, else Kafka's
     * default (not the static value, nor the cluster default for this broker's resource), as Kafka does.
     */
    private static Outcome<Void> apply(Op op, Map<String, String> configs) {
        switch (op.operation()) {
            case SET -> configs.put(op.name(), op.value());
            case DELETE -> configs.remove(op.name());
            case APPEND, SUBTRACT -> {
                ConfigDef.ConfigKey key = BrokerConfigs.DEFINITION.configKeys().get(op.name());
                if (key == null) {
                    return Outcome.fail(Errors.INVALID_CONFIG, "Unknown config name: " + op.name());
                }
                String verb = op.operation().name().toLowerCase();
                if (key.type != ConfigDef.Type.LIST) {
                    return Outcome.fail(Errors.INVALID_CONFIG,
                            "Config value " + verb + " is not allowed for config key: " + op.name());
                }
                String base = configs.getOrDefault(op.name(), BrokerConfigs.defaultValue(op.name()));
                configs.put(op.name(), op.operation().applyToList(
                        base == null || base.isEmpty() ? List.of() : Arrays.asList(base.split(",")),
                        Arrays.asList(op.value().split(","))));
            }
        }
        return Outcome.ok(null);
    }

    private Outcome<Void> replace(boolean perBroker, Map<String, String> configs, boolean validateOnly) {
        Optional<DynamicBrokerConfigs.Refusal> refusal = DynamicBrokerConfigs.checkSet(configs, perBroker);
        if (refusal.isPresent()) {
            return Outcome.fail(refusal.get().error(), refusal.get().message());
        }
        // Kafka 4.1+ clusters run with eligible leader replicas (ELR), whose controller keeps min.insync.replicas
        // cluster-wide only.
        if (perBroker && !Objects.equals(configs.get(MIN_INSYNC_REPLICAS), current(true).get(MIN_INSYNC_REPLICAS))) {
            return Outcome.fail(Errors.INVALID_CONFIG, "Broker-level min.insync.replicas cannot be altered while ELR is enabled.");
        }
        if (!perBroker && current(false).containsKey(MIN_INSYNC_REPLICAS) && !configs.containsKey(MIN_INSYNC_REPLICAS)) {
            return Outcome.fail(Errors.INVALID_CONFIG, "Cluster-level min.insync.replicas cannot be removed while ELR is enabled.");
        }
        if (!validateOnly) {
            registry.replaceBrokerConfigs(perBroker, configs);
        }
        return Outcome.ok(null);
    }
}

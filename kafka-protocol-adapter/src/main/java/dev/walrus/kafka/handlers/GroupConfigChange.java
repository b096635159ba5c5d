package dev.walrus.kafka.handlers;

import dev.walrus.kafka.config.GroupConfigs;
import dev.walrus.kafka.metadata.Outcome;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * IncrementalAlterConfigs on a GROUP resource (KIP-848, KIP-932): SET and DELETE of a group's config overrides, the
 * whole resulting set validated as Kafka's GroupConfig.validate does, then kept in the metadata log. As in Kafka, the
 * group need not exist (share groups are told where to start before their first member joins).
 */
final class GroupConfigChange {

    /** One requested operation (the request's AlterableConfig). */
    record Op(String name, byte operation, String value) {}

    private GroupConfigChange() {}

    static Outcome<Void> alter(TopicRegistry registry, String groupId, List<Op> ops, boolean validateOnly) {
        if (groupId == null || groupId.isEmpty()) {
            return Outcome.fail(Errors.INVALID_REQUEST, "Group name must not be empty");
        }
        Map<String, String> overrides = new HashMap<>(registry.groupConfigs(groupId));
        for (Op op : ops) {
            ConfigOperation operation = ConfigOperation.of(op.operation());
            if (operation == null) {
                return Outcome.fail(Errors.INVALID_REQUEST, "Unknown config operation " + op.operation());
            }
            switch (operation) {
                case DELETE -> overrides.remove(op.name());
                case SET -> overrides.put(op.name(), op.value());   // a null value was refused before (ConfigAlterChecks)
                default -> {
                    return Outcome.fail(Errors.INVALID_CONFIG,
                            "Can't " + operation + " to key " + op.name() + " because its type is not LIST.");
                }
            }
        }
        String invalid = GroupConfigs.validate(overrides, registry.settings());
        if (invalid != null) {
            return Outcome.fail(Errors.INVALID_CONFIG, invalid);
        }
        if (!validateOnly) {
            registry.replaceGroupConfigs(groupId, overrides);
        }
        return Outcome.ok(null);
    }
}

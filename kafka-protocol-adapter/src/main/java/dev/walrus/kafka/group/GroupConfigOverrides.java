package dev.walrus.kafka.group;

import java.util.Map;
import java.util.function.Function;

/**
 * Each group's config overrides (KIP-848 and KIP-1071 group configs, set with IncrementalAlterConfigs on a GROUP
 * resource): a value set on a group wins over the broker's {@code group.consumer.*} or {@code group.streams.*} value
 * for that group, from its members' next heartbeat on, as in Kafka. None until the adapter wires its config registry
 * in ({@link GroupCoordinator#useGroupConfigs}).
 */
public final class GroupConfigOverrides {

    /** Written once at start by the adapter's thread, read on the group thread. */
    private volatile Function<String, Map<String, String>> source = groupId -> Map.of();

    void use(Function<String, Map<String, String>> source) {
        this.source = source;
    }

    /** The group's value of an integer config, else the broker's. */
    public int intValue(String groupId, String key, int brokerValue) {
        String value = source.apply(groupId).get(key);
        return value == null ? brokerValue : Integer.parseInt(value.trim());   // validated when it was set
    }

    /** The group's value of a long config, else the broker's. */
    public long longValue(String groupId, String key, long brokerValue) {
        String value = source.apply(groupId).get(key);
        return value == null ? brokerValue : Long.parseLong(value.trim());   // validated when it was set
    }
}

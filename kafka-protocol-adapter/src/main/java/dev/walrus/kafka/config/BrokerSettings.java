package dev.walrus.kafka.config;

import java.util.Map;

/**
 * The broker's Kafka-style settings: the {@code server.properties} values given, over Kafka's defaults (with this
 * broker's single-node defaults where they differ, each listed in README.md).
 *
 * <p>CONTRACT (written before the implementation; the metadata/config work fills it in, keeping these methods).
 */
public final class BrokerSettings {

    private final Map<String, String> given;

    private BrokerSettings(Map<String, String> given) {
        this.given = Map.copyOf(given);
    }

    /** Validates and wraps the given properties; throws {@link IllegalArgumentException} naming a bad key/value. */
    public static BrokerSettings from(Map<String, String> properties) {
        return new BrokerSettings(properties);
    }

    /** The effective value of a broker config key (given, else default), or null if the key is unknown. */
    public String get(String key) {
        return given.get(key);
    }

    public int getInt(String key) {
        return Integer.parseInt(get(key));
    }

    public long getLong(String key) {
        return Long.parseLong(get(key));
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key));
    }

    public int nodeId() {
        String id = get("node.id");
        return id == null ? 1 : Integer.parseInt(id);
    }

    /** The keys given explicitly (DescribeConfigs reports their source as STATIC_BROKER_CONFIG). */
    public Map<String, String> given() {
        return given;
    }
}

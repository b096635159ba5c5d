package dev.walrus.kafka.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The keys of this broker's own that the adapter reads: Kafka has none of them, so they start with {@code walrus.}.
 * {@link BrokerSettings} checks them at start with these types and validators, as it checks Kafka's keys; they are
 * never described (DescribeConfigs lists Kafka's keys only).
 */
public final class WalrusConfigs {

    /** Committed offsets' retention in milliseconds, over {@code offsets.retention.minutes} (see docs/configuration.md). */
    public static final String OFFSETS_RETENTION_MS = "walrus.offsets.retention.ms";

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(OFFSETS_RETENTION_MS, Type.LONG, null, unsetOrAtLeast(1), Importance.LOW,
                    "Committed offsets' retention in milliseconds; when set, it replaces offsets.retention.minutes.");

    private WalrusConfigs() {}

    /** Like Kafka's {@code atLeast}, but a key without a default may stay unset. */
    private static ConfigDef.Validator unsetOrAtLeast(long min) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value != null && ((Number) value).longValue() < min) {
                throw new ConfigException(name, value, "Value must be at least " + min);
            }
        }, () -> "[" + min + ",...] or unset");
    }
}

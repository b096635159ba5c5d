package dev.walrus.kafka.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The configs of a client-metrics resource (KIP-714 telemetry subscriptions, {@code kafka-client-metrics}):
 * {@code metrics} (metric name prefixes), {@code interval.ms} (the push interval) and {@code match} (client
 * selectors), with Kafka's defaults and checks. This broker keeps and describes them as Kafka does; as on a Kafka
 * broker without a telemetry plugin, no client is asked to push metrics (GetTelemetrySubscriptions is not served).
 */
public final class ClientMetricsConfigs {

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define("metrics", Type.LIST, List.of(), ConfigDef.ValidList.anyNonDuplicateValues(true, false),
                    Importance.MEDIUM, "Telemetry metric name prefix list")
            .define("interval.ms", Type.INT, 5 * 60 * 1000, Importance.MEDIUM, "Metrics push interval in milliseconds")
            .define("match", Type.LIST, List.of(), ConfigDef.ValidList.anyNonDuplicateValues(true, false),
                    Importance.MEDIUM, "Client match criteria");

    private static final Set<String> MATCH_KEYS = Set.of("client_instance_id", "client_id", "client_software_name",
            "client_software_version", "client_source_address", "client_source_port");

    /** Kafka's refusal of a resource's full set of configs: the error and its message. */
    public record Refusal(Errors error, String message) {}

    private ClientMetricsConfigs() {}

    /** Null when {@code configs} may be the configs of resource {@code name}, else Kafka's refusal, in its order. */
    public static Refusal validate(String name, Map<String, String> configs) {
        if (name == null || name.isEmpty()) {
            return new Refusal(Errors.INVALID_REQUEST, "Subscription name can't be empty");
        }
        for (String key : configs.keySet()) {
            if (!DEFINITION.names().contains(key)) {
                return new Refusal(Errors.INVALID_REQUEST, "Unknown client metrics configuration: " + key);
            }
        }
        Map<String, Object> parsed;
        try {
            parsed = DEFINITION.parse(configs);
        } catch (ConfigException e) {
            return new Refusal(Errors.INVALID_CONFIG, e.getMessage());
        }
        if (configs.containsKey("interval.ms")) {
            int interval = (Integer) parsed.get("interval.ms");
            if (interval < 100 || interval > 3_600_000) {
                return new Refusal(Errors.INVALID_REQUEST, String.format("Invalid value %s for %s, interval must be "
                        + "between 100 and 3600000 (1 hour)", interval, "interval.ms"));
            }
        }
        if (configs.containsKey("match")) {
            @SuppressWarnings("unchecked")
            List<String> patterns = (List<String>) parsed.get("match");
            for (String pattern : patterns) {
                if (!validMatch(pattern)) {
                    return new Refusal(Errors.INVALID_CONFIG, "Illegal client matching pattern: " + pattern);
                }
            }
        }
        return null;
    }

    /** {@code <selector>=<regular expression>}, the selector one of the client's identifying fields. */
    private static boolean validMatch(String pattern) {
        String[] nameAndValue = pattern.split("=");
        if (nameAndValue.length != 2 || !MATCH_KEYS.contains(nameAndValue[0].trim())) {
            return false;
        }
        try {
            Pattern.compile(nameAndValue[1].trim());
            return true;
        } catch (PatternSyntaxException e) {
            return false;
        }
    }
}

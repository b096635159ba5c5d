package dev.walrus.kafka.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.protocol.Errors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kafka's rules for dynamic broker configs (KIP-226): which keys may change at runtime, for this broker alone or as
 * the cluster-wide default, and how a change is refused.
 *
 * <p>The key lists are Apache Kafka 4.4's, kept as resources beside this class: every broker config name Kafka defines
 * ({@code kafka-broker-config-names.txt}), and those it updates at runtime ({@code kafka-dynamic-broker-configs.txt}).
 * A key in neither list is not a Kafka config at all; Kafka stores such a key as given (a plugin may read it), and
 * so does this broker. They are read on first use (a change, or describing the broker's configs), not at start.
 *
 * <p>Checks, in Kafka's order, on the keys being set: a Kafka config that is not dynamic (INVALID_REQUEST "Cannot
 * update these configs dynamically"), a per-broker config set as the cluster default (INVALID_REQUEST), a value the
 * key does not accept (INVALID_REQUEST with the parser's message). Deleting any key is allowed.
 *
 * <p>Different from Kafka on purpose: {@code listeners} and {@code listener.security.protocol.map} are refused. Kafka
 * opens and closes listeners at runtime; this broker binds its one listener at start.
 */
public final class DynamicBrokerConfigs {

    /** Listener keys this broker binds at start and cannot change while it runs. */
    private static final Set<String> LISTENER_KEYS = Set.of("listeners", "listener.security.protocol.map");
    /** Kafka's per-listener form of a security config, always for one broker. */
    private static final String LISTENER_PREFIX = "listener.name.";

    private DynamicBrokerConfigs() {}

    /** Why a change is refused: the error and Kafka's message. */
    public record Refusal(Errors error, String message) {}

    /** Whether Kafka changes this key at runtime. */
    public static boolean isDynamic(String key) {
        return Lists.DYNAMIC.contains(key) || Lists.PER_BROKER.contains(key) || key.startsWith(LISTENER_PREFIX);
    }

    /** Whether this broker changes the key at runtime: Kafka's dynamic keys but the listeners. */
    public static boolean isAlterable(String key) {
        return isDynamic(key) && !LISTENER_KEYS.contains(key);
    }

    /** Whether Kafka defines this broker config (dynamic or not). */
    public static boolean isKafkaConfig(String key) {
        return BrokerConfigs.DEFINITION.configKeys().containsKey(key) || Lists.ALL.contains(key)
                || key.startsWith(LISTENER_PREFIX);
    }

    /**
     * Checks the values a change sets (after APPEND and SUBTRACT were worked out) for one resource: this broker's
     * ({@code perBroker}) or the cluster-wide defaults.
     */
    public static Optional<Refusal> checkSet(Map<String, String> set, boolean perBroker) {
        Set<String> notDynamic = new TreeSet<>();
        for (String key : set.keySet()) {
            if (isKafkaConfig(key) && !isDynamic(key)) {
                notDynamic.add(key);
            }
        }
        if (!notDynamic.isEmpty()) {
            return refuse("Cannot update these configs dynamically: " + notDynamic);
        }
        for (String key : set.keySet()) {
            if (LISTENER_KEYS.contains(key)) {
                return refuse("Walrus Broker does not change its listeners at runtime: set " + key
                        + " in the config file or with --override and restart");
            }
        }
        if (!perBroker) {
            Set<String> perBrokerOnly = new TreeSet<>();
            for (String key : set.keySet()) {
                if (Lists.PER_BROKER.contains(key) || key.startsWith(LISTENER_PREFIX)) {
                    perBrokerOnly.add(key);
                }
            }
            if (!perBrokerOnly.isEmpty()) {
                return refuse("Cannot update these configs at default cluster level, broker id must be specified: "
                        + perBrokerOnly);
            }
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            ConfigDef.ConfigKey key = BrokerConfigs.DEFINITION.configKeys().get(e.getKey());
            if (key == null) {
                continue;
            }
            try {
                Object parsed = ConfigDef.parseType(key.name, e.getValue(), key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(key.name, parsed);
                }
            } catch (ConfigException ex) {
                return refuse(ex.getMessage());
            }
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(String message) {
        return Optional.of(new Refusal(Errors.INVALID_REQUEST, message));
    }

    /** The resource lists, read on first use. */
    private static final class Lists {
        static final Set<String> ALL = new HashSet<>();
        static final Set<String> DYNAMIC = new HashSet<>();
        static final Set<String> PER_BROKER = new HashSet<>();

        static {
            ALL.addAll(read("kafka-broker-config-names.txt"));
            for (String line : read("kafka-dynamic-broker-configs.txt")) {
                String[] words = line.split("\\s+");
                (words.length > 1 && words[1].equals("per-broker") ? PER_BROKER : DYNAMIC).add(words[0]);
            }
        }

        private static List<String> read(String resource) {
            try (InputStream in = DynamicBrokerConfigs.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + resource);
                }
                return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                        .map(String::trim)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

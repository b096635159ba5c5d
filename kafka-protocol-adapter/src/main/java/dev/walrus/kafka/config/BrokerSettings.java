package dev.walrus.kafka.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The broker's Kafka-style settings: the {@code server.properties} values given, over Kafka's defaults (with this
 * broker's single-node defaults where they differ, each listed in {@link BrokerConfigs#SINGLE_NODE_DEFAULTS} and
 * README.md).
 *
 * <p>Keys are checked against {@link BrokerConfigs#DEFINITION} with Kafka's types and validators; a key Kafka has but
 * this broker does not define is kept (readable with {@link #get}) and logged as unused, as Kafka does.
 *
 * <p>Over these static values lie the dynamic broker configs (IncrementalAlterConfigs and AlterConfigs on BROKER
 * resources, replayed from the metadata log at start): a value set for this broker wins over the cluster-wide default
 * one, which wins over the static value, as in Kafka. {@link #get} reads through every layer; the layers are replaced
 * whole, so a reader sees either all of a change or none of it.
 */
public final class BrokerSettings {

    private static final Logger log = LoggerFactory.getLogger(BrokerSettings.class);

    /** Keys of this broker's own process settings (read by the broker module), never reported as unused. */
    private static final String WALRUS_PREFIX = "walrus.";

    private final Map<String, String> given;
    /** Every defined key's effective value in its canonical string form (null where Kafka has no default). */
    private final Map<String, String> effective;
    /** The dynamic configs: replaced whole on each change (see {@link #replaceDynamic}). */
    private volatile DynamicLayers dynamic = DynamicLayers.NONE;

    /**
     * The dynamic broker configs as set: those of this broker (Kafka's resource named by the node id) and the
     * cluster-wide defaults (the resource with the empty name).
     */
    public record DynamicLayers(Map<String, String> perBroker, Map<String, String> clusterDefault) {
        static final DynamicLayers NONE = new DynamicLayers(Map.of(), Map.of());
    }

    private BrokerSettings(Map<String, String> given, Map<String, String> effective) {
        this.given = Collections.unmodifiableMap(given);
        this.effective = Collections.unmodifiableMap(effective);
    }

    /** Validates and wraps the given properties; throws {@link IllegalArgumentException} naming a bad key/value. */
    public static BrokerSettings from(Map<String, String> properties) {
        return parse(properties, true);
    }

    /**
     * Validates the given properties as {@link #from} does, without logging the keys that are not used: for a caller
     * that checks a configuration early (the broker process, before it binds) and hands the same keys to
     * {@code KafkaAdapter.open} later, which logs them once.
     */
    public static void check(Map<String, String> properties) {
        parse(properties, false);
    }

    private static BrokerSettings parse(Map<String, String> properties, boolean logUnused) {
        Map<String, String> given = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("Broker config " + e.getKey() + " has no value");
            }
            given.put(e.getKey().trim(), e.getValue().trim());
        }
        Map<String, Object> parsed;
        try {
            parsed = BrokerConfigs.DEFINITION.parse(given);
            WalrusConfigs.DEFINITION.parse(given); // this broker's own keys: checked, not described
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Map<String, String> effective = new HashMap<>();
        for (ConfigDef.ConfigKey key : BrokerConfigs.DEFINITION.configKeys().values()) {
            Object value = parsed.get(key.name);
            effective.put(key.name, value == null ? null : ConfigDef.convertToString(value, key.type));
        }
        checkAdvertisedNamesAreListened(effective);
        List<String> unused = new ArrayList<>();
        for (String key : given.keySet()) {
            if (!BrokerConfigs.DEFINITION.configKeys().containsKey(key) && !key.startsWith(WALRUS_PREFIX)
                    && !isListenerForm(key)) {
                unused.add(key);
            }
        }
        if (logUnused && !unused.isEmpty()) {
            log.warn("These broker configs were given but are not used by Walrus: {}", unused);
        }
        return new BrokerSettings(given, effective);
    }

    /**
     * Whether a key is a listener's own form of a defined config: {@code listener.name.NAME.KEY}, or for SASL
     * {@code listener.name.NAME.MECHANISM.KEY}.
     */
    private static boolean isListenerForm(String key) {
        if (!key.startsWith("listener.name.")) {
            return false;
        }
        String afterName = key.substring(key.indexOf('.', "listener.name.".length()) + 1);
        int dot = afterName.indexOf('.');
        return BrokerConfigs.DEFINITION.configKeys().containsKey(afterName)
                || dot > 0 && BrokerConfigs.DEFINITION.configKeys().containsKey(afterName.substring(dot + 1));
    }

    /**
     * The effective value of a broker config key (set for this broker, else the cluster-wide dynamic default, else
     * given at start, else Kafka's default), or null if the key is unknown.
     */
    public String get(String key) {
        DynamicLayers layers = dynamic;
        if (!layers.perBroker().isEmpty() || !layers.clusterDefault().isEmpty()) {
            String value = layers.perBroker().get(key);
            if (value == null) {
                value = layers.clusterDefault().get(key);
            }
            if (value != null) {
                return value;
            }
        }
        return staticValue(key);
    }

    /** The value a key has without the dynamic configs: given at start, else Kafka's default. */
    public String staticValue(String key) {
        if (effective.containsKey(key)) {
            return effective.get(key);
        }
        return given.get(key);
    }

    public int getInt(String key) {
        return Integer.parseInt(require(key));
    }

    public long getLong(String key) {
        return Long.parseLong(require(key));
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(require(key));
    }

    public int nodeId() {
        return getInt("node.id");
    }

    /** The keys given explicitly (DescribeConfigs reports their source as STATIC_BROKER_CONFIG). */
    public Map<String, String> given() {
        return given;
    }

    /** Whether the key was given explicitly at start (rather than taken from the default). */
    public boolean isGiven(String key) {
        return given.containsKey(key);
    }

    /** Whether the key has a value other than Kafka's default: set dynamically or given at start. */
    public boolean isSet(String key) {
        return source(key) != ConfigSource.DEFAULT_CONFIG;
    }

    /** Where the key's value comes from, as DescribeConfigs reports it. */
    public ConfigSource source(String key) {
        DynamicLayers layers = dynamic;
        if (layers.perBroker().containsKey(key)) {
            return ConfigSource.DYNAMIC_BROKER_CONFIG;
        }
        if (layers.clusterDefault().containsKey(key)) {
            return ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG;
        }
        return given.containsKey(key) ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
    }

    /**
     * The synonyms of a broker config as Kafka's DescribeConfigs lists them: for the keys {@code names} (see
     * {@link BrokerConfigs#synonymNames}), those set for this broker, then the cluster-wide dynamic ones, then those
     * given at start, then Kafka's defaults; leading entries of other keys dropped, so that the list starts with
     * {@code described} (a broker that was given only {@code log.retention.hours} lists no synonym for
     * {@code log.retention.ms}, as Kafka does). The first entry is where the value comes from.
     */
    public List<DescribedConfig.Synonym> synonyms(String described, List<String> names) {
        DynamicLayers layers = dynamic;
        List<DescribedConfig.Synonym> all = new ArrayList<>();
        addSynonyms(all, names, layers.perBroker(), ConfigSource.DYNAMIC_BROKER_CONFIG);
        addSynonyms(all, names, layers.clusterDefault(), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        addSynonyms(all, names, given, ConfigSource.STATIC_BROKER_CONFIG);
        for (String name : names) {
            String defaultValue = BrokerConfigs.defaultValue(name);
            if (defaultValue != null) {
                all.add(new DescribedConfig.Synonym(name, defaultValue, ConfigSource.DEFAULT_CONFIG));
            }
        }
        int first = 0;
        while (first < all.size() && !all.get(first).name().equals(described)) {
            first++;
        }
        return List.copyOf(all.subList(first, all.size()));
    }

    private static void addSynonyms(List<DescribedConfig.Synonym> out, List<String> names, Map<String, String> layer,
                                    ConfigSource source) {
        for (String name : names) {
            String value = layer.get(name);
            if (value != null) {
                out.add(new DescribedConfig.Synonym(name, value, source));
            }
        }
    }

    /** The dynamic configs now in force. */
    public DynamicLayers dynamic() {
        return dynamic;
    }

    /**
     * Replaces the dynamic configs of one resource: {@code perBroker} true for this broker's own, false for the
     * cluster-wide defaults. The caller validates and logs them first (see {@code DynamicBrokerConfigs}).
     */
    public void replaceDynamic(boolean perBroker, Map<String, String> configs) {
        synchronized (this) {
            DynamicLayers now = dynamic;
            Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(configs));
            dynamic = perBroker ? new DynamicLayers(copy, now.clusterDefault()) : new DynamicLayers(now.perBroker(), copy);
        }
    }

    /** The listeners to bind, from {@code listeners}. */
    public List<ListenerAddress> listeners() {
        return parseListeners(get("listeners"));
    }

    /** The listeners clients are told about: {@code advertised.listeners}, else {@code listeners}. */
    public List<ListenerAddress> advertisedListeners() {
        String advertised = get("advertised.listeners");
        return advertised == null ? listeners() : parseListeners(advertised);
    }

    /** The one data directory: {@code log.dirs} if set, else {@code log.dir}. */
    public String dataDirectory() {
        return Optional.ofNullable(get("log.dirs")).orElseGet(() -> get("log.dir"));
    }

    /** Kafka's rule: every advertised listener name is one of the listeners' names. */
    private static void checkAdvertisedNamesAreListened(Map<String, String> effective) {
        String advertised = effective.get("advertised.listeners");
        if (advertised == null) {
            return;
        }
        java.util.Set<String> listened = new java.util.HashSet<>();
        parseListeners(effective.get("listeners")).forEach(l -> listened.add(l.name()));
        for (ListenerAddress address : parseListeners(advertised)) {
            if (!listened.contains(address.name())) {
                throw new IllegalArgumentException("Invalid value " + advertised + " for configuration advertised.listeners: "
                        + "listener name " + address.name() + " is not one of the names in listeners " + listened);
            }
        }
    }

    private String require(String key) {
        String value = get(key);
        if (value == null) {
            throw new IllegalArgumentException("Broker config " + key + " has no value and no default");
        }
        return value;
    }

    private static List<ListenerAddress> parseListeners(String value) {
        List<ListenerAddress> result = new ArrayList<>();
        for (String listener : value.split(",")) {
            if (!listener.isBlank()) {
                result.add(ListenerAddress.parse(listener));
            }
        }
        return List.copyOf(result);
    }
}

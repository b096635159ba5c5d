package dev.walrus.kafka.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Describes topic and broker configs the way Kafka's DescribeConfigs does: effective value, source, type, optional
 * synonyms and documentation.
 *
 * <p>Behaviour: a broker config is writable when this broker changes it at runtime (see {@link DynamicBrokerConfigs}),
 * read-only otherwise. Synonyms follow Kafka: the topic override, then the broker keys' values set for this broker,
 * as cluster-wide defaults, at start, then Kafka's defaults (see {@link BrokerSettings#synonyms}).
 */
public final class ConfigDescriber {

    private final BrokerSettings broker;

    public ConfigDescriber(BrokerSettings broker) {
        this.broker = broker;
    }

    /**
     * The configs of a topic with these overrides, sorted by name.
     *
     * @param keys the keys asked for, or null for all; unknown keys are left out, as Kafka does
     */
    public List<DescribedConfig> describeTopic(Map<String, String> overrides, Collection<String> keys,
                                               boolean includeSynonyms, boolean includeDocumentation) {
        List<DescribedConfig> result = new ArrayList<>();
        for (ConfigDef.ConfigKey key : sorted(TopicConfigs.DEFINITION)) {
            if (keys != null && !keys.contains(key.name)) {
                continue;
            }
            TopicConfigs.Resolved resolved = TopicConfigs.resolve(key.name, overrides, broker);
            List<DescribedConfig.Synonym> synonyms = includeSynonyms ? topicSynonyms(key.name, overrides) : List.of();
            result.add(new DescribedConfig(key.name, resolved.value(), resolved.source(), false, false, typeOf(key),
                    includeDocumentation ? key.documentation : null, synonyms));
        }
        return result;
    }

    /**
     * The configs of this broker (the resource named by its node id), sorted by name: every key defined here but
     * Kafka's internal ones, then any other key set dynamically or given at start (Kafka lists those too: as
     * sensitive, of unknown type, without a value; an internal key set is listed as the key it is). {@code keys} as
     * for {@link #describeTopic}.
     */
    public List<DescribedConfig> describeBroker(Collection<String> keys, boolean includeSynonyms, boolean includeDocumentation) {
        TreeMap<String, ConfigDef.ConfigKey> names = new TreeMap<>(BrokerConfigs.DEFINITION.configKeys());
        // Kafka's internal keys (and the authorizer's, which KafkaConfig does not define) are listed only once set
        names.values().removeIf(key -> key.internalConfig);
        BrokerSettings.DynamicLayers layers = broker.dynamic();
        for (String name : concat(layers.perBroker().keySet(), layers.clusterDefault().keySet(), broker.given().keySet())) {
            names.putIfAbsent(name, BrokerConfigs.DEFINITION.configKeys().get(name));
        }
        List<DescribedConfig> result = new ArrayList<>();
        for (Map.Entry<String, ConfigDef.ConfigKey> e : names.entrySet()) {
            if (keys == null || keys.contains(e.getKey())) {
                result.add(brokerEntry(e.getKey(), e.getValue(), broker.synonyms(e.getKey(),
                        BrokerConfigs.synonymNames(e.getKey())), includeSynonyms, includeDocumentation));
            }
        }
        return result;
    }

    /**
     * The cluster-wide dynamic defaults (the broker resource with the empty name), sorted by name: only the keys set
     * there, each with that one synonym, as Kafka lists them.
     */
    public List<DescribedConfig> describeClusterDefaults(Collection<String> keys, boolean includeSynonyms,
                                                         boolean includeDocumentation) {
        List<DescribedConfig> result = new ArrayList<>();
        for (String name : new TreeSet<>(broker.dynamic().clusterDefault().keySet())) {
            if (keys != null && !keys.contains(name)) {
                continue;
            }
            List<DescribedConfig.Synonym> synonyms = broker.synonyms(name, BrokerConfigs.synonymNames(name)).stream()
                    .filter(s -> s.source() == ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)
                    .toList();
            result.add(brokerEntry(name, BrokerConfigs.DEFINITION.configKeys().get(name), synonyms, includeSynonyms,
                    includeDocumentation));
        }
        return result;
    }

    /**
     * One broker config: its value is the first synonym's (the layers' order), else Kafka's default; a key not
     * defined here is reported as Kafka reports a key it does not know: sensitive, no value, type unknown.
     */
    private DescribedConfig brokerEntry(String name, ConfigDef.ConfigKey definition, List<DescribedConfig.Synonym> synonyms,
                                        boolean includeSynonyms, boolean includeDocumentation) {
        boolean sensitive = definition == null || definition.type == ConfigDef.Type.PASSWORD;
        if (sensitive) {
            synonyms = synonyms.stream().map(s -> new DescribedConfig.Synonym(s.name(), null, s.source())).toList();
        }
        ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG : synonyms.getFirst().source();
        String value = sensitive ? null : broker.get(name);
        boolean readOnly = definition == null || !DynamicBrokerConfigs.isAlterable(name);
        return new DescribedConfig(name, value, source, readOnly, sensitive,
                definition == null ? ConfigType.UNKNOWN : typeOf(definition),
                includeDocumentation && definition != null ? definition.documentation : null,
                includeSynonyms ? synonyms : List.of());
    }

    @SafeVarargs
    private static List<String> concat(Collection<String>... collections) {
        List<String> all = new ArrayList<>();
        for (Collection<String> c : collections) {
            all.addAll(c);
        }
        return all;
    }

    /**
     * The configs of a group, sorted by name: its override (source GROUP_CONFIG) where it has one, else its broker
     * synonym's value with that key's source (dynamic, static or default), else Kafka's default.
     */
    public List<DescribedConfig> describeGroup(Map<String, String> overrides, Collection<String> keys,
                                               boolean includeSynonyms, boolean includeDocumentation) {
        List<DescribedConfig> result = new ArrayList<>();
        for (ConfigDef.ConfigKey key : sorted(GroupConfigs.DEFINITION)) {
            if (keys != null && !keys.contains(key.name)
                    || GroupConfigs.isInternal(key.name) && !overrides.containsKey(key.name)) {
                continue; // as Kafka: an internal group config is described once the group sets it
            }
            String brokerKey = GroupConfigs.brokerSynonym(key.name);
            List<DescribedConfig.Synonym> synonyms = new ArrayList<>();
            String override = overrides.get(key.name);
            if (override != null) {
                synonyms.add(new DescribedConfig.Synonym(key.name, override, ConfigSource.GROUP_CONFIG));
            }
            String value;
            ConfigSource source;
            if (brokerKey != null) {
                value = broker.get(brokerKey);
                if (key.name.equals(GroupConfigs.STREAMS_ASSIGNOR_NAME)) {
                    value = GroupConfigs.assignors(broker).stream().findFirst().orElse(null); // the default assignor
                }
                source = broker.source(brokerKey);
                synonyms.add(new DescribedConfig.Synonym(brokerKey, value, source));
            } else {
                value = key.defaultValue == null ? null : String.valueOf(key.defaultValue);
                source = ConfigSource.DEFAULT_CONFIG;
            }
            if (override != null) {
                value = override;
                source = ConfigSource.GROUP_CONFIG;
            }
            result.add(new DescribedConfig(key.name, value, source, false, false, typeOf(key),
                    includeDocumentation ? key.documentation : null, includeSynonyms ? List.copyOf(synonyms) : List.of()));
        }
        return result;
    }

    /**
     * The configs of a client-metrics resource (KIP-714), sorted by name: its value (source CLIENT_METRICS_CONFIG),
     * else Kafka's default; lists written as Kafka writes them (comma-separated, no spaces).
     */
    public List<DescribedConfig> describeClientMetrics(Map<String, String> configs, Collection<String> keys,
                                                       boolean includeSynonyms, boolean includeDocumentation) {
        Map<String, Object> parsed = ClientMetricsConfigs.DEFINITION.parse(configs);
        List<DescribedConfig> result = new ArrayList<>();
        for (ConfigDef.ConfigKey key : sorted(ClientMetricsConfigs.DEFINITION)) {
            if (keys != null && !keys.contains(key.name)) {
                continue;
            }
            String value = ConfigDef.convertToString(parsed.get(key.name), key.type);
            boolean set = configs.containsKey(key.name);
            ConfigSource source = set ? ConfigSource.CLIENT_METRICS_CONFIG : ConfigSource.DEFAULT_CONFIG;
            List<DescribedConfig.Synonym> synonyms = set && includeSynonyms
                    ? List.of(new DescribedConfig.Synonym(key.name, value, source)) : List.of();
            result.add(new DescribedConfig(key.name, value, source, false, false, typeOf(key),
                    includeDocumentation ? key.documentation : null, synonyms));
        }
        return result;
    }

    private List<DescribedConfig.Synonym> topicSynonyms(String key, Map<String, String> overrides) {
        List<DescribedConfig.Synonym> synonyms = new ArrayList<>();
        if (overrides.containsKey(key)) {
            synonyms.add(new DescribedConfig.Synonym(key, overrides.get(key), ConfigSource.TOPIC_CONFIG));
        }
        synonyms.addAll(TopicConfigs.brokerSynonyms(key, broker));
        return List.copyOf(synonyms);
    }

    private static Collection<ConfigDef.ConfigKey> sorted(ConfigDef definition) {
        return new TreeMap<>(definition.configKeys()).values();
    }

    private static ConfigType typeOf(ConfigDef.ConfigKey key) {
        return ConfigType.valueOf(key.type.name());
    }
}

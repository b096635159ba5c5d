package dev.walrus.kafka.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Describes topic and broker configs the way Kafka's DescribeConfigs does: effective value, source, type, optional
 * synonyms and documentation.
 *
 * <p>Behaviour: broker configs are all reported read-only, because this broker has no dynamic broker configs (Kafka
 * marks its dynamically updatable keys writable). Synonyms follow Kafka: the topic override, then each broker key
 * given in the config file, then the default of the first broker key when it has one.
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

    /** The configs of this broker, sorted by name; {@code keys} as for {@link #describeTopic}. */
    public List<DescribedConfig> describeBroker(Collection<String> keys, boolean includeSynonyms, boolean includeDocumentation) {
        List<DescribedConfig> result = new ArrayList<>();
        for (ConfigDef.ConfigKey key : sorted(BrokerConfigs.DEFINITION)) {
            if (keys != null && !keys.contains(key.name)) {
                continue;
            }
            boolean given = broker.isGiven(key.name);
            String defaultValue = TopicConfigs.defaultString(key);
            List<DescribedConfig.Synonym> synonyms = new ArrayList<>();
            if (includeSynonyms) {
                if (given) {
                    synonyms.add(new DescribedConfig.Synonym(key.name, broker.get(key.name), ConfigSource.STATIC_BROKER_CONFIG));
                }
                if (defaultValue != null) {
                    synonyms.add(new DescribedConfig.Synonym(key.name, defaultValue, ConfigSource.DEFAULT_CONFIG));
                }
            }
            result.add(new DescribedConfig(key.name, broker.get(key.name),
                    given ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG, true, false, typeOf(key),
                    includeDocumentation ? key.documentation : null, List.copyOf(synonyms)));
        }
        return result;
    }

    /**
     * The configs of a group, sorted by name: no group has overrides yet (AlterConfigs comes later), so each value is
     * its broker synonym's, as STATIC_BROKER_CONFIG when the config file gives it, else DEFAULT_CONFIG.
     */
    public List<DescribedConfig> describeGroup(Collection<String> keys, boolean includeSynonyms, boolean includeDocumentation) {
        List<DescribedConfig> result = new ArrayList<>();
        for (ConfigDef.ConfigKey key : sorted(GroupConfigs.DEFINITION)) {
            if (keys != null && !keys.contains(key.name)) {
                continue;
            }
            String brokerKey = GroupConfigs.brokerSynonym(key.name);
            ConfigSource source = broker.isGiven(brokerKey) ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
            String value = broker.get(brokerKey);
            List<DescribedConfig.Synonym> synonyms = includeSynonyms
                    ? List.of(new DescribedConfig.Synonym(brokerKey, value, source)) : List.of();
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
        List<TopicConfigs.BrokerSynonym> brokerKeys = TopicConfigs.synonyms(key);
        for (TopicConfigs.BrokerSynonym synonym : brokerKeys) {
            if (broker.isGiven(synonym.brokerKey())) {
                synonyms.add(new DescribedConfig.Synonym(synonym.brokerKey(), broker.get(synonym.brokerKey()),
                        ConfigSource.STATIC_BROKER_CONFIG));
            }
        }
        if (!brokerKeys.isEmpty()) {
            ConfigDef.ConfigKey primary = BrokerConfigs.DEFINITION.configKeys().get(brokerKeys.getFirst().brokerKey());
            String defaultValue = primary == null ? null : TopicConfigs.defaultString(primary);
            if (defaultValue != null) {
                synonyms.add(new DescribedConfig.Synonym(primary.name, defaultValue, ConfigSource.DEFAULT_CONFIG));
            }
        }
        return List.copyOf(synonyms);
    }

    private static Collection<ConfigDef.ConfigKey> sorted(ConfigDef definition) {
        return new TreeMap<>(definition.configKeys()).values();
    }

    private static ConfigType typeOf(ConfigDef.ConfigKey key) {
        return ConfigType.valueOf(key.type.name());
    }
}

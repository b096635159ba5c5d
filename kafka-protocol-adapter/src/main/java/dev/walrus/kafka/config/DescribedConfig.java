package dev.walrus.kafka.config;

import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

import java.util.List;

/**
 * One config as DescribeConfigs (and CreateTopics v5+) reports it.
 *
 * @param synonyms where the value could come from, most specific first (empty unless asked for)
 * @param documentation null unless asked for
 */
public record DescribedConfig(String name, String value, ConfigSource source, boolean readOnly, boolean sensitive,
                              ConfigType type, String documentation, List<Synonym> synonyms) {

    public record Synonym(String name, String value, ConfigSource source) {}
}

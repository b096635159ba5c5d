/**
 * Kafka-style configuration: the broker keys ({@link dev.walrus.kafka.config.BrokerConfigs}, Apache Kafka 4.x's
 * names, types, validators and defaults, with this broker's single-node defaults listed in
 * {@code BrokerConfigs.SINGLE_NODE_DEFAULTS}), the topic keys with their broker synonyms
 * ({@link dev.walrus.kafka.config.TopicConfigs}), the group keys ({@link dev.walrus.kafka.config.GroupConfigs}), and
 * how DescribeConfigs reports them ({@link dev.walrus.kafka.config.ConfigDescriber}).
 */
package dev.walrus.kafka.config;

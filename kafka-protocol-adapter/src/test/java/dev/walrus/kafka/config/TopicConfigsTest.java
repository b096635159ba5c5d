package dev.walrus.kafka.config;

import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TopicConfigsTest {

    private static final BrokerSettings DEFAULT_BROKER = BrokerSettings.from(Map.of());

    @Test
    void shouldAcceptValidOverrides() {
        assertThat(TopicConfigs.validate(Map.of("cleanup.policy", "compact,delete", "retention.ms", "-1",
                "max.message.bytes", "2000000", "message.timestamp.type", "LogAppendTime", "flush.messages", "1")))
                .isEmpty();
    }

    @Test
    void shouldNameAnUnknownConfigAsKafkaDoes() {
        assertThat(TopicConfigs.validate(Map.of("nosuch.cfg", "1"))).contains("Unknown topic config name: nosuch.cfg");
    }

    @Test
    void shouldRefuseANullValueAsKafkaDoes() {
        Map<String, String> configs = new HashMap<>();
        configs.put("retention.ms", null);
        assertThat(TopicConfigs.validate(configs)).contains("Null value not supported for topic configs: retention.ms");
    }

    @Test
    void shouldRefuseAValueOfTheWrongTypeAsKafkaDoes() {
        assertThat(TopicConfigs.validate(Map.of("retention.ms", "abc")))
                .contains("Invalid value abc for configuration retention.ms: Not a number of type LONG");
    }

    @Test
    void shouldRefuseAValueBelowKafkasMinimum() {
        assertThat(TopicConfigs.validate(Map.of("segment.bytes", "10")))
                .contains("Invalid value 10 for configuration segment.bytes: Value must be at least 1048576");
    }

    @Test
    void shouldRefuseAnUnknownCleanupPolicy() {
        assertThat(TopicConfigs.validate(Map.of("cleanup.policy", "foo")))
                .contains("Invalid value foo for configuration cleanup.policy: String must be one of: compact, delete");
    }

    @Test
    void shouldRefuseRemoteStorageWithoutRemoteStorage() {
        assertThat(TopicConfigs.validate(Map.of("remote.storage.enable", "true"))).get().asString()
                .contains("Tiered Storage functionality is disabled");
    }

    @Test
    void shouldResolveAnOverrideAsTopicConfig() {
        assertThat(TopicConfigs.resolve("retention.ms", Map.of("retention.ms", "1000"), DEFAULT_BROKER))
                .isEqualTo(new TopicConfigs.Resolved("1000", ConfigSource.TOPIC_CONFIG));
    }

    /**
     * The source is Kafka 4.4's, checked against a Kafka started with {@code log.retention.hours=24}: DescribeConfigs
     * lists a topic config's synonyms from its primary broker key ({@code log.retention.ms}) on, so with only the
     * hours given the list is empty and the source DEFAULT_CONFIG, while the value is the hours' own.
     */
    @Test
    void shouldResolveAGivenBrokerSynonymConvertingHoursToMilliseconds() {
        BrokerSettings broker = BrokerSettings.from(Map.of("log.retention.hours", "24"));

        assertThat(TopicConfigs.resolve("retention.ms", Map.of(), broker))
                .isEqualTo(new TopicConfigs.Resolved("86400000", ConfigSource.DEFAULT_CONFIG));
    }

    @Test
    void shouldPreferTheMostPreciseBrokerSynonym() {
        BrokerSettings broker = BrokerSettings.from(Map.of("log.retention.hours", "24", "log.retention.ms", "5000"));

        assertThat(TopicConfigs.resolve("retention.ms", Map.of(), broker).value()).isEqualTo("5000");
    }

    @Test
    void shouldResolveKafkasDefaultWhenNothingIsGiven() {
        assertThat(TopicConfigs.resolve("retention.ms", Map.of(), DEFAULT_BROKER))
                .isEqualTo(new TopicConfigs.Resolved("604800000", ConfigSource.DEFAULT_CONFIG));
        assertThat(TopicConfigs.resolve("max.message.bytes", Map.of(), DEFAULT_BROKER).value()).isEqualTo("1048588");
        assertThat(TopicConfigs.resolve("flush.ms", Map.of(), DEFAULT_BROKER).value()).isEqualTo(Long.toString(Long.MAX_VALUE));
    }

    @Test
    void shouldTakeMaxMessageBytesFromMessageMaxBytes() {
        BrokerSettings broker = BrokerSettings.from(Map.of("message.max.bytes", "2000000"));

        assertThat(TopicConfigs.resolve("max.message.bytes", Map.of(), broker))
                .isEqualTo(new TopicConfigs.Resolved("2000000", ConfigSource.STATIC_BROKER_CONFIG));
    }
}

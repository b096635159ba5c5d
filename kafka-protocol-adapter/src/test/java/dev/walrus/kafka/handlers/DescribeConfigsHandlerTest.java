package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.MetadataHarness;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class DescribeConfigsHandlerTest {

    private static final short LATEST = ApiKeys.DESCRIBE_CONFIGS.latestVersion();

    @TempDir
    Path dir;

    private MetadataHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private DescribeConfigsResult describe(ConfigResource.Type type, String name, List<String> keys, boolean synonyms,
                                           boolean documentation, short version) {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData()
                .setIncludeSynonyms(synonyms).setIncludeDocumentation(documentation);
        request.resources().add(new DescribeConfigsResource().setResourceType(type.id()).setResourceName(name)
                .setConfigurationKeys(keys));
        DescribeConfigsResponseData response = harness.call(request, version);
        return response.results().getFirst();
    }

    private static DescribeConfigsResourceResult entry(DescribeConfigsResult result, String name) {
        return result.configs().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no config " + name));
    }

    private void createTopic(String name, Map<String, String> configs) {
        harness.registry().create(name, 1, configs, false);
        harness.registry().durable().join();
    }

    @Test
    void shouldDescribeEveryTopicConfigWithOverridesAsTopicConfigAndTheRestAsDefaults() {
        harness = MetadataHarness.open(dir);
        createTopic("orders", Map.of("retention.ms", "1000"));

        DescribeConfigsResult result = describe(ConfigResource.Type.TOPIC, "orders", null, false, false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.configs()).hasSize(37);
        DescribeConfigsResourceResult retention = entry(result, "retention.ms");
        assertThat(retention.value()).isEqualTo("1000");
        assertThat(retention.configSource()).isEqualTo(ConfigSource.TOPIC_CONFIG.id());
        assertThat(retention.readOnly()).isFalse();
        assertThat(retention.configType()).isEqualTo(ConfigType.LONG.id());
        assertThat(retention.synonyms()).isEmpty();
        assertThat(retention.documentation()).isNull();
        DescribeConfigsResourceResult cleanup = entry(result, "cleanup.policy");
        assertThat(cleanup.value()).isEqualTo("delete");
        assertThat(cleanup.configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
        assertThat(cleanup.configType()).isEqualTo(ConfigType.LIST.id());
        assertThat(entry(result, "max.message.bytes").value()).isEqualTo("1048588");
        assertThat(entry(result, "min.insync.replicas").value()).isEqualTo("1");
        assertThat(entry(result, "message.timestamp.type").value()).isEqualTo("CreateTime");
    }

    @Test
    void shouldReportBrokerFileValuesAsStaticBrokerConfigForTopics() {
        harness = MetadataHarness.open(dir, Map.of("log.retention.hours", "24", "message.max.bytes", "2000000"));
        createTopic("orders", Map.of());

        DescribeConfigsResult result = describe(ConfigResource.Type.TOPIC, "orders", null, false, false, LATEST);

        assertThat(entry(result, "retention.ms").value()).isEqualTo("86400000");
        // Kafka 4.4 (checked with log.retention.hours=24 given): no synonym from log.retention.ms on, so the default
        assertThat(entry(result, "retention.ms").configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
        assertThat(entry(result, "max.message.bytes").value()).isEqualTo("2000000");
        assertThat(entry(result, "max.message.bytes").configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
    }

    @Test
    void shouldListSynonymsMostSpecificFirstAsKafkaDoes() {
        harness = MetadataHarness.open(dir, Map.of("log.cleanup.policy", "compact"));
        createTopic("orders", Map.of("cleanup.policy", "delete"));

        DescribeConfigsResult result = describe(ConfigResource.Type.TOPIC, "orders", List.of("cleanup.policy", "retention.ms"),
                true, false, LATEST);

        assertThat(entry(result, "cleanup.policy").synonyms())
                .extracting(DescribeConfigsSynonym::name, DescribeConfigsSynonym::value, DescribeConfigsSynonym::source)
                .containsExactly(tuple("cleanup.policy", "delete", ConfigSource.TOPIC_CONFIG.id()),
                        tuple("log.cleanup.policy", "compact", ConfigSource.STATIC_BROKER_CONFIG.id()),
                        tuple("log.cleanup.policy", "delete", ConfigSource.DEFAULT_CONFIG.id()));
        // log.retention.ms has no default in Kafka, so no default synonym is listed (as Kafka 4.4 answers).
        assertThat(entry(result, "retention.ms").synonyms()).isEmpty();
    }

    @Test
    void shouldOnlyDescribeTheKeysAskedForLeavingOutUnknownOnes() {
        harness = MetadataHarness.open(dir);
        createTopic("orders", Map.of());

        DescribeConfigsResult result = describe(ConfigResource.Type.TOPIC, "orders",
                List.of("retention.ms", "nosuch.key"), false, false, LATEST);

        assertThat(result.configs()).extracting(DescribeConfigsResourceResult::name).containsExactly("retention.ms");
    }

    @Test
    void shouldIncludeDocumentationWhenAsked() {
        harness = MetadataHarness.open(dir);
        createTopic("orders", Map.of());

        DescribeConfigsResult result = describe(ConfigResource.Type.TOPIC, "orders", List.of("retention.ms"), false, true, LATEST);

        assertThat(entry(result, "retention.ms").documentation()).isNotBlank();
    }

    @Test
    void shouldAnswerUnknownTopic() {
        harness = MetadataHarness.open(dir);

        DescribeConfigsResult result = describe(ConfigResource.Type.TOPIC, "nosuch", null, false, false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(result.configs()).isEmpty();
    }

    @Test
    void shouldAnswerInvalidTopicForAnIllegalName() {
        harness = MetadataHarness.open(dir);

        DescribeConfigsResult result = describe(ConfigResource.Type.TOPIC, "a b", null, false, false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
    }

    @Test
    void shouldDescribeThisBrokerWithGivenKeysAsStaticAndTheRestAsDefaults() {
        harness = MetadataHarness.open(dir, Map.of("num.partitions", "3"));

        DescribeConfigsResult result = describe(ConfigResource.Type.BROKER, "1", null, true, false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        DescribeConfigsResourceResult partitions = entry(result, "num.partitions");
        assertThat(partitions.value()).isEqualTo("3");
        assertThat(partitions.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
        assertThat(partitions.configType()).isEqualTo(ConfigType.INT.id());
        assertThat(partitions.synonyms())
                .extracting(DescribeConfigsSynonym::value, DescribeConfigsSynonym::source)
                .containsExactly(tuple("3", ConfigSource.STATIC_BROKER_CONFIG.id()), tuple("1", ConfigSource.DEFAULT_CONFIG.id()));
        DescribeConfigsResourceResult maxBytes = entry(result, "message.max.bytes");
        assertThat(maxBytes.value()).isEqualTo("1048588");
        assertThat(maxBytes.configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
        assertThat(entry(result, "log.retention.ms").value()).isNull();
        assertThat(entry(result, "log.retention.ms").synonyms()).isEmpty();
    }

    @Test
    void shouldDescribeOnlyTheClusterWideMinInsyncReplicasOfANewClusterForTheEmptyBrokerName() {
        // a Kafka 4.x cluster with eligible leader replicas starts with min.insync.replicas cluster-wide, nothing else
        harness = MetadataHarness.open(dir);

        DescribeConfigsResult result = describe(ConfigResource.Type.BROKER, "", null, false, false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.configs()).extracting(c -> c.name(), c -> c.value(), c -> c.configSource())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("min.insync.replicas", "1",
                        org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id()));
    }

    @Test
    void shouldRefuseAnotherBrokersId() {
        harness = MetadataHarness.open(dir);

        DescribeConfigsResult result = describe(ConfigResource.Type.BROKER, "7", null, false, false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(result.errorMessage()).isEqualTo("Unexpected broker id, expected 1 or empty string, but received 7");
    }

    @Test
    void shouldRefuseABrokerNameThatIsNotANumber() {
        harness = MetadataHarness.open(dir);

        DescribeConfigsResult result = describe(ConfigResource.Type.BROKER, "x", null, false, false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(result.errorMessage()).isEqualTo("Broker id must be an integer, but it is: x");
    }

    @Test
    void shouldDescribeGroupConfigsFromTheBrokersGroupSettings() {
        harness = MetadataHarness.open(dir, Map.of("group.consumer.session.timeout.ms", "50000"));

        DescribeConfigsResult result = describe(ConfigResource.Type.GROUP, "any-group", null, true, false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        DescribeConfigsResourceResult session = entry(result, "consumer.session.timeout.ms");
        assertThat(session.value()).isEqualTo("50000");
        assertThat(session.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
        assertThat(session.synonyms()).extracting(DescribeConfigsSynonym::name)
                .containsExactly("group.consumer.session.timeout.ms");
        DescribeConfigsResourceResult heartbeat = entry(result, "consumer.heartbeat.interval.ms");
        assertThat(heartbeat.value()).isEqualTo("5000");
        assertThat(heartbeat.configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
    }

    @Test
    void shouldRefuseAnEmptyGroupName() {
        harness = MetadataHarness.open(dir);

        DescribeConfigsResult result = describe(ConfigResource.Type.GROUP, "", null, false, false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(result.errorMessage()).isEqualTo("Group name must not be empty");
    }

    @Test
    void shouldListNoLoggerWithoutALoggingBackendToControl() {
        harness = MetadataHarness.open(dir);   // BrokerLoggers.NONE, as Kafka's no-op controller without log4j

        DescribeConfigsResult result = describe(ConfigResource.Type.BROKER_LOGGER, "1", null, false, false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.configs()).isEmpty();
    }

    @Test
    void shouldAnswerEveryVersionTheMessageClassesDefine() {
        harness = MetadataHarness.open(dir);
        createTopic("orders", Map.of("retention.ms", "1000"));

        for (short version = ApiKeys.DESCRIBE_CONFIGS.oldestVersion(); version <= LATEST; version++) {
            DescribeConfigsResult result = describe(ConfigResource.Type.TOPIC, "orders", null, true, version >= 3, version);

            assertThat(result.errorCode()).as("v%d", version).isEqualTo(Errors.NONE.code());
            assertThat(entry(result, "retention.ms").value()).as("v%d", version).isEqualTo("1000");
            String documentation = entry(result, "retention.ms").documentation();
            assertThat(documentation != null && !documentation.isEmpty()).as("v%d docs", version).isEqualTo(version >= 3);
        }
    }
}

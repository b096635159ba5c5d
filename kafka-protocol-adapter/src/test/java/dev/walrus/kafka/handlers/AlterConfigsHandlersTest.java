package dev.walrus.kafka.handlers;

import dev.walrus.engine.FsyncSchedule;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** IncrementalAlterConfigs and the older AlterConfigs on topic overrides, at every version, and across a restart. */
class AlterConfigsHandlersTest {

    private static final byte SET = 0;
    private static final byte DELETE = 1;
    private static final byte APPEND = 2;

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        broker.createTopic("t", 1, Map.of("retention.bytes", "4096"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1})
    void shouldChangeOverridesIncrementallyAtEveryVersion(short version) {
        AlterConfigsResourceResponse response = incremental(version, ConfigResource.Type.TOPIC, "t",
                config("retention.ms", "1000", SET), config("retention.bytes", null, DELETE),
                config("cleanup.policy", "compact", APPEND));

        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.resourceName()).isEqualTo("t");
        assertThat(overrides()).containsExactlyInAnyOrderEntriesOf(
                Map.of("retention.ms", "1000", "cleanup.policy", "delete,compact"));
    }

    @Test
    void shouldKeepAChangeAcrossARestart() {
        incremental((short) 1, ConfigResource.Type.TOPIC, "t", config("retention.ms", "1000", SET));

        broker.restart();

        assertThat(overrides()).containsEntry("retention.ms", "1000").containsEntry("retention.bytes", "4096");
    }

    @Test
    void removingAFlushOverrideShouldGiveThePartitionTheEnginesDefaultScheduleBack() {
        TopicInfo flushed = broker.createTopic("flushed", 1, Map.of("flush.messages", "1"));
        String engineTopic = flushed.engineTopic(0);
        broker.send(ApiKeys.PRODUCE, (short) 12, Requests.produce("flushed", 0, Batches.of("x"), (short) 1)); // opens it
        assertThat(broker.engine().topicSettings(engineTopic).fsync()).isEqualTo(FsyncSchedule.syncEach());

        incremental((short) 1, ConfigResource.Type.TOPIC, "flushed", config("flush.messages", null, DELETE));

        assertThat(broker.engine().topicSettings(engineTopic)).isEqualTo(broker.engine().defaultTopicSettings());
    }

    @Test
    void shouldNotChangeAnythingWhenOneOperationFails() {
        AlterConfigsResourceResponse response = incremental((short) 1, ConfigResource.Type.TOPIC, "t",
                config("retention.ms", "1000", SET), config("segment.bytes", "not-a-number", SET));

        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(overrides()).containsExactlyInAnyOrderEntriesOf(Map.of("retention.bytes", "4096"));
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2})
    void theOlderAlterConfigsShouldReplaceEveryOverride(short version) {
        AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("t");
        resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("5000"));
        AlterConfigsRequestData.AlterConfigsResourceCollection resources = new AlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(resource);
        AlterConfigsResponse response = broker.send(ApiKeys.ALTER_CONFIGS, version,
                new AlterConfigsRequestData().setResources(resources));

        AlterConfigsResponseData.AlterConfigsResourceResponse result = response.data().responses().getFirst();
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(overrides()).containsExactlyInAnyOrderEntriesOf(Map.of("retention.ms", "5000"));
    }

    private static IncrementalAlterConfigsRequestData.AlterableConfig config(String name, String value, byte operation) {
        return Requests.alterableConfig(name, value, operation);
    }

    private AlterConfigsResourceResponse incremental(short version, ConfigResource.Type type, String name,
                                                     IncrementalAlterConfigsRequestData.AlterableConfig... configs) {
        IncrementalAlterConfigsResponse response = broker.send(ApiKeys.INCREMENTAL_ALTER_CONFIGS, version,
                Requests.incrementalAlterConfigs(type, name, configs));
        return response.data().responses().getFirst();
    }

    /** The topic's overrides as DescribeConfigs reports them (source TOPIC_CONFIG). */
    private Map<String, String> overrides() {
        DescribeConfigsResponse response = broker.send(ApiKeys.DESCRIBE_CONFIGS, ApiKeys.DESCRIBE_CONFIGS.latestVersion(),
                new DescribeConfigsRequestData().setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("t").setConfigurationKeys(null))));
        DescribeConfigsResult result = response.data().results().getFirst();
        java.util.Map<String, String> overrides = new java.util.HashMap<>();
        result.configs().stream()
                .filter(c -> c.configSource() == org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id())
                .forEach(c -> overrides.put(c.name(), c.value()));
        return overrides;
    }
}

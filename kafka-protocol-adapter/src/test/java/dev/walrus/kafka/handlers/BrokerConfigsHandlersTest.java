package dev.walrus.kafka.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Requests;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic broker configs at the protocol level: what the admin client cannot send (another broker's id, a name that
 * is not a number) or what only this broker can show (a restart, the listeners, the older AlterConfigs replacing a
 * resource's whole set). The rest runs against Kafka too, in the compatibility suite's {@code AdminBrokerConfigsTest}.
 */
class BrokerConfigsHandlersTest {

    private static final byte SET = 0;
    private static final byte DELETE = 1;

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        broker.createTopic("t", 1);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void dynamicConfigsShouldSurviveARestartAndKeepTheirSources() {
        assertThat(incremental("", config("log.retention.ms", "5000", SET)).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(incremental("1", config("log.retention.ms", "7000", SET)).errorCode()).isEqualTo(Errors.NONE.code());

        broker.restart();

        DescribeConfigsResourceResult onBroker = describe(ConfigResource.Type.BROKER, "1", "log.retention.ms");
        assertThat(onBroker.value()).isEqualTo("7000");
        assertThat(onBroker.configSource()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG.id());
        assertThat(onBroker.synonyms()).extracting(s -> s.value() + "/" + s.source()).containsExactly(
                "7000/" + ConfigSource.DYNAMIC_BROKER_CONFIG.id(), "5000/" + ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id(),
                "168/" + ConfigSource.DEFAULT_CONFIG.id());
        DescribeConfigsResourceResult onTopic = describe(ConfigResource.Type.TOPIC, "t", "retention.ms");
        assertThat(onTopic.value()).isEqualTo("7000");
        assertThat(onTopic.configSource()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG.id());
    }

    @Test
    void theResourceNameShouldBeThisBrokersIdOrEmpty() {
        AlterConfigsResourceResponse other = incremental("2", config("log.retention.ms", "5000", SET));
        assertThat(other.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(other.errorMessage()).isEqualTo("Unexpected broker id, expected 1, but received 2");

        AlterConfigsResourceResponse notANumber = incremental("one", config("log.retention.ms", "5000", SET));
        assertThat(notANumber.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(notANumber.errorMessage()).isEqualTo("Node id must be an integer, but it is: one");
    }

    @Test
    void anOperationCodeTheProtocolDoesNotDefineShouldBeRefusedWithKafkasMessage() {
        AlterConfigsResourceResponse response = incremental("", config("log.retention.ms", "5000", (byte) 7));

        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(response.errorMessage()).isEqualTo("Unknown operations type 7");
        assertThat(clusterDefaults()).isEqualTo(NEW_CLUSTER_DEFAULTS);
    }

    @Test
    void shouldKeepMinInsyncReplicasClusterWideAsAKafkaClusterWithElrDoes() {
        assertThat(clusterDefaults()).containsEntry("min.insync.replicas", "1");
        assertThat(describe(ConfigResource.Type.BROKER, "", "min.insync.replicas").configSource())
                .isEqualTo(org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id());

        AlterConfigsResourceResponse removal = incremental("", config("min.insync.replicas", null, (byte) 1));
        assertThat(removal.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(removal.errorMessage()).isEqualTo("Cluster-level min.insync.replicas cannot be removed while ELR is enabled.");
        assertThat(clusterDefaults()).containsEntry("min.insync.replicas", "1");
    }

    @Test
    void listenersAndABrokerLevelMinInsyncReplicasShouldBeRefused() {
        AlterConfigsResourceResponse listeners = incremental("1", config("listeners", "PLAINTEXT://localhost:9999", SET));
        assertThat(listeners.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(listeners.errorMessage()).contains("does not change its listeners at runtime");

        AlterConfigsResourceResponse minIsr = incremental("1", config("min.insync.replicas", "1", SET));
        assertThat(minIsr.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(minIsr.errorMessage()).isEqualTo("Broker-level min.insync.replicas cannot be altered while ELR is enabled.");

        assertThat(describe(ConfigResource.Type.BROKER, "1", "listeners").readOnly()).isTrue();
        assertThat(describe(ConfigResource.Type.BROKER, "1", "log.retention.ms").readOnly()).isFalse();
        assertThat(describe(ConfigResource.Type.BROKER, "1", "num.partitions").readOnly()).isTrue();
    }

    @Test
    void theOlderAlterConfigsShouldReplaceTheResourcesWholeSet() {
        incremental("", config("log.retention.ms", "5000", SET), config("log.segment.bytes", "2000000", SET));

        // the whole set must keep the cluster-wide min.insync.replicas (ELR), as on Kafka
        AlterConfigsResponseData.AlterConfigsResourceResponse refused = legacy("", Map.of("log.retention.bytes", "1000000"));
        assertThat(refused.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        AlterConfigsResponseData.AlterConfigsResourceResponse result = legacy("",
                Map.of("log.retention.bytes", "1000000", "min.insync.replicas", "1"));

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(clusterDefaults()).containsExactlyInAnyOrderEntriesOf(
                Map.of("log.retention.bytes", "1000000", "min.insync.replicas", "1"));
        assertThat(incremental("", config("log.retention.bytes", null, DELETE)).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(clusterDefaults()).isEqualTo(NEW_CLUSTER_DEFAULTS);
    }

    /** What a new cluster's cluster-wide dynamic configs are: Kafka's ELR min.insync.replicas. */
    private static final Map<String, String> NEW_CLUSTER_DEFAULTS = Map.of("min.insync.replicas", "1");

    private static IncrementalAlterConfigsRequestData.AlterableConfig config(String name, String value, byte operation) {
        return Requests.alterableConfig(name, value, operation);
    }

    private AlterConfigsResourceResponse incremental(String name, IncrementalAlterConfigsRequestData.AlterableConfig... configs) {
        IncrementalAlterConfigsResponse response = broker.send(ApiKeys.INCREMENTAL_ALTER_CONFIGS,
                ApiKeys.INCREMENTAL_ALTER_CONFIGS.latestVersion(),
                Requests.incrementalAlterConfigs(ConfigResource.Type.BROKER, name, configs));
        return response.data().responses().getFirst();
    }

    private AlterConfigsResponseData.AlterConfigsResourceResponse legacy(String name, Map<String, String> configs) {
        AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName(name);
        configs.forEach((k, v) -> resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName(k).setValue(v)));
        AlterConfigsRequestData.AlterConfigsResourceCollection resources = new AlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(resource);
        AlterConfigsResponse response = broker.send(ApiKeys.ALTER_CONFIGS, ApiKeys.ALTER_CONFIGS.latestVersion(),
                new AlterConfigsRequestData().setResources(resources));
        return response.data().responses().getFirst();
    }

    private List<DescribeConfigsResourceResult> describeAll(ConfigResource.Type type, String name, List<String> keys) {
        DescribeConfigsResponse response = broker.send(ApiKeys.DESCRIBE_CONFIGS, ApiKeys.DESCRIBE_CONFIGS.latestVersion(),
                new DescribeConfigsRequestData().setIncludeSynonyms(true).setResources(List.of(
                        new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(type.id())
                                .setResourceName(name).setConfigurationKeys(keys))));
        assertThat(response.data().results().getFirst().errorCode()).isEqualTo(Errors.NONE.code());
        return response.data().results().getFirst().configs();
    }

    private DescribeConfigsResourceResult describe(ConfigResource.Type type, String name, String key) {
        return describeAll(type, name, List.of(key)).getFirst();
    }

    private Map<String, String> clusterDefaults() {
        Map<String, String> values = new HashMap<>();
        describeAll(ConfigResource.Type.BROKER, "", null).forEach(c -> values.put(c.name(), c.value()));
        return values;
    }
}

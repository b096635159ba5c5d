package dev.walrus.kafka.handlers;

import dev.walrus.kafka.authz.Authorizer;
import dev.walrus.kafka.config.BrokerLoggers;
import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The BROKER_LOGGER resource (KIP-412) through DescribeConfigs and IncrementalAlterConfigs, with Kafka's checks and
 * messages; the loggers are a table standing in for the broker's logging backend (the broker's own tests and the
 * compat tests run the real one).
 */
class BrokerLoggerConfigsTest {

    private static final byte SET = 0;
    private static final byte DELETE = 1;
    private static final byte APPEND = 2;
    private static final byte SUBTRACT = 3;
    private static final String NODE = "1";   // the adapter's default node.id

    @TempDir
    Path dir;
    private final TableLoggers loggers = new TableLoggers();
    private AdapterHarness broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void describeShouldListEveryLoggerWithItsLevelAsKafkaDoes() {
        broker = new AdapterHarness(dir, Map.of(), loggers);

        DescribeConfigsResult result = describe(NODE);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.configs()).extracting(DescribeConfigsResourceResult::name, DescribeConfigsResourceResult::value)
                .containsExactlyInAnyOrder(tuple("root", "INFO"), tuple("dev.walrus", "INFO"),
                        tuple("io.netty", "WARN"));
        DescribeConfigsResourceResult entry = result.configs().getFirst();
        assertThat(entry.configSource()).isEqualTo(DescribeConfigsResponse.ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG.id());
        assertThat(entry.readOnly()).isFalse();
        assertThat(entry.isSensitive()).isFalse();
        assertThat(entry.synonyms()).isEmpty();
    }

    @Test
    void describeShouldKeepOnlyTheRequestedLoggers() {
        broker = new AdapterHarness(dir, Map.of(), loggers);

        DescribeConfigsResult result = describe(NODE, "io.netty", "no.such.logger");

        assertThat(result.configs()).extracting(DescribeConfigsResourceResult::name).containsExactly("io.netty");
    }

    @Test
    void describeShouldRefuseAnotherNodeOrNoNodeWithKafkasMessages() {
        broker = new AdapterHarness(dir, Map.of(), loggers);

        assertThat(List.of(describe(""), describe("x"), describe("7")))
                .extracting(r -> Errors.forCode(r.errorCode()), DescribeConfigsResult::errorMessage)
                .containsExactly(tuple(Errors.INVALID_REQUEST, "Broker id must not be empty"),
                        tuple(Errors.INVALID_REQUEST, "Broker id must be an integer, but it is: x"),
                        tuple(Errors.INVALID_REQUEST, "Unexpected broker id, expected 1 but received 7"));
    }

    @Test
    void setAndDeleteShouldChangeTheLevelsAtOnce() {
        broker = new AdapterHarness(dir, Map.of(), loggers);

        AlterConfigsResourceResponse set = alter(false, NODE, op("dev.walrus", "DEBUG", SET), op("root", "WARN", SET));

        assertThat(set.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(loggers.levels()).containsEntry("dev.walrus", "DEBUG").containsEntry("root", "WARN");

        AlterConfigsResourceResponse deleted = alter(false, NODE, op("dev.walrus", null, DELETE));

        assertThat(deleted.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(loggers.levels()).containsEntry("dev.walrus", "WARN");   // the root's again
    }

    @Test
    void validateOnlyShouldCheckWithoutChanging() {
        broker = new AdapterHarness(dir, Map.of(), loggers);

        AlterConfigsResourceResponse valid = alter(true, NODE, op("dev.walrus", "TRACE", SET));
        AlterConfigsResourceResponse invalid = alter(true, NODE, op("dev.walrus", "LOUD", SET));

        assertThat(valid.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(invalid.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(loggers.levels()).containsEntry("dev.walrus", "INFO");
    }

    @Test
    void shouldRefuseWhatKafkaRefusesWithItsMessagesAndChangeNothing() {
        broker = new AdapterHarness(dir, Map.of(), loggers);

        assertThat(List.of(
                alter(false, NODE, op("dev.walrus", "DEBUG", SET), op("dev.walrus.nope", "DEBUG", SET)),
                alter(false, NODE, op("dev.walrus", "debug", SET)),
                alter(false, NODE, op("root", null, DELETE)),
                alter(false, NODE, op("dev.walrus.nope", null, DELETE)),
                alter(false, NODE, op("dev.walrus", "DEBUG", APPEND)),
                alter(false, NODE, op("dev.walrus", "DEBUG", SUBTRACT)),
                alter(false, NODE, op("dev.walrus", "DEBUG", (byte) 9)),
                alter(false, "x", op("dev.walrus", "DEBUG", SET)),
                alter(false, "7", op("dev.walrus", "DEBUG", SET)),
                alter(false, NODE, op("dev.walrus", null, SET)),
                alter(false, NODE, op("dev.walrus", "DEBUG", SET), op("dev.walrus", "INFO", SET))))
                .extracting(r -> Errors.forCode(r.errorCode()), AlterConfigsResourceResponse::errorMessage)
                .containsExactly(
                        tuple(Errors.INVALID_CONFIG, "Logger dev.walrus.nope does not exist!"),
                        tuple(Errors.INVALID_CONFIG, "Cannot set the log level of dev.walrus to debug as it is not a "
                                + "supported log level. Valid log levels are DEBUG, ERROR, FATAL, INFO, TRACE, WARN"),
                        tuple(Errors.INVALID_REQUEST, "Removing the log level of the root logger is not allowed"),
                        tuple(Errors.INVALID_CONFIG, "Logger dev.walrus.nope does not exist!"),
                        tuple(Errors.INVALID_REQUEST, "APPEND operation is not allowed for the BROKER_LOGGER resource"),
                        tuple(Errors.INVALID_REQUEST, "SUBTRACT operation is not allowed for the BROKER_LOGGER resource"),
                        tuple(Errors.INVALID_REQUEST, "Unknown operation type 9 is not allowed for the BROKER_LOGGER "
                                + "resource"),
                        tuple(Errors.INVALID_REQUEST, "Node id must be an integer, but it is: x"),
                        tuple(Errors.INVALID_REQUEST, "Unexpected node id. Expected 1, but received 7"),
                        tuple(Errors.INVALID_REQUEST, "Null value not supported for : dev.walrus"),
                        tuple(Errors.INVALID_REQUEST, "Error due to duplicate config keys"));
        assertThat(loggers.levels()).containsEntry("dev.walrus", "INFO");   // the first request's valid SET too
    }

    @Test
    void withoutALoggingBackendNoLoggerExists() {
        broker = new AdapterHarness(dir, Map.of(), BrokerLoggers.NONE);

        AlterConfigsResourceResponse response = alter(false, NODE, op("root", "DEBUG", SET));

        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(response.errorMessage()).isEqualTo("Logger root does not exist!");
    }

    @Test
    void shouldNeedClusterPermissionsToDescribeOrAlter() {
        broker = new AdapterHarness(dir, Map.of("authorizer.class.name", Authorizer.STANDARD_AUTHORIZER,
                "super.users", "User:admin"), loggers);
        broker.actAs("alice");

        DescribeConfigsResult described = describe(NODE);
        AlterConfigsResourceResponse altered = alter(false, NODE, op("dev.walrus", "DEBUG", SET));
        AlterConfigsResourceResponse malformed = alter(false, NODE, op("dev.walrus", null, SET));

        assertThat(described.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(described.configs()).isEmpty();
        assertThat(altered.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(altered.errorMessage()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.message());
        // as on Kafka, a malformed request is refused as such before the permission is checked
        assertThat(malformed.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(loggers.levels()).containsEntry("dev.walrus", "INFO");

        broker.actAs("admin");
        assertThat(alter(false, NODE, op("dev.walrus", "DEBUG", SET)).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(describe(NODE).configs()).extracting(DescribeConfigsResourceResult::name, DescribeConfigsResourceResult::value)
                .contains(tuple("dev.walrus", "DEBUG"));
    }

    private DescribeConfigsResult describe(String node, String... keys) {
        DescribeConfigsRequestData.DescribeConfigsResource resource = new DescribeConfigsRequestData.DescribeConfigsResource()
                .setResourceType(ConfigResource.Type.BROKER_LOGGER.id()).setResourceName(node)
                .setConfigurationKeys(keys.length == 0 ? null : List.of(keys));
        DescribeConfigsResponse response = broker.send(ApiKeys.DESCRIBE_CONFIGS, ApiKeys.DESCRIBE_CONFIGS.latestVersion(),
                new DescribeConfigsRequestData().setResources(List.of(resource)));
        return response.data().results().getFirst();
    }

    private AlterConfigsResourceResponse alter(boolean validateOnly, String node, AlterableConfig... ops) {
        AlterConfigsResource resource = new AlterConfigsResource()
                .setResourceType(ConfigResource.Type.BROKER_LOGGER.id()).setResourceName(node);
        for (AlterableConfig op : ops) {
            resource.configs().add(op.duplicate());
        }
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData().setValidateOnly(validateOnly);
        request.resources().add(resource);
        IncrementalAlterConfigsResponse response = broker.send(ApiKeys.INCREMENTAL_ALTER_CONFIGS, (short) 1, request);
        return response.data().responses().getFirst();
    }

    private static AlterableConfig op(String logger, String level, byte operation) {
        return new AlterableConfig().setName(logger).setValue(level).setConfigOperation(operation);
    }

    /** Levels by logger name with inheritance by dotted prefix, as a logging backend keeps them. */
    private static final class TableLoggers implements BrokerLoggers {
        private final Map<String, String> own = new TreeMap<>(Map.of(ROOT, "INFO", "io.netty", "WARN"));
        private final List<String> names = List.of(ROOT, "dev.walrus", "io.netty");

        @Override
        public synchronized Map<String, String> levels() {
            Map<String, String> levels = new TreeMap<>();
            for (String name : names) {
                String level = null;
                for (String n = name; level == null; n = n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : ROOT) {
                    level = own.get(n);
                }
                levels.put(name, level);
            }
            return levels;
        }

        @Override
        public synchronized void set(String name, String level) {
            own.put(name, level);
        }

        @Override
        public synchronized void reset(String name) {
            own.remove(name);
        }
    }
}

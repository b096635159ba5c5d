package dev.walrus.compat.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.RawKafkaConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The BROKER_LOGGER config resource (KIP-412): a broker's loggers and their levels, described and changed at runtime
 * with the Admin client and {@code kafka-configs --entity-type broker-loggers}, validate-only, Kafka's refusals and
 * messages, no change kept across a restart, the legacy AlterConfigs refusing the resource; on our broker, a DEBUG
 * line in its output right after the level is set.
 *
 * <p>Logger names are the broker's classes: {@code dev.walrus.kafka} on ours; on Kafka, a logger its log4j lists
 * (run from these jars without a log4j configuration, it lists few).
 */
class BrokerLoggersTest extends OwnBrokerTest {

    private static final String ROOT = "root";

    @Test
    void describeListsTheRootAndALevelSetOrRemovedShowsAtOnce() throws Exception {
        broker = ChildBroker.forCurrentTarget("loggers-admin").start();
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            ConfigResource loggers = loggersOf(admin);
            Map<String, String> before = levels(admin, loggers);
            assertThat(before).as("loggers").containsKey(ROOT);
            String logger = loggerToChange(before);
            Config described = admin.describeConfigs(List.of(loggers)).all().get(30, TimeUnit.SECONDS).get(loggers);
            ConfigEntry rootEntry = described.get(ROOT);
            assertThat(rootEntry.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG);
            assertThat(rootEntry.isReadOnly()).isFalse();
            assertThat(rootEntry.isSensitive()).isFalse();
            assertThat(rootEntry.synonyms()).isEmpty();

            alter(admin, loggers, new AlterConfigOp(new ConfigEntry(logger, "TRACE"), AlterConfigOp.OpType.SET));
            assertThat(levels(admin, loggers)).containsEntry(logger, "TRACE");

            alter(admin, loggers, new AlterConfigOp(new ConfigEntry(logger, null), AlterConfigOp.OpType.DELETE));
            assertThat(levels(admin, loggers)).as("back to the inherited level").containsEntry(logger, before.get(logger));

            String rootLevel = before.get(ROOT).equals("WARN") ? "ERROR" : "WARN";
            alter(admin, loggers, new AlterConfigOp(new ConfigEntry(ROOT, rootLevel), AlterConfigOp.OpType.SET));
            assertThat(levels(admin, loggers)).containsEntry(ROOT, rootLevel);
        }
    }

    @Test
    void validateOnlyChecksAndChangesNothing() throws Exception {
        broker = ChildBroker.forCurrentTarget("loggers-validate").start();
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            ConfigResource loggers = loggersOf(admin);
            Map<String, String> before = levels(admin, loggers);
            String logger = loggerToChange(before);

            admin.incrementalAlterConfigs(Map.of(loggers, List.of(new AlterConfigOp(new ConfigEntry(logger, "TRACE"),
                    AlterConfigOp.OpType.SET))), new AlterConfigsOptions().validateOnly(true)).all().get(30, TimeUnit.SECONDS);

            assertThat(levels(admin, loggers)).containsEntry(logger, before.get(logger));
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(loggers, List.of(new AlterConfigOp(
                    new ConfigEntry(logger, "LOUD"), AlterConfigOp.OpType.SET))), new AlterConfigsOptions().validateOnly(true))
                    .all().get(30, TimeUnit.SECONDS)).cause().isInstanceOf(InvalidConfigurationException.class);
        }
    }

    @Test
    void refusesWhatKafkaRefusesWithItsMessages() throws Exception {
        broker = ChildBroker.forCurrentTarget("loggers-refusals").start();
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            ConfigResource loggers = loggersOf(admin);
            String logger = loggerToChange(levels(admin, loggers));

            assertRefused(admin, loggers, new AlterConfigOp(new ConfigEntry(logger, "LOUD"), AlterConfigOp.OpType.SET),
                    InvalidConfigurationException.class, "Cannot set the log level of " + logger + " to LOUD as it is "
                            + "not a supported log level. Valid log levels are DEBUG, ERROR, FATAL, INFO, TRACE, WARN");
            assertRefused(admin, loggers, new AlterConfigOp(new ConfigEntry(logger, "debug"), AlterConfigOp.OpType.SET),
                    InvalidConfigurationException.class, "Cannot set the log level of " + logger + " to debug as it is "
                            + "not a supported log level. Valid log levels are DEBUG, ERROR, FATAL, INFO, TRACE, WARN");
            assertRefused(admin, loggers, new AlterConfigOp(new ConfigEntry("no.such.logger", "DEBUG"),
                    AlterConfigOp.OpType.SET), InvalidConfigurationException.class, "Logger no.such.logger does not exist!");
            assertRefused(admin, loggers, new AlterConfigOp(new ConfigEntry(ROOT, null), AlterConfigOp.OpType.DELETE),
                    InvalidRequestException.class, "Removing the log level of the root logger is not allowed");
            assertRefused(admin, loggers, new AlterConfigOp(new ConfigEntry(logger, "DEBUG"), AlterConfigOp.OpType.APPEND),
                    InvalidRequestException.class, "APPEND operation is not allowed for the BROKER_LOGGER resource");
            assertRefused(admin, loggers, new AlterConfigOp(new ConfigEntry(logger, "DEBUG"), AlterConfigOp.OpType.SUBTRACT),
                    InvalidRequestException.class, "SUBTRACT operation is not allowed for the BROKER_LOGGER resource");
        }
    }

    /**
     * Hand-made requests: the Admin client sends a node's resource to that node only, and no longer sends the legacy
     * AlterConfigs (removed in 4.0). Another node's id, or none, is refused; the legacy API knows no broker loggers.
     */
    @Test
    void anotherNodesLoggersAndTheLegacyAlterConfigsAreRefused() throws Exception {
        broker = ChildBroker.forCurrentTarget("loggers-raw").start();
        int node;
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            node = Integer.parseInt(loggersOf(admin).name());
        }
        String other = Integer.toString(node + 1);
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            DescribeConfigsRequestData describe = new DescribeConfigsRequestData();
            for (String name : List.of(other, "", "x")) {
                describe.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.BROKER_LOGGER.id()).setResourceName(name));
            }
            DescribeConfigsResponse described = connection.roundTrip(ApiKeys.DESCRIBE_CONFIGS, (short) 4, describe);
            assertThat(described.data().results())
                    .extracting(r -> Errors.forCode(r.errorCode()), DescribeConfigsResponseData.DescribeConfigsResult::errorMessage)
                    .containsExactly(
                            tuple(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + node + " but received " + other),
                            tuple(Errors.INVALID_REQUEST, "Broker id must not be empty"),
                            tuple(Errors.INVALID_REQUEST, "Broker id must be an integer, but it is: x"));

            IncrementalAlterConfigsRequestData alter = new IncrementalAlterConfigsRequestData();
            for (String name : List.of(other, "x")) {
                IncrementalAlterConfigsRequestData.AlterConfigsResource resource =
                        new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                                .setResourceType(ConfigResource.Type.BROKER_LOGGER.id()).setResourceName(name);
                resource.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName(ROOT)
                        .setValue("DEBUG").setConfigOperation(AlterConfigOp.OpType.SET.id()));
                alter.resources().add(resource);
            }
            IncrementalAlterConfigsResponse altered = connection.roundTrip(ApiKeys.INCREMENTAL_ALTER_CONFIGS, (short) 1,
                    alter);
            assertThat(altered.data().responses())
                    .extracting(r -> Errors.forCode(r.errorCode()), r -> r.errorMessage())
                    .containsExactly(
                            tuple(Errors.INVALID_REQUEST, "Unexpected node id. Expected " + node + ", but received " + other),
                            tuple(Errors.INVALID_REQUEST, "Node id must be an integer, but it is: x"));

            AlterConfigsRequestData.AlterConfigsResource legacy = new AlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType(ConfigResource.Type.BROKER_LOGGER.id()).setResourceName(Integer.toString(node));
            legacy.configs().add(new AlterConfigsRequestData.AlterableConfig().setName(ROOT).setValue("DEBUG"));
            AlterConfigsRequestData legacyRequest = new AlterConfigsRequestData();
            legacyRequest.resources().add(legacy);
            AlterConfigsResponse refused = connection.roundTrip(ApiKeys.ALTER_CONFIGS, (short) 2, legacyRequest);
            assertThat(refused.data().responses())
                    .extracting(r -> Errors.forCode(r.errorCode()), r -> r.errorMessage())
                    .containsExactly(tuple(Errors.INVALID_REQUEST, "Unknown resource type 8"));
        }
    }

    @Test
    void kafkaConfigsDescribesAddsAndDeletesALoggersLevel() throws Exception {
        broker = ChildBroker.forCurrentTarget("loggers-cli").start();
        String node;
        String logger;
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            ConfigResource loggers = loggersOf(admin);
            node = loggers.name();
            logger = loggerToChange(levels(admin, loggers));
        }

        CommandResult added = configs("--alter", "--entity-name", node, "--add-config", logger + "=DEBUG");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.stdout()).contains("Completed updating config for broker-logger " + node + ".");

        CommandResult described = configs("--describe", "--entity-name", node);
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.stdout()).contains("Dynamic configs for broker-logger " + node + " are:")
                .contains("  " + logger + "=DEBUG sensitive=false synonyms={}")
                .containsPattern("  root=[A-Z]+ sensitive=false synonyms=\\{\\}");

        CommandResult deleted = configs("--alter", "--entity-name", node, "--delete-config", logger);
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.stdout()).contains("Completed updating config for broker-logger " + node + ".");
        assertThat(configs("--describe", "--entity-name", node).stdout()).doesNotContain(logger + "=DEBUG");

        CommandResult refused = configs("--alter", "--entity-name", node, "--add-config", logger + "=LOUD");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stdout() + refused.stderr()).contains("Cannot set the log level of " + logger + " to LOUD");
    }

    @Test
    void aLevelSetAtRuntimeIsNotKeptAcrossARestart() throws Exception {
        broker = ChildBroker.forCurrentTarget("loggers-restart").start();
        Map<String, String> before;
        String logger;
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            ConfigResource loggers = loggersOf(admin);
            before = levels(admin, loggers);
            logger = loggerToChange(before);
            alter(admin, loggers, new AlterConfigOp(new ConfigEntry(logger, "TRACE"), AlterConfigOp.OpType.SET));
            assertThat(levels(admin, loggers)).containsEntry(logger, "TRACE");
        }

        broker.restart();

        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            assertThat(levels(admin, loggersOf(admin))).containsEntry(logger, before.get(logger));
        }
    }

    /**
     * Our broker only: its log is its standard output (Kafka, run from these jars, logs through slf4j while its
     * BROKER_LOGGER resource changes log4j's levels). A consumer joining a group of the consumer protocol makes the
     * group coordinator log the group's target assignment at DEBUG: absent at the launch level, there once
     * {@code dev.walrus.kafka} is at DEBUG, and gone again once that level is removed.
     */
    @Test
    void aDebugLevelSetOnOurBrokerShowsInItsOutputAtOnce() throws Exception {
        broker = ChildBroker.forCurrentTarget("loggers-output");
        Assumptions.assumeTrue(broker.kind() == ChildBroker.Kind.WALRUS, "our broker's own log output");
        broker.start();
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("logged", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            ConfigResource loggers = loggersOf(admin);

            joinGroup("quiet-group");
            assertThat(debugLines()).isEmpty();

            CommandResult added = configs("--alter", "--entity-name", loggers.name(), "--add-config",
                    "dev.walrus.kafka=DEBUG");
            assertThat(added.exitCode()).as(added.toString()).isZero();
            joinGroup("loud-group");
            assertThat(debugLines()).anyMatch(line -> line.contains("[DEBUG] ConsumerGroupProtocol - group loud-group"));

            CommandResult deleted = configs("--alter", "--entity-name", loggers.name(), "--delete-config",
                    "dev.walrus.kafka");
            assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
            long seen = debugLines().size();
            joinGroup("quiet-again-group");
            assertThat(debugLines()).hasSize((int) seen);
        }
    }

    private void joinGroup(String group) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of(
                "group.id", group, "group.protocol", "consumer", "auto.offset.reset", "earliest"))) {
            consumer.subscribe(List.of("logged"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(java.time.Duration.ofMillis(100));
            }
            assertThat(consumer.assignment()).as("assigned in group " + group).isNotEmpty();
        }
    }

    private List<String> debugLines() throws Exception {
        return Files.readAllLines(broker.logFile(), StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains(" [DEBUG] ")).toList();
    }

    private CommandResult configs(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--bootstrap-server", broker.bootstrapServers(),
                "--entity-type", "broker-loggers"));
        all.addAll(List.of(args));
        return KafkaCli.run(KafkaCli.CONFIGS, all.toArray(String[]::new));
    }

    /** A logger to change: ours has {@code dev.walrus.kafka}; on Kafka, the first its log4j lists besides root. */
    private String loggerToChange(Map<String, String> levels) {
        if (broker.kind() == ChildBroker.Kind.WALRUS) {
            assertThat(levels).containsKey("dev.walrus.kafka");
            return "dev.walrus.kafka";
        }
        return levels.keySet().stream().filter(name -> !name.equals(ROOT)).sorted().findFirst()
                .orElseThrow(() -> new AssertionError("no logger but root: " + levels));
    }

    private static ConfigResource loggersOf(Admin admin) throws Exception {
        int node = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();
        return new ConfigResource(ConfigResource.Type.BROKER_LOGGER, Integer.toString(node));
    }

    private static Map<String, String> levels(Admin admin, ConfigResource loggers) throws Exception {
        return admin.describeConfigs(List.of(loggers)).all().get(30, TimeUnit.SECONDS).get(loggers).entries().stream()
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
    }

    private static void alter(Admin admin, ConfigResource loggers, AlterConfigOp op) throws Exception {
        admin.incrementalAlterConfigs(Map.of(loggers, List.of(op))).all().get(30, TimeUnit.SECONDS);
    }

    private static void assertRefused(Admin admin, ConfigResource loggers, AlterConfigOp op,
                                      Class<? extends Throwable> error, String message) {
        assertThatThrownBy(() -> alter(admin, loggers, op)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(error).hasMessage(message);
    }
}

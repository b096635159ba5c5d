package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dynamic broker configs (KIP-226) through the admin client and {@code kafka-configs}: a cluster-wide default and a
 * value for this broker, each seen by describeConfigs with its source and synonyms on the broker and on a topic
 * without an override, applied to the data path at once, and Kafka's errors for changes it refuses. Every test puts
 * the broker's configs back as it found them: the broker is shared by the whole suite (and, against Kafka, keeps
 * them in its data directory).
 *
 * <p>Kafka applies a change when its broker reads the controller's record, a moment after answering, so each change
 * is followed by {@link #awaitValue}; Walrus applies it before answering.
 */
@ExtendWith(BrokerExtension.class)
class AdminBrokerConfigsTest {

    private static final ConfigResource CLUSTER_DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");

    private TargetBroker broker;
    private Admin admin;
    private ConfigResource thisBroker;

    @BeforeEach
    void connect(TargetBroker broker) throws Exception {
        this.broker = broker;
        admin = Clients.admin(broker.bootstrapServers());
        String nodeId = String.valueOf(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id());
        thisBroker = new ConfigResource(ConfigResource.Type.BROKER, nodeId);
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void shouldNotListKafkasInternalBrokerConfigs() throws Exception {
        // internal in Kafka's KafkaConfig (or, for the authorizer's keys, not defined by it): not described when unset
        List<String> names = describe(thisBroker).entries().stream().map(ConfigEntry::name).toList();
        assertThat(names).contains("group.streams.heartbeat.interval.ms", "group.streams.max.standby.replicas",
                "message.max.bytes");
        assertThat(names).doesNotContain("group.streams.task.offset.interval.ms", "group.streams.acceptable.recovery.lag",
                "group.streams.num.warmup.replicas", "group.streams.max.warmup.replicas",
                "group.streams.min.task.offset.interval.ms", "group.consumer.assignor.offload.enable",
                "group.streams.assignor.offload.enable", "producer.id.expiration.check.interval.ms", "super.users",
                "allow.everyone.if.no.acl.found");
    }

    @Test
    void aClusterDefaultShouldBeSeenOnTheBrokerAndOnATopicWithoutOverride() throws Exception {
        String topic = TestTopics.create(admin, TestTopics.unique("broker-default"), 1);
        ConfigResource topicResource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            alter(CLUSTER_DEFAULT, op("log.retention.ms", "123456789", AlterConfigOp.OpType.SET));

            ConfigEntry atDefault = awaitValue(CLUSTER_DEFAULT, "log.retention.ms", "123456789").get("log.retention.ms");
            assertThat(atDefault.value()).isEqualTo("123456789");
            assertThat(atDefault.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            assertThat(atDefault.synonyms()).extracting(ConfigEntry.ConfigSynonym::source)
                    .containsExactly(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);

            ConfigEntry onBroker = awaitValue(thisBroker, "log.retention.ms", "123456789").get("log.retention.ms");
            assertThat(onBroker.value()).isEqualTo("123456789");
            assertThat(onBroker.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            assertThat(onBroker.isReadOnly()).isFalse();

            ConfigEntry onTopic = awaitValue(topicResource, "retention.ms", "123456789").get("retention.ms");
            assertThat(onTopic.value()).isEqualTo("123456789");
            assertThat(onTopic.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            assertThat(onTopic.synonyms()).extracting(ConfigEntry.ConfigSynonym::name, ConfigEntry.ConfigSynonym::value,
                            ConfigEntry.ConfigSynonym::source)
                    .startsWith(org.assertj.core.groups.Tuple.tuple("log.retention.ms", "123456789",
                            ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG))
                    .contains(org.assertj.core.groups.Tuple.tuple("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG));
        } finally {
            alter(CLUSTER_DEFAULT, op("log.retention.ms", null, AlterConfigOp.OpType.DELETE));
        }
        assertThat(awaitValue(CLUSTER_DEFAULT, "log.retention.ms", null).get("log.retention.ms")).isNull();
        assertThat(awaitValue(topicResource, "retention.ms", "604800000").get("retention.ms").source())
                .isEqualTo(ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void aValueForThisBrokerShouldWinOverTheClusterDefault() throws Exception {
        try {
            alter(CLUSTER_DEFAULT, op("log.cleanup.policy", "compact", AlterConfigOp.OpType.APPEND));
            awaitValue(CLUSTER_DEFAULT, "log.cleanup.policy", "delete,compact");
            alter(thisBroker, op("log.cleanup.policy", "compact", AlterConfigOp.OpType.SET));

            ConfigEntry entry = awaitValue(thisBroker, "log.cleanup.policy", "compact").get("log.cleanup.policy");
            assertThat(entry.value()).isEqualTo("compact");
            assertThat(entry.source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
            assertThat(entry.synonyms()).extracting(ConfigEntry.ConfigSynonym::value, ConfigEntry.ConfigSynonym::source)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("compact", ConfigSource.DYNAMIC_BROKER_CONFIG),
                            // APPEND starts from Kafka's default, "delete"
                            org.assertj.core.groups.Tuple.tuple("delete,compact", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                            org.assertj.core.groups.Tuple.tuple("delete", ConfigSource.DEFAULT_CONFIG));
        } finally {
            alter(thisBroker, op("log.cleanup.policy", null, AlterConfigOp.OpType.DELETE));
            alter(CLUSTER_DEFAULT, op("log.cleanup.policy", null, AlterConfigOp.OpType.DELETE));
        }
        assertThat(awaitValue(thisBroker, "log.cleanup.policy", "delete").get("log.cleanup.policy").source())
                .isEqualTo(ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void aHigherMessageMaxBytesShouldAcceptALargerRecordAtOnce() throws Exception {
        String topic = TestTopics.create(admin, TestTopics.unique("broker-max-bytes"), 1);
        String large = "x".repeat(1_500_000);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                Map.of("max.request.size", 3_000_000))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, large)).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(RecordTooLargeException.class);
            try {
                alter(thisBroker, op("message.max.bytes", "2000000", AlterConfigOp.OpType.SET));
                assertThat(awaitValue(new ConfigResource(ConfigResource.Type.TOPIC, topic), "max.message.bytes", "2000000")
                        .get("max.message.bytes").source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);

                assertThat(producer.send(new ProducerRecord<>(topic, large)).get(30, TimeUnit.SECONDS).offset()).isZero();
            } finally {
                alter(thisBroker, op("message.max.bytes", null, AlterConfigOp.OpType.DELETE));
                awaitValue(thisBroker, "message.max.bytes", "1048588");
            }
        }
    }

    @Test
    void shouldRefuseChangesKafkaRefusesWithItsErrors() throws Exception {
        assertRefused(CLUSTER_DEFAULT, List.of(op("num.partitions", "3", AlterConfigOp.OpType.SET)),
                InvalidRequestException.class, "Cannot update these configs dynamically: [num.partitions]");
        assertRefused(thisBroker, List.of(op("log.retention.hours", "5", AlterConfigOp.OpType.SET)),
                InvalidRequestException.class, "Cannot update these configs dynamically: [log.retention.hours]");
        assertRefused(CLUSTER_DEFAULT, List.of(op("log.retention.ms", "abc", AlterConfigOp.OpType.SET)),
                InvalidRequestException.class,
                "Invalid value abc for configuration log.retention.ms: Not a number of type LONG");
        assertRefused(thisBroker, List.of(op("message.max.bytes", "-5", AlterConfigOp.OpType.SET)),
                InvalidRequestException.class, "Invalid value -5 for configuration message.max.bytes: Value must be at least 0");
        assertRefused(CLUSTER_DEFAULT, List.of(op("sasl.kerberos.service.name", "kafka", AlterConfigOp.OpType.SET)),
                InvalidRequestException.class,
                "Cannot update these configs at default cluster level, broker id must be specified: [sasl.kerberos.service.name]");
        assertRefused(CLUSTER_DEFAULT, List.of(op("log.retention.ms", "5", AlterConfigOp.OpType.APPEND)),
                InvalidConfigurationException.class, "Config value append is not allowed for config key: log.retention.ms");
        assertRefused(CLUSTER_DEFAULT, List.of(op("log.retention.ms", null, AlterConfigOp.OpType.SET)),
                InvalidRequestException.class, "Null value not supported for : log.retention.ms");
        assertRefused(CLUSTER_DEFAULT, List.of(op("log.retention.ms", "5", AlterConfigOp.OpType.SET),
                        op("log.retention.ms", "6", AlterConfigOp.OpType.SET)),
                InvalidRequestException.class, "Error due to duplicate config keys");
        // one refused key refuses the whole change
        assertRefused(CLUSTER_DEFAULT, List.of(op("log.retention.ms", "5", AlterConfigOp.OpType.SET),
                        op("num.partitions", "2", AlterConfigOp.OpType.SET)),
                InvalidRequestException.class, "Cannot update these configs dynamically: [num.partitions]");
        assertThat(describe(CLUSTER_DEFAULT).get("log.retention.ms")).isNull();
    }

    @Test
    void aValidateOnlyChangeShouldChangeNothing() throws Exception {
        admin.incrementalAlterConfigs(Map.of(CLUSTER_DEFAULT,
                        List.of(op("log.retention.ms", "777", AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all().get(30, TimeUnit.SECONDS);

        assertThat(describe(CLUSTER_DEFAULT).get("log.retention.ms")).isNull();
    }

    @Test
    void aKeyKafkaDoesNotKnowShouldBeKeptAndDescribedAsSensitive() throws Exception {
        try {
            alter(thisBroker, op("walrus.compat.custom.key", "secret", AlterConfigOp.OpType.SET));

            ConfigEntry entry = awaitListed(thisBroker, "walrus.compat.custom.key");
            assertThat(entry.value()).isNull();
            assertThat(entry.isSensitive()).isTrue();
            assertThat(entry.isReadOnly()).isTrue();
            assertThat(entry.source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
            assertThat(entry.type()).isEqualTo(ConfigEntry.ConfigType.UNKNOWN);
        } finally {
            alter(thisBroker, op("walrus.compat.custom.key", null, AlterConfigOp.OpType.DELETE));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (describe(thisBroker).get("walrus.compat.custom.key") != null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(describe(thisBroker).get("walrus.compat.custom.key")).isNull();
    }

    /** Waits (at most 15 s) until {@code name} is listed on {@code resource}; returns its entry (null if never). */
    private ConfigEntry awaitListed(ConfigResource resource, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        ConfigEntry entry = describe(resource).get(name);
        while (entry == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
            entry = describe(resource).get(name);
        }
        return entry;
    }

    @Test
    void kafkaConfigsShouldAddDescribeAndDeleteAClusterDefault() {
        try {
            CommandResult altered = configs("--entity-type", "brokers", "--entity-default", "--alter",
                    "--add-config", "log.segment.bytes=536870912");
            assertThat(altered.exitCode()).as(altered.toString()).isZero();
            assertThat(altered.stdoutLines()).contains("Completed updating default config for brokers in the cluster.");

            CommandResult described = configs("--entity-type", "brokers", "--entity-default", "--describe");
            assertThat(described.exitCode()).as(described.toString()).isZero();
            assertThat(described.stdoutLines()).contains("Default configs for brokers in the cluster are:");
            assertThat(described.stdoutLines()).anySatisfy(line -> assertThat(line.trim()).isEqualTo(
                    "log.segment.bytes=536870912 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.segment.bytes=536870912}"));

            CommandResult refused = configs("--entity-type", "brokers", "--entity-default", "--alter",
                    "--add-config", "auto.create.topics.enable=false");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.stdout() + refused.stderr())
                    .contains("Cannot update these configs dynamically: [auto.create.topics.enable]");
        } finally {
            CommandResult deleted = configs("--entity-type", "brokers", "--entity-default", "--alter",
                    "--delete-config", "log.segment.bytes");
            assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        }
    }

    private CommandResult configs(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-server";
        all[1] = broker.bootstrapServers();
        System.arraycopy(args, 0, all, 2, args.length);
        return KafkaCli.run(KafkaCli.CONFIGS, all);
    }

    private static AlterConfigOp op(String name, String value, AlterConfigOp.OpType type) {
        return new AlterConfigOp(new ConfigEntry(name, value), type);
    }

    private void alter(ConfigResource resource, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all().get(30, TimeUnit.SECONDS);
    }

    /**
     * Waits (at most 15 s) until {@code name} on {@code resource} is described with {@code value} (null: not listed
     * at all, or listed without a value), and returns the resource's configs.
     */
    private Config awaitValue(ConfigResource resource, String name, String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (;;) {
            Config config = describe(resource);
            ConfigEntry entry = config.get(name);
            String described = entry == null ? null : entry.value();
            if (java.util.Objects.equals(described, value) || System.nanoTime() > deadline) {
                return config;
            }
            Thread.sleep(20);
        }
    }

    private Config describe(ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
                .all().get(30, TimeUnit.SECONDS).get(resource);
    }

    private void assertRefused(ConfigResource resource, List<AlterConfigOp> ops, Class<? extends Throwable> error,
                               String message) {
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(error)
                .hasMessage(message);
    }
}

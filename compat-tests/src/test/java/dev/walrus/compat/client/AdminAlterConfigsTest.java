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
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Topic configs changed at runtime (IncrementalAlterConfigs) through the admin client and {@code kafka-configs}: set,
 * delete, append and subtract, each visible in describeConfigs with its source, Kafka's errors for bad changes, and a
 * change that takes effect on the data path at once.
 */
@ExtendWith(BrokerExtension.class)
class AdminAlterConfigsTest {

    private TargetBroker broker;
    private Admin admin;
    private String topic;
    private ConfigResource resource;

    @BeforeEach
    void createTopic(TargetBroker broker) {
        this.broker = broker;
        admin = Clients.admin(broker.bootstrapServers());
        topic = TestTopics.create(admin, TestTopics.unique("alter-configs"), 1);
        resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void shouldSetAndDeleteAnOverride() throws Exception {
        alter(op("retention.ms", "1000", AlterConfigOp.OpType.SET));
        assertThat(entry("retention.ms").value()).isEqualTo("1000");
        assertThat(entry("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);

        alter(op("retention.ms", null, AlterConfigOp.OpType.DELETE));
        assertThat(entry("retention.ms").value()).isEqualTo("604800000");
        assertThat(entry("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        alter(op("segment.ms", null, AlterConfigOp.OpType.DELETE)); // not set: no error
    }

    @Test
    void shouldAppendToAndSubtractFromAListStartingFromItsEffectiveValue() throws Exception {
        alter(op("cleanup.policy", "compact", AlterConfigOp.OpType.APPEND));
        assertThat(entry("cleanup.policy").value()).isEqualTo("delete,compact");

        alter(op("cleanup.policy", "delete", AlterConfigOp.OpType.SUBTRACT));
        assertThat(entry("cleanup.policy").value()).isEqualTo("compact");
    }

    @Test
    void shouldRefuseBadChangesWithKafkasErrors() {
        assertRefused(List.of(op("no.such.key", "1", AlterConfigOp.OpType.SET)),
                InvalidConfigurationException.class, "Unknown topic config name: no.such.key");
        assertRefused(List.of(op("retention.ms", "abc", AlterConfigOp.OpType.SET)),
                InvalidConfigurationException.class,
                "Invalid value abc for configuration retention.ms: Not a number of type LONG");
        assertRefused(List.of(op("retention.ms", "-5", AlterConfigOp.OpType.SET)),
                InvalidConfigurationException.class,
                "Invalid value -5 for configuration retention.ms: Value must be at least -1");
        assertRefused(List.of(op("retention.ms", "5", AlterConfigOp.OpType.APPEND)),
                InvalidConfigurationException.class, "Can't APPEND to key retention.ms because its type is not LIST.");
        assertRefused(List.of(op("retention.ms", "5", AlterConfigOp.OpType.SET), op("retention.ms", "6", AlterConfigOp.OpType.SET)),
                InvalidRequestException.class, "Error due to duplicate config keys");
        assertRefused(List.of(op("retention.ms", null, AlterConfigOp.OpType.SET)),
                InvalidRequestException.class, "Null value not supported for : retention.ms");
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.TOPIC, topic + "-missing"),
                        List.of(op("retention.ms", "1000", AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(UnknownTopicOrPartitionException.class)
                .hasMessage("The topic '" + topic + "-missing' does not exist.");
    }

    @Test
    void shouldOnlyCheckAValidateOnlyChange() throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(op("retention.ms", "7777", AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all().get(30, TimeUnit.SECONDS);
        assertThat(entry("retention.ms").value()).isEqualTo("604800000");
    }

    @Test
    void aLowerMaxMessageBytesShouldRefuseLargerBatchesAtOnce() throws Exception {
        alter(op("max.message.bytes", "2000", AlterConfigOp.OpType.SET));

        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, "small")).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "x".repeat(3000))).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(RecordTooLargeException.class);
        }
    }

    @Test
    void kafkaConfigsShouldAddAndDescribeATopicOverride() {
        CommandResult altered = KafkaCli.run(KafkaCli.CONFIGS, "--bootstrap-server", broker.bootstrapServers(),
                "--entity-type", "topics", "--entity-name", topic, "--alter", "--add-config", "retention.ms=86400000");
        assertThat(altered.exitCode()).as(altered.toString()).isZero();
        assertThat(altered.stdoutLines()).contains("Completed updating config for topic " + topic + ".");

        CommandResult described = KafkaCli.run(KafkaCli.CONFIGS, "--bootstrap-server", broker.bootstrapServers(),
                "--entity-type", "topics", "--entity-name", topic, "--describe");
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.stdoutLines()).contains("Dynamic configs for topic " + topic + " are:");
        assertThat(described.stdoutLines()).anySatisfy(line -> assertThat(line.trim())
                .startsWith("retention.ms=86400000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=86400000"));
    }

    private static AlterConfigOp op(String name, String value, AlterConfigOp.OpType type) {
        return new AlterConfigOp(new ConfigEntry(name, value), type);
    }

    private void alter(AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all().get(30, TimeUnit.SECONDS);
    }

    private ConfigEntry entry(String name) throws Exception {
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).get(name);
    }

    private void assertRefused(List<AlterConfigOp> ops, Class<? extends Throwable> error, String message) {
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(error)
                .hasMessage(message);
    }
}

package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.Records;
import dev.walrus.compat.TestTopics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.junit.jupiter.api.Test;

/**
 * Client quotas as Kafka keeps and enforces them: set, listed with each kind of filter, removed and kept across a
 * restart through the admin client and {@code kafka-configs}; bad quotas refused with Kafka's messages; a producer and a
 * consumer over their byte rate are throttled (the throttle time the broker answers shows in the clients' metrics) and
 * still deliver every record. The brokers measure rates over two one-second samples
 * ({@code quota.window.num=2}) so that a quota bites within a second or two.
 */
class ClientQuotasTest extends OwnBrokerTest {

    @Test
    void shouldSetListAndRemoveQuotasAndKeepThemAcrossARestart() throws Exception {
        broker = ChildBroker.forCurrentTarget("quotas-admin", "PLAINTEXT", Map.of("quota.window.num", "2"), Map.of()).start();
        ClientQuotaEntity alice = entity("user", "alice");
        ClientQuotaEntity aliceApp = entity("user", "alice", "client-id", "app");
        ClientQuotaEntity defaultClient = entity("client-id", null);
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.alterClientQuotas(List.of(
                    new ClientQuotaAlteration(alice, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1024.0),
                            new ClientQuotaAlteration.Op("request_percentage", 50.5))),
                    new ClientQuotaAlteration(aliceApp, List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", 2048.0))),
                    new ClientQuotaAlteration(defaultClient, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 4096.0)))))
                    .all().get(30, TimeUnit.SECONDS);

            // Kafka's broker lists new quotas a moment after answering the change
            assertThat(awaitDescribed(admin, 3)).containsOnlyKeys(alice, aliceApp, defaultClient);
            assertThat(describe(admin, ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntity("user", "alice")))))
                    .containsOnlyKeys(alice, aliceApp);
            assertThat(describe(admin, ClientQuotaFilter.containsOnly(List.of(ClientQuotaFilterComponent.ofEntity("user", "alice")))))
                    .containsExactly(Map.entry(alice, Map.of("producer_byte_rate", 1024.0, "request_percentage", 50.5)));
            assertThat(describe(admin, ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofDefaultEntity("client-id")))))
                    .containsOnlyKeys(defaultClient);
            // any entity with a client id, the default one included
            assertThat(describe(admin, ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntityType("client-id")))))
                    .containsOnlyKeys(aliceApp, defaultClient);
        }

        broker.restart();
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            assertThat(describe(admin, ClientQuotaFilter.all()).get(aliceApp)).isEqualTo(Map.of("consumer_byte_rate", 2048.0));
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(alice,
                    List.of(new ClientQuotaAlteration.Op("request_percentage", null)))))
                    .all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (describe(admin, ClientQuotaFilter.all()).get(alice).size() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(describe(admin, ClientQuotaFilter.all()).get(alice)).isEqualTo(Map.of("producer_byte_rate", 1024.0));
        }
    }

    /** Every quota entity once there are {@code count} of them (or 30 s have passed). */
    private static Map<ClientQuotaEntity, Map<String, Double>> awaitDescribed(Admin admin, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<ClientQuotaEntity, Map<String, Double>> described = describe(admin, ClientQuotaFilter.all());
        while (described.size() != count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            described = describe(admin, ClientQuotaFilter.all());
        }
        return described;
    }

    @Test
    void shouldRefuseQuotasKafkaRefusesWithItsMessages() throws Exception {
        broker = ChildBroker.forCurrentTarget("quotas-errors", "PLAINTEXT", Map.of("quota.window.num", "2"), Map.of()).start();
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            assertRefused(admin, entity("user", "bob"), "nonsense_rate", 1.0, "Invalid configuration key nonsense_rate");
            assertRefused(admin, entity("user", "bob"), "producer_byte_rate", 10.5, "producer_byte_rate cannot be a fractional value.");
            assertRefused(admin, entity("user", "bob"), "consumer_byte_rate", -1.0, "Quota consumer_byte_rate must be greater than 0");
            assertRefused(admin, entity("ip", "127.0.0.1"), "producer_byte_rate", 1.0, "Invalid configuration key producer_byte_rate");
            assertThat(describe(admin, ClientQuotaFilter.all())).isEmpty();
        }
    }

    @Test
    void kafkaConfigsShouldAddDescribeAndDeleteAClientQuota() {
        broker = ChildBroker.forCurrentTarget("quotas-cli", "PLAINTEXT", Map.of("quota.window.num", "2"), Map.of()).start();
        String[] common = {"--bootstrap-server", broker.bootstrapServers()};
        CommandResult added = configs(common, "--alter", "--add-config", "producer_byte_rate=1048576,consumer_byte_rate=2097152",
                "--entity-type", "clients", "--entity-name", "cli-app");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.stdoutLines()).as(added.toString()).contains("Completed updating config for client cli-app.");
        CommandResult described = configs(common, "--describe", "--entity-type", "clients", "--entity-name", "cli-app");
        assertThat(described.stdoutLines()).as(described.toString())
                .anyMatch(line -> line.startsWith("Quota configs for client-id 'cli-app' are ")
                        && line.contains("producer_byte_rate=1048576.0") && line.contains("consumer_byte_rate=2097152.0"));
        CommandResult deleted = configs(common, "--alter", "--delete-config", "producer_byte_rate", "--entity-type", "clients",
                "--entity-name", "cli-app");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        CommandResult after = configs(common, "--describe", "--entity-type", "clients", "--entity-name", "cli-app");
        assertThat(after.stdoutLines()).as(after.toString())
                .contains("Quota configs for client-id 'cli-app' are consumer_byte_rate=2097152.0");
    }

    @Test
    void shouldThrottleAProducerAndAConsumerOverTheirByteRates() throws Exception {
        broker = ChildBroker.forCurrentTarget("quotas-throttle", "PLAINTEXT", Map.of("quota.window.num", "2"), Map.of()).start();
        String topic;
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            topic = TestTopics.create(admin, TestTopics.unique("quota"), 1);
            admin.alterClientQuotas(List.of(
                    new ClientQuotaAlteration(entity("client-id", "slow-producer"),
                            List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 100_000.0))),
                    new ClientQuotaAlteration(entity("client-id", "slow-consumer"),
                            List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", 100_000.0)))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        byte[] value = new byte[1000];
        int records = 300;   // 300 KB: three times the quota of a second
        Map<String, Object> producerSettings = new HashMap<>();
        producerSettings.put("client.id", "slow-producer");
        producerSettings.put("batch.size", "16384");
        try (KafkaProducer<byte[], byte[]> producer = Clients.bytesProducer(broker.bootstrapServers(), producerSettings)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, value));
            }
            producer.flush();
            assertThat(metric(producer.metrics(), "produce-throttle-time-max")).isGreaterThan(0);
        }
        Map<String, Object> consumerSettings = new HashMap<>();
        consumerSettings.put("client.id", "slow-consumer");
        consumerSettings.put("max.partition.fetch.bytes", "32768");
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.bytesConsumer(broker.bootstrapServers(), consumerSettings)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            assertThat(Records.pollExactly(consumer, records, java.time.Duration.ofSeconds(60))).hasSize(records);
            assertThat(metric(consumer.metrics(), "fetch-throttle-time-max")).isGreaterThan(0);
        }
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(v -> !Double.isNaN(v)).max().orElse(0);
    }

    private static ClientQuotaEntity entity(String... typesAndNames) {
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < typesAndNames.length; i += 2) {
            names.put(typesAndNames[i], typesAndNames[i + 1]);
        }
        return new ClientQuotaEntity(names);
    }

    private static Map<ClientQuotaEntity, Map<String, Double>> describe(Admin admin, ClientQuotaFilter filter) throws Exception {
        return admin.describeClientQuotas(filter).entities().get(30, TimeUnit.SECONDS);
    }

    private static void assertRefused(Admin admin, ClientQuotaEntity entity, String key, double value, String message) {
        assertThatThrownBy(() -> admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                List.of(new ClientQuotaAlteration.Op(key, value))))).all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidRequestException.class)
                .hasMessage(message);
    }

    private static CommandResult configs(String[] common, String... args) {
        String[] all = new String[common.length + args.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(args, 0, all, common.length, args.length);
        return KafkaCli.run(KafkaCli.CONFIGS, all);
    }
}

package dev.walrus.compat.share;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.walrus.compat.share.ShareFixtures.explicit;
import static dev.walrus.compat.share.ShareFixtures.fromEarliest;
import static dev.walrus.compat.share.ShareFixtures.pollFor;
import static dev.walrus.compat.share.ShareFixtures.setGroupConfig;
import static dev.walrus.compat.share.ShareFixtures.shareConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dead-letter queues of share groups (KIP-1191, {@code share.version} 2 in Kafka 4.4): a group whose
 * {@code errors.deadletterqueue.topic.name} names a topic with {@code errors.deadletterqueue.group.enable=true} (and
 * the broker's {@code errors.deadletterqueue.topic.name.prefix}, {@code dlq.} by default) gets a record there for each
 * record a member rejects and each record whose delivery attempts run out, carrying Kafka's {@code __dlq.errors.*}
 * context headers, and the original key and value with {@code errors.deadletterqueue.copy.record.enable}. A DLQ topic
 * that is missing (auto-creation is off by default), not enabled or wrongly named gets nothing; the records are
 * archived all the same.
 */
@ExtendWith(BrokerExtension.class)
class ShareGroupDeadLetterQueueTest {

    private String bootstrap;
    private String topic;
    private String group;

    @BeforeEach
    void topic(TargetBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        topic = TestTopics.createUnique(bootstrap, "share-dlq-src", 1);
        group = "share-dlq-" + UUID.randomUUID();
        fromEarliest(bootstrap, group);
    }

    @Test
    void shouldWriteEachRejectedRecordToTheDeadLetterQueueWithItsContextHeaders() throws Exception {
        String dlq = createDlqTopic("dlq.rejected-", 1, true);
        setDlq(dlq);
        produceKeyed(3);

        rejectAll(3);

        List<ConsumerRecord<String, String>> written = readAll(dlq, 3);
        assertThat(written).extracting(r -> header(r, "__dlq.errors.offset")).containsExactlyInAnyOrder("0", "1", "2");
        assertThat(written).allSatisfy(r -> {
            assertThat(r.key()).as("no copy of the record by default").isNull();
            assertThat(r.value()).isNull();
            assertThat(r.partition()).isZero();
            assertThat(header(r, "__dlq.errors.topic")).isEqualTo(topic);
            assertThat(header(r, "__dlq.errors.partition")).isEqualTo("0");
            assertThat(header(r, "__dlq.errors.group")).isEqualTo(group);
            assertThat(header(r, "__dlq.errors.delivery.count")).isEqualTo("1");
            assertThat(header(r, "__dlq.errors.message")).isEqualTo("Offset rejected by client.");
        });
        try (KafkaShareConsumer<String, String> again = shareConsumer(bootstrap, group, explicit())) {
            again.subscribe(List.of(topic));
            assertThat(pollFor(again, Duration.ofSeconds(3))).as("archived, never delivered again").isEmpty();
        }
    }

    @Test
    void shouldCopyTheRecordsKeyAndValueWhenTheGroupAsksForIt() throws Exception {
        String dlq = createDlqTopic("dlq.copy-", 1, true);
        setDlq(dlq);
        try (Admin admin = Clients.admin(bootstrap)) {
            setGroupConfig(admin, group, "errors.deadletterqueue.copy.record.enable", "true");
        }
        produceKeyed(2);

        rejectAll(2);

        List<ConsumerRecord<String, String>> written = readAll(dlq, 2);
        assertThat(written).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("key-0", "key-1");
        assertThat(written).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("value-0", "value-1");
        assertThat(written).allSatisfy(r -> assertThat(header(r, "__dlq.errors.group")).isEqualTo(group));
    }

    @Test
    void shouldCarryOnlyTheHeadersOfARecordTooLargeForTheDlqTopic() throws Exception {
        String dlq = "dlq.small-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Clients.admin(bootstrap)) {
            TestTopics.create(admin, dlq, 1, Map.of("errors.deadletterqueue.group.enable", "true", "max.message.bytes", "2000"));
            setGroupConfig(admin, group, "errors.deadletterqueue.copy.record.enable", "true");
        }
        TestTopics.awaitLeaders(bootstrap, dlq, 1);
        setDlq(dlq);
        String big = "b".repeat(5000);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of("linger.ms", 0))) {
            producer.send(new ProducerRecord<>(topic, 0, "k-small", "small")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, "k-big", big)).get(30, TimeUnit.SECONDS);
        }

        rejectAll(2);

        List<ConsumerRecord<String, String>> written = readAll(dlq, 2);
        assertThat(written).extracting(r -> header(r, "__dlq.errors.offset") + "=" + r.value())
                .as("the big record's copy would not fit the DLQ topic's max.message.bytes")
                .containsExactlyInAnyOrder("0=small", "1=null");
    }

    @Test
    void shouldWriteARecordWhoseDeliveryAttemptsRanOut() throws Exception {
        String dlq = createDlqTopic("dlq.limit-", 1, true);
        setDlq(dlq);
        try (Admin admin = Clients.admin(bootstrap)) {
            setGroupConfig(admin, group, "share.delivery.count.limit", "2");
        }
        produceKeyed(1);

        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group, explicit())) {
            consumer.subscribe(List.of(topic));
            int deliveries = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (deliveries < 2 && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> r : records) {
                    consumer.acknowledge(r, AcknowledgeType.RELEASE);
                    deliveries++;
                }
                if (!records.isEmpty()) {
                    consumer.commitSync(Duration.ofSeconds(10));
                }
            }
            assertThat(deliveries).isEqualTo(2);
        }

        ConsumerRecord<String, String> written = readAll(dlq, 1).getFirst();
        assertThat(header(written, "__dlq.errors.offset")).isEqualTo("0");
        assertThat(header(written, "__dlq.errors.delivery.count")).isEqualTo("2");
        assertThat(header(written, "__dlq.errors.message")).isEqualTo("Offset delivery count exceeded the threshold.");
    }

    @Test
    void shouldRouteToTheSourcePartitionModuloTheDlqPartitions() throws Exception {
        String source = TestTopics.createUnique(bootstrap, "share-dlq-src3", 3);
        String dlq = createDlqTopic("dlq.routed-", 2, true);
        setDlq(dlq);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int p = 0; p < 3; p++) {
                producer.send(new ProducerRecord<>(source, p, "key-" + p, "value-" + p)).get(30, TimeUnit.SECONDS);
            }
        }
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group, explicit())) {
            consumer.subscribe(List.of(source));
            reject(consumer, 3);
        }
        List<ConsumerRecord<String, String>> written = readAll(dlq, 3);
        assertThat(written).extracting(r -> header(r, "__dlq.errors.partition") + "->" + r.partition())
                .containsExactlyInAnyOrder("0->0", "1->1", "2->0");
        assertThat(written).allSatisfy(r -> assertThat(header(r, "__dlq.errors.topic")).isEqualTo(source));
    }

    @Test
    void shouldWriteNothingToATopicThatIsNotEnabledIsWronglyNamedOrMissing() throws Exception {
        String notEnabled = createDlqTopic("dlq.not-enabled-", 1, false);
        String wrongPrefix = createDlqTopic("wrong.prefix-", 1, true);
        String missing = "dlq.missing-" + UUID.randomUUID().toString().substring(0, 8);
        produceKeyed(3);

        setDlq(notEnabled);
        rejectAll(1);
        setDlq(wrongPrefix);
        rejectAll(1);
        setDlq(missing);
        rejectAll(1);

        try (KafkaShareConsumer<String, String> again = shareConsumer(bootstrap, group, explicit())) {
            again.subscribe(List.of(topic));
            assertThat(pollFor(again, Duration.ofSeconds(3))).as("archived all the same").isEmpty();
        }
        try (Admin admin = Clients.admin(bootstrap)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("auto-creation is off by default")
                    .doesNotContain(missing);
        }
        assertThat(endOffset(notEnabled)).isZero();
        assertThat(endOffset(wrongPrefix)).isZero();
    }

    @Test
    void shouldCreateAMissingDlqTopicWhenTheClusterAllowsIt() throws Exception {
        String dlq = "dlq.created-" + UUID.randomUUID().toString().substring(0, 8);
        ConfigResource cluster = new ConfigResource(ConfigResource.Type.BROKER, "");
        try (Admin admin = Clients.admin(bootstrap)) {
            // errors.deadletterqueue.auto.create.topics.enable is a dynamic cluster-wide config in Kafka 4.4
            admin.incrementalAlterConfigs(Map.of(cluster, List.of(new AlterConfigOp(
                    new ConfigEntry("errors.deadletterqueue.auto.create.topics.enable", "true"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
            try {
                awaitClusterConfig(admin, "errors.deadletterqueue.auto.create.topics.enable", "true");
                setDlq(dlq);
                produceKeyed(2);

                rejectAll(2);

                // Kafka creates it (then writes) after answering the acknowledgement: wait for it without creating it
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(dlq) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                TestTopics.awaitLeaders(bootstrap, dlq, 1);
                List<ConsumerRecord<String, String>> written = readAll(dlq, 2);
                assertThat(written).extracting(r -> header(r, "__dlq.errors.offset")).containsExactlyInAnyOrder("0", "1");
                ConfigResource created = new ConfigResource(ConfigResource.Type.TOPIC, dlq);
                Config config = admin.describeConfigs(List.of(created)).all().get(30, TimeUnit.SECONDS).get(created);
                assertThat(config.get("errors.deadletterqueue.group.enable").value()).isEqualTo("true");
                assertThat(config.get("message.timestamp.type").value()).isEqualTo("CreateTime");
            } finally {
                admin.incrementalAlterConfigs(Map.of(cluster, List.of(new AlterConfigOp(
                        new ConfigEntry("errors.deadletterqueue.auto.create.topics.enable", ""), AlterConfigOp.OpType.DELETE))))
                        .all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Dynamic broker configs reach the broker through its metadata log: waits until it describes the value. */
    private static void awaitClusterConfig(Admin admin, String key, String value) throws Exception {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER,
                String.valueOf(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Config config = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);
            if (config.get(key) != null && value.equals(config.get(key).value())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(key + " never became " + value);
    }

    @Test
    void shouldFinalizeShareVersionTwoWhichTurnsDeadLetterQueuesOn() throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS);
            assertThat(features.finalizedFeatures().get("share.version").maxVersionLevel()).isEqualTo((short) 2);
            assertThat(features.supportedFeatures().get("share.version").maxVersion()).isEqualTo((short) 2);
        }
    }

    @Test
    void shouldValidateAndDescribeTheDeadLetterQueueConfigs() throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            assertThatThrownBy(() -> setGroupConfig(admin, group, "errors.deadletterqueue.topic.name", "__internal"))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("errors.deadletterqueue.topic.name: DLQ topic name must not start with '__'");
            setGroupConfig(admin, group, "errors.deadletterqueue.topic.name", "dlq.described");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertThat(config.get("errors.deadletterqueue.topic.name").value()).isEqualTo("dlq.described");
            assertThat(config.get("errors.deadletterqueue.copy.record.enable").value()).isEqualTo("false");

            String dlq = createDlqTopic("dlq.described-", 1, true);
            ConfigResource topicResource = new ConfigResource(ConfigResource.Type.TOPIC, dlq);
            Config topicConfig = admin.describeConfigs(List.of(topicResource)).all().get(30, TimeUnit.SECONDS).get(topicResource);
            assertThat(topicConfig.get("errors.deadletterqueue.group.enable").value()).isEqualTo("true");
            ConfigResource sourceResource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config sourceConfig = admin.describeConfigs(List.of(sourceResource)).all().get(30, TimeUnit.SECONDS).get(sourceResource);
            assertThat(sourceConfig.get("errors.deadletterqueue.group.enable").value()).isEqualTo("false");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private String createDlqTopic(String prefix, int partitions, boolean enabled) throws Exception {
        String name = prefix + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Clients.admin(bootstrap)) {
            TestTopics.create(admin, name, partitions,
                    enabled ? Map.of("errors.deadletterqueue.group.enable", "true") : Map.of());
        }
        TestTopics.awaitLeaders(bootstrap, name, partitions);
        return name;
    }

    private void setDlq(String dlqTopic) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            setGroupConfig(admin, group, "errors.deadletterqueue.topic.name", dlqTopic);
        }
    }

    private void produceKeyed(int count) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "key-" + i, "value-" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Rejects {@code count} records of the source topic with a member of its own, closed afterwards. */
    private void rejectAll(int count) {
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group,
                Map.of("share.acknowledgement.mode", "explicit", "max.poll.records", count))) {
            consumer.subscribe(List.of(topic));
            reject(consumer, count);
        }
    }

    private static void reject(KafkaShareConsumer<String, String> consumer, int count) {
        int rejected = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (rejected < count && System.nanoTime() < deadline) {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
            for (ConsumerRecord<String, String> r : records) {
                consumer.acknowledge(r, rejected < count ? AcknowledgeType.REJECT : AcknowledgeType.RELEASE);
                rejected++;
            }
            if (!records.isEmpty()) {
                consumer.commitSync(Duration.ofSeconds(10));
            }
        }
        assertThat(rejected).as("records rejected").isGreaterThanOrEqualTo(count);
    }

    /** Reads every partition of the DLQ topic from the start until {@code count} records came (60 s at most). */
    private List<ConsumerRecord<String, String>> readAll(String dlqTopic, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of("allow.auto.create.topics", false))) {
            List<TopicPartition> partitions = consumer.partitionsFor(dlqTopic).stream()
                    .map(p -> new TopicPartition(dlqTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // anything more than expected would show here
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        assertThat(records).as("records in " + dlqTopic).hasSize(count);
        return records;
    }

    private long endOffset(String dlqTopic) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            TopicPartition tp = new TopicPartition(dlqTopic, 0);
            return consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}

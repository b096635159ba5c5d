package dev.walrus.compat.share;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.walrus.compat.share.ShareFixtures.fromEarliest;
import static dev.walrus.compat.share.ShareFixtures.pollCount;
import static dev.walrus.compat.share.ShareFixtures.pollFor;
import static dev.walrus.compat.share.ShareFixtures.pollUntil;
import static dev.walrus.compat.share.ShareFixtures.produce;
import static dev.walrus.compat.share.ShareFixtures.setGroupConfig;
import static dev.walrus.compat.share.ShareFixtures.shareConsumer;
import static dev.walrus.compat.share.ShareFixtures.values;
import static dev.walrus.compat.share.ShareFixtures.valuesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Share group configs (KIP-932) as a share consumer sees them: {@code share.isolation.level} (committed
 * transactional records only, up to the last stable offset), their validation by the broker, how DescribeConfigs
 * reports them, and {@code max.poll.records}.
 */
@ExtendWith(BrokerExtension.class)
class ShareGroupConfigTest {

    private String bootstrap;
    private String topic;
    private String group;

    @BeforeEach
    void topic(TargetBroker broker) {
        bootstrap = broker.bootstrapServers();
        topic = TestTopics.createUnique(bootstrap, "share-config", 1);
        group = "share-config-" + UUID.randomUUID();
    }

    @Test
    void shouldDeliverOnlyCommittedTransactionalRecordsWithReadCommitted() throws Exception {
        fromEarliest(bootstrap, group);
        try (Admin admin = Clients.admin(bootstrap)) {
            setGroupConfig(admin, group, "share.isolation.level", "read_committed");
        }
        try (KafkaProducer<String, String> txn = Clients.transactionalProducer(bootstrap, "share-txn-" + UUID.randomUUID());
             KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
            txn.initTransactions();
            produce(bootstrap, topic, "plain");
            txn.beginTransaction();
            txn.send(new ProducerRecord<>(topic, 0, null, "aborted"));
            txn.flush(); // written, then aborted (an abort drops what was not sent yet)
            txn.abortTransaction();
            txn.beginTransaction();
            txn.send(new ProducerRecord<>(topic, 0, null, "committed"));
            txn.commitTransaction();
            consumer.subscribe(List.of(topic));
            assertThat(valuesOf(pollUntil(consumer, r -> valuesOf(r).contains("committed"))))
                    .containsExactly("plain", "committed");

            txn.beginTransaction();
            txn.send(new ProducerRecord<>(topic, 0, null, "pending"));
            txn.flush();
            // beyond the last stable offset until the transaction ends
            assertThat(pollFor(consumer, Duration.ofSeconds(2))).isEmpty();
            txn.commitTransaction();
            assertThat(valuesOf(pollCount(consumer, 1))).containsExactly("pending");
        }
    }

    @Test
    void shouldDeliverAbortedTransactionalRecordsWithReadUncommitted() throws Exception {
        fromEarliest(bootstrap, group);
        try (KafkaProducer<String, String> txn = Clients.transactionalProducer(bootstrap, "share-txn-" + UUID.randomUUID());
             KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
            txn.initTransactions();
            txn.beginTransaction();
            txn.send(new ProducerRecord<>(topic, 0, null, "aborted"));
            txn.flush(); // written, then aborted (an abort drops what was not sent yet)
            txn.abortTransaction();
            produce(bootstrap, topic, "plain");
            consumer.subscribe(List.of(topic));
            assertThat(valuesOf(pollUntil(consumer, r -> valuesOf(r).contains("plain"))))
                    .containsExactly("aborted", "plain");
        }
    }

    @Test
    void shouldValidateShareGroupConfigsAndDescribeThem() throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            assertThatThrownBy(() -> setGroupConfig(admin, group, "share.record.lock.duration.ms", "1000"))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("share.record.lock.duration.ms must be in the range 15000 to 60000 inclusive.");
            assertThatThrownBy(() -> setGroupConfig(admin, group, "share.delivery.count.limit", "11"))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("share.delivery.count.limit must be in the range 2 to 10 inclusive.");
            assertThatThrownBy(() -> setGroupConfig(admin, group, "share.auto.offset.reset", "sometimes"))
                    .hasCauseInstanceOf(InvalidConfigurationException.class);
            assertThatThrownBy(() -> setGroupConfig(admin, group, "share.no.such.config", "1"))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("Unknown group config name: share.no.such.config");

            setGroupConfig(admin, group, "share.auto.offset.reset", "earliest");
            setGroupConfig(admin, group, "share.record.lock.duration.ms", "20000");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertThat(config.get("share.auto.offset.reset").value()).isEqualTo("earliest");
            assertThat(config.get("share.auto.offset.reset").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);
            assertThat(config.get("share.record.lock.duration.ms").value()).isEqualTo("20000");
            assertThat(config.get("share.delivery.count.limit").value()).isEqualTo("5");
            assertThat(config.get("share.delivery.count.limit").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(config.get("share.isolation.level").value()).isEqualTo("read_uncommitted");
            assertThat(config.get("share.renew.acknowledge.enable").value()).isEqualTo("true");
            assertThat(config.get("share.assignment.interval.ms").value()).isEqualTo("1000");
        }
    }

    @Test
    void shouldReturnAtMostMaxPollRecordsPerPoll() throws Exception {
        fromEarliest(bootstrap, group);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of("linger.ms", 0))) {
            for (String v : values("m-", 30)) {
                producer.send(new ProducerRecord<>(topic, 0, null, v)).get();
            }
        }
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group, Map.of("max.poll.records", 7))) {
            consumer.subscribe(List.of(topic));
            List<String> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < 30 && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                assertThat(records.count()).isLessThanOrEqualTo(7);
                for (ConsumerRecord<String, String> r : records) {
                    received.add(r.value());
                }
            }
            assertThat(received).containsExactly(values("m-", 30));
        }
    }
}

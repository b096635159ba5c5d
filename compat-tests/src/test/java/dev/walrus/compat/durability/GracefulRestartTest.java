package dev.walrus.compat.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TestTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A broker process stopped with SIGTERM and started again on the same data directory: topics, their IDs and configs,
 * and every record are there; offsets continue; an idempotent producer that kept sending across the restart leaves
 * each record exactly once.
 */
@Tag("slow")
class GracefulRestartTest {

    private static final int PARTITIONS = 3;

    private ChildBroker broker;

    @BeforeEach
    void startBroker() {
        broker = ChildBroker.forCurrentTarget("graceful-restart").start();
    }

    @AfterEach
    void removeBroker() {
        if (broker != null) {   // null when the test was skipped for an external target
            broker.close();
        }
    }

    @Test
    void shouldKeepTopicIdConfigsAndEveryRecordAcrossARestart() throws Exception {
        String topic = TestTopics.unique("restart");
        Uuid id;
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            TestTopics.create(admin, topic, PARTITIONS, Map.of("retention.ms", "86400000"));
            id = describe(admin, topic).topicId();
        }
        List<Acked> acked = produce(topic, PARTITIONS, 3_000, "before");

        broker.restart();

        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            TopicDescription description = describe(admin, topic);
            assertThat(description.topicId()).isEqualTo(id);
            assertThat(description.partitions()).hasSize(PARTITIONS);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            ConfigEntry retention = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                .get(resource).get("retention.ms");
            assertThat(retention.value()).isEqualTo("86400000");
            assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }
        Map<String, String> stored = Acked.readEverything(broker.bootstrapServers(), topic, PARTITIONS);
        assertThat(stored).hasSize(acked.size());
        Acked.assertAllPresentOnce(acked, stored);
    }

    @Test
    void shouldContinueOffsetsAfterARestart() throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "restart-offsets", 1);
        List<Acked> before = produce(topic, 1, 100, "before");

        broker.restart();

        List<Acked> after = produce(topic, 1, 100, "after");
        assertThat(before.stream().mapToLong(Acked::offset).max().orElseThrow()).isEqualTo(99);
        assertThat(after.stream().mapToLong(Acked::offset).min().orElseThrow()).isEqualTo(100);
        List<Acked> all = new ArrayList<>(before);
        all.addAll(after);
        Acked.assertAllPresentOnce(all, Acked.readEverything(broker.bootstrapServers(), topic, 1));
    }

    @Test
    void shouldStoreEachRecordOnceWhenAnIdempotentProducerSendsAcrossARestart() throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "restart-idempotent", 1);
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), retryingAcrossRestarts())) {
            for (int i = 0; i < 1_000; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, 0, null, "first-" + i)));
            }
            producer.flush();
            for (int i = 0; i < 1_000; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, 0, null, "second-" + i)));
            }
            broker.restart();
            for (int i = 0; i < 1_000; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, 0, null, "third-" + i)));
            }
            producer.flush();
        }
        List<Long> offsets = new ArrayList<>();
        for (Future<RecordMetadata> future : futures) {
            offsets.add(future.get(0, TimeUnit.SECONDS).offset());   // all complete: the producer was flushed and closed
        }

        Map<String, String> stored = Acked.readEverything(broker.bootstrapServers(), topic, 1);
        assertThat(stored).hasSize(3_000);
        assertThat(stored.values()).doesNotHaveDuplicates();
        assertThat(offsets).doesNotHaveDuplicates().hasSize(3_000);
    }

    /** Sends {@code count} records round-robin over the partitions with the default producer; returns the acks. */
    private List<Acked> produce(String topic, int partitions, int count, String prefix) throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < count; i++) {
                String value = prefix + "-" + i;
                values.add(value);
                futures.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, value)));
            }
        }
        List<Acked> acked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordMetadata md = futures.get(i).get(30, TimeUnit.SECONDS);
            acked.add(new Acked(md.partition(), md.offset(), values.get(i)));
        }
        return acked;
    }

    /** Long enough delivery and request timeouts for the producer to wait out the broker's restart. */
    static Map<String, String> retryingAcrossRestarts() {
        return Map.of("delivery.timeout.ms", "180000", "request.timeout.ms", "10000",
            "reconnect.backoff.ms", "50", "reconnect.backoff.max.ms", "500");
    }

    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }
}

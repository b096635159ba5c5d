package dev.walrus.compat.share;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.walrus.compat.share.ShareFixtures.setGroupConfig;
import static dev.walrus.compat.share.ShareFixtures.shareConsumer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code consumer_byte_rate} applied to ShareFetch as Kafka 4.4 applies it: a share consumer over its quota is told to
 * wait (its {@code fetch-throttle-time-max} metric), each ShareFetch is capped at what one quota window allows, and a
 * throttled ShareFetch is answered empty while the records it acquired stay locked to the member, so they come back
 * later as a further delivery (records are never released here: only a throttled answer can cause a redelivery).
 */
class ShareFetchQuotaTest extends OwnBrokerTest {

    @Test
    void shouldThrottleAShareConsumerOverItsConsumerByteRate() throws Exception {
        broker = ChildBroker.forCurrentTarget("share-quota", "PLAINTEXT", Map.of("quota.window.num", "2"), Map.of()).start();
        String bootstrap = broker.bootstrapServers();
        String group = "share-quota-" + UUID.randomUUID();
        String clientId = "slow-share-consumer";
        String topic;
        try (Admin admin = Clients.admin(bootstrap)) {
            topic = TestTopics.create(admin, TestTopics.unique("share-quota"), 1);
            setGroupConfig(admin, group, "share.auto.offset.reset", "earliest");
            setGroupConfig(admin, group, "share.record.lock.duration.ms", "15000");
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(new ClientQuotaEntity(Map.of("client-id", clientId)),
                    List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", 10_000.0))))).all().get(30, TimeUnit.SECONDS);
        }
        int records = 60;   // 60 KB: six times what one window of the quota allows
        String padding = "x".repeat(1000);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of("linger.ms", 0))) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, i + ":" + padding));
            }
            producer.flush();
        }

        Set<String> delivered = new HashSet<>();
        boolean redelivered = false;
        boolean throttled = false;
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group, Map.of("client.id", clientId))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!(throttled && redelivered) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    delivered.add(r.value().substring(0, r.value().indexOf(':')));
                    redelivered |= r.deliveryCount().orElse((short) 1) > 1;
                }
                throttled |= metric(consumer.metrics(), "fetch-throttle-time-max") > 0;
            }
        }
        assertThat(delivered).as("records delivered").isNotEmpty();
        assertThat(throttled).as("the consumer was told to wait (fetch-throttle-time-max)").isTrue();
        // nothing released them: only a throttled ShareFetch, answered empty, leaves records acquired but undelivered
        assertThat(redelivered).as("records acquired by a throttled ShareFetch come back as a further delivery").isTrue();
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().contains("share"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(v -> !Double.isNaN(v)).max().orElse(0);
    }
}

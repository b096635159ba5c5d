package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.ClientQuotaChanges;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code request_percentage} (KIP-124): the time the broker spends on a client's requests, as a percentage of one
 * thread over the quota window, is held to the quota; a client over it gets a throttle time in its answers (at most one
 * sample window), which it waits out; a throttled fetch is answered empty. With a quota of 0.01 % (a tenth of a
 * millisecond of work a second) a producer and a consumer are throttled ({@code produce-throttle-time-max},
 * {@code fetch-throttle-time-max} above 0); once the quota is removed the consumer gets every record, once.
 */
@ExtendWith(BrokerExtension.class)
class RequestQuotaTest {

    private static final double PERCENTAGE = 0.01;
    private static final int RECORDS = 200;

    @Test
    void shouldThrottleAProducerAndAConsumerOverTheirRequestPercentage(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String clientId = TestTopics.unique("request-quota");
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "request-quota", 1), 0);
        setQuota(bootstrap, entity, PERCENTAGE);
        try (Admin admin = Clients.admin(bootstrap)) {
            ClientQuotaChanges.awaitListed(admin, clientId);
        }
        try {
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap,
                    Map.of("client.id", clientId, "linger.ms", "0", "batch.size", "200"))) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), null, "r" + i));
                }
                producer.flush();
                assertThat(metric(producer.metrics(), "produce-throttle-time-max")).isGreaterThan(0);
            }
            try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                    Map.of("client.id", clientId, "max.partition.fetch.bytes", "1024"))) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                List<String> values = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (metric(consumer.metrics(), "fetch-throttle-time-max") <= 0 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                }
                assertThat(metric(consumer.metrics(), "fetch-throttle-time-max")).isGreaterThan(0);

                // a throttled fetch is answered empty (Kafka's fetch path); without the quota the rest comes, once
                setQuota(bootstrap, entity, null);
                deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (values.size() < RECORDS && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                }
                assertThat(values).containsExactlyElementsOf(IntStream.range(0, RECORDS).mapToObj(i -> "r" + i).toList());
            }
        } finally {
            setQuota(bootstrap, entity, null);
        }
    }

    private static void setQuota(String bootstrap, ClientQuotaEntity entity, Double percentage) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                    List.of(new ClientQuotaAlteration.Op("request_percentage", percentage)))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }


    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(v -> !Double.isNaN(v)).max().orElse(0);
    }
}

package dev.walrus.compat.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Clients;
import dev.walrus.compat.SaslFixtures;
import dev.walrus.compat.TestTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

/**
 * Re-authentication (KIP-368): with {@code connections.max.reauth.ms} a SASL session lasts that long; the broker tells
 * the client so in SaslAuthenticate, and the Java client re-authenticates on the same connection before it ends, so a
 * producer working across several session lifetimes gets every record acknowledged.
 */
class ReauthenticationTest extends OwnBrokerTest {

    @Test
    void shouldLetAJavaClientReauthenticateBeforeItsSessionEnds() throws Exception {
        Map<String, String> settings = SaslFixtures.brokerSettings("SASL_PLAINTEXT", "PLAIN");
        settings.put("connections.max.reauth.ms", "1500");
        broker = ChildBroker.forCurrentTarget("reauth", "SASL_PLAINTEXT", settings, SaslFixtures.alice()).start();
        String topic;
        try (Admin admin = Clients.admin(broker.bootstrapServers(), SaslFixtures.alice())) {
            topic = TestTopics.create(admin, TestTopics.unique("reauth"), 1);
        }
        Map<String, String> producerSettings = new HashMap<>(SaslFixtures.alice());
        producerSettings.put("linger.ms", "0");
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), producerSettings)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5_000);   // over three session lifetimes
            int i = 0;
            while (System.nanoTime() < end) {
                sent.add(producer.send(new ProducerRecord<>(topic, "k", "v" + i++)));
                Thread.sleep(50);
            }
            for (int n = 0; n < sent.size(); n++) {
                assertThat(sent.get(n).get(30, TimeUnit.SECONDS).offset()).isEqualTo(n);
            }
            assertThat(metric(producer.metrics(), "successful-reauthentication-total")).isGreaterThanOrEqualTo(2);
            assertThat(metric(producer.metrics(), "failed-reauthentication-total")).isZero();
        }
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}

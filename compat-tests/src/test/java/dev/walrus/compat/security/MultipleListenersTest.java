package dev.walrus.compat.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.SaslFixtures;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Two listeners at once, a SASL_PLAINTEXT one with PLAIN and a PLAINTEXT one: each client is told the endpoint of the
 * listener it came in on (Metadata, DescribeCluster, FindCoordinator), so it stays there with its own security; both
 * see the same topics, records and group offsets.
 */
class MultipleListenersTest extends OwnBrokerTest {

    @Test
    void shouldAnswerEachClientWithTheEndpointOfItsOwnListener() throws Exception {
        Map<String, String> sasl = SaslFixtures.alice();
        broker = ChildBroker.forCurrentTarget("two-listeners", "SASL_PLAINTEXT",
                SaslFixtures.brokerSettings("SASL_PLAINTEXT", "PLAIN"), sasl).withExtraListener("PLAINTEXT").start();
        String saslAddress = broker.bootstrapServers("SASL_PLAINTEXT");
        String plainAddress = broker.bootstrapServers("PLAINTEXT");

        String topic;
        try (Admin admin = Clients.admin(saslAddress, sasl)) {
            assertThat(endpoint(admin)).isEqualTo(saslAddress);
            topic = TestTopics.create(admin, TestTopics.unique("two-listeners"), 1);
        }
        try (Admin admin = Clients.admin(plainAddress)) {
            assertThat(endpoint(admin)).isEqualTo(plainAddress);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(saslAddress, sasl)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        String group = TestTopics.unique("two-listeners-group");
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(plainAddress, Map.of(
                "group.id", group, "auto.offset.reset", "earliest", "enable.auto.commit", "false"))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> records = Records.pollExactly(consumer, 10);
            assertThat(records).extracting(ConsumerRecord::value)
                    .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(10)), Duration.ofSeconds(30));
        }
        try (Admin admin = Clients.admin(saslAddress, sasl)) {
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS))
                    .containsEntry(tp, new OffsetAndMetadata(10));
        }
    }

    private static String endpoint(Admin admin) throws Exception {
        Node node = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next();
        return node.host() + ":" + node.port();
    }
}

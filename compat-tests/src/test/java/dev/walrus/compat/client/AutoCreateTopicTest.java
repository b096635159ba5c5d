package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code auto.create.topics.enable=true} (Kafka's default): a producer's metadata request creates the topic. */
@ExtendWith(BrokerExtension.class)
class AutoCreateTopicTest {

    @Test
    void shouldCreateATopicWithTheDefaultPartitionCountWhenAProducerWritesToIt(TargetBroker broker) throws Exception {
        Assumptions.assumeTrue(broker.startedBySuite(), "an external broker's auto-creation settings are its own");
        String topic = TestTopics.unique("auto-created");

        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            assertThat(producer.send(new ProducerRecord<>(topic, "k", "first")).get(30, TimeUnit.SECONDS).offset()).isZero();
        }

        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions()).hasSize(1);   // num.partitions defaults to 1
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            assertThat(Records.pollExactly(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("first");
        }
    }
}

package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** KafkaProducer with its defaults (idempotent, acks=all) and with each acks setting: every record back, in order. */
@ExtendWith(BrokerExtension.class)
class ProducerAcksTest {

    private static final int RECORDS = 500;

    @Test
    void shouldDeliverEveryRecordInOrderWithDefaultSettings(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "producer-defaults", 1);
        List<RecordMetadata> acked;
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            acked = sendNumbered(producer, topic);
        }

        assertThat(acked).extracting(RecordMetadata::offset)
            .containsExactlyElementsOf(range(0, RECORDS));
        assertThat(acked).allSatisfy(md -> assertThat(md.partition()).isZero());
        assertReadBackInOrder(broker, topic);
    }

    @ParameterizedTest(name = "acks={0}")
    @ValueSource(strings = {"1", "all", "-1"})
    void shouldAcknowledgeWithOffsetsAndDeliverEveryRecord(String acks, TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "producer-acks", 1);
        List<RecordMetadata> acked;
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.ACKS_CONFIG, acks, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"))) {
            acked = sendNumbered(producer, topic);
        }

        assertThat(acked).extracting(RecordMetadata::offset).containsExactlyElementsOf(range(0, RECORDS));
        assertReadBackInOrder(broker, topic);
    }

    @Test
    void shouldDeliverEveryRecordWithAcksZeroThoughNoOffsetComesBack(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "producer-acks0", 1);
        List<RecordMetadata> acked;
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.ACKS_CONFIG, "0", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"))) {
            acked = sendNumbered(producer, topic);
            producer.flush();
        }

        // acks=0: the broker sends no response, so the client reports offset -1 (unknown)
        assertThat(acked).extracting(RecordMetadata::offset).containsOnly(-1L);
        assertReadBackInOrder(broker, topic);
    }

    private static List<RecordMetadata> sendNumbered(KafkaProducer<String, String> producer, String topic) throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            futures.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
        }
        List<RecordMetadata> acked = new ArrayList<>();
        for (Future<RecordMetadata> future : futures) {
            acked.add(future.get(30, TimeUnit.SECONDS));
        }
        return acked;
    }

    private static void assertReadBackInOrder(TargetBroker broker, String topic) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, RECORDS);
            for (int i = 0; i < RECORDS; i++) {
                ConsumerRecord<String, String> record = got.get(i);
                assertThat(record.offset()).isEqualTo(i);
                assertThat(record.key()).isEqualTo("key-" + i);
                assertThat(record.value()).isEqualTo("value-" + i);
            }
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> values = new ArrayList<>();
        for (long i = from; i < to; i++) {
            values.add(i);
        }
        return values;
    }
}

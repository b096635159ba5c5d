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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every compression codec the Java producer offers: batches go in compressed and come back record for record. */
@ExtendWith(BrokerExtension.class)
class CompressionTest {

    private static final int RECORDS = 2_000;

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void shouldReturnEveryRecordOfCompressedBatches(String codec, TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "compression-" + codec, 1);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, codec,
                // many records per batch, so each batch really is compressed as a whole
                ProducerConfig.LINGER_MS_CONFIG, "20"))) {
            for (int i = 0; i < RECORDS; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 10), value(i))));
            }
            for (int i = 0; i < RECORDS; i++) {
                assertThat(acks.get(i).get(30, TimeUnit.SECONDS).offset()).isEqualTo(i);
            }
        }

        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, RECORDS);
            for (int i = 0; i < RECORDS; i++) {
                assertThat(got.get(i).offset()).isEqualTo(i);
                assertThat(got.get(i).key()).isEqualTo("k" + (i % 10));
                assertThat(got.get(i).value()).isEqualTo(value(i));
            }
        }
    }

    /** Compressible but not constant, so a codec that garbles data cannot pass. */
    private static String value(int i) {
        return "record-" + i + "-" + "abcdefghij".repeat(1 + i % 7);
    }
}

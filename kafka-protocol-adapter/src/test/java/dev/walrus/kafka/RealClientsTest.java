package dev.walrus.kafka;

import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.SocketFrontEnd;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data path under real kafka-clients: the Java producer with its defaults (idempotent, acks=all) and the Java
 * consumer with assign/seek, through a test-only socket loop over the real adapter (the product's network layer is
 * the broker module; compat-tests drive the whole broker).
 */
class RealClientsTest {

    @TempDir
    Path dir;
    private AdapterHarness broker;
    private SocketFrontEnd front;

    @BeforeEach
    void start() throws Exception {
        front = new SocketFrontEnd();
        broker = new AdapterHarness(dir, Map.of(), front.port());
        broker.createTopic("real", 3);
        front.serve(broker.adapter());
    }

    @AfterEach
    void stop() throws Exception {
        front.close();
        broker.close();
    }

    @Test
    void shouldDeliverEveryRecordOfTheDefaultProducerInOrderToAConsumer() throws Exception {
        int count = 3000;
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>("real", i % 3, "key-" + i, i % 100 == 0 ? null : "value-" + i);
                record.headers().add("h", ("header-" + i).getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(record));
            }
            producer.flush();
            for (int i = 0; i < count; i++) {
                assertThat(sent.get(i).get().offset()).isEqualTo(i / 3);
            }
        }
        List<ConsumerRecord<String, String>> received = consumeAll(count);
        Map<Integer, Long> nextOffset = new HashMap<>();
        for (ConsumerRecord<String, String> r : received) {
            int i = Integer.parseInt(r.key().substring(4));
            assertThat(r.partition()).isEqualTo(i % 3);
            assertThat(r.offset()).isEqualTo(nextOffset.getOrDefault(r.partition(), 0L));
            nextOffset.put(r.partition(), r.offset() + 1);
            assertThat(r.value()).isEqualTo(i % 100 == 0 ? null : "value-" + i);
            assertThat(new String(r.headers().lastHeader("h").value(), StandardCharsets.UTF_8)).isEqualTo("header-" + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void shouldPassEveryCompressionCodecThrough(String codec) throws Exception {
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec,
                ProducerConfig.ACKS_CONFIG, "1"))) {
            for (int i = 0; i < 300; i++) {
                producer.send(new ProducerRecord<>("real", 0, "k" + i, codec + "-" + i));
            }
            producer.flush();
        }
        List<ConsumerRecord<String, String>> received = consumeAll(300);
        assertThat(received).extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 300).mapToObj(i -> codec + "-" + i).toList());
    }

    @Test
    void shouldAnswerOffsetsForTimesAndTheLogBounds() throws Exception {
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("real", 1, 1_000L * (i + 1), "k", "v" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = consumer()) {
            TopicPartition tp = new TopicPartition("real", 1);
            assertThat(consumer.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 10L);
            OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(tp, 4_500L)).get(tp);
            assertThat(found.offset()).isEqualTo(4);
            assertThat(found.timestamp()).isEqualTo(5_000L);
        }
    }

    private List<ConsumerRecord<String, String>> consumeAll(int count) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = List.of(new TopicPartition("real", 0), new TopicPartition("real", 1),
                    new TopicPartition("real", 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertThat(received).hasSize(count);
        return received;
    }

    private KafkaProducer<String, String> producer(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, front.bootstrap());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putAll(overrides);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, front.bootstrap());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}

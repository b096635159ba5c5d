package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One fetch answer holding more record batches than one {@code writev} takes (1,024): a consumer of many partitions
 * catching up. Every record arrives, in order per partition.
 */
@ExtendWith(BrokerExtension.class)
class WideFetchTest {

    private static final int PARTITIONS = 48;
    private static final int BATCHES_PER_PARTITION = 30;

    @Test
    void shouldDeliverEveryBatchOfAFetchAnswerOverMorePartitionsAndBatchesThanOneWritevTakes(TargetBroker broker)
            throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "wide-fetch", PARTITIONS);
        // a flush after each round: one batch per partition and round, 1,440 batches in all
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < BATCHES_PER_PARTITION; i++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    sent.add(producer.send(new ProducerRecord<>(topic, p, "k", value(p, i))));
                }
                producer.flush();
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        Map<Integer, List<String>> got = new HashMap<>();
        int total = 0;
        // fetch.min.bytes beyond what is there: the broker answers at max.wait with everything at once
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of(
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (total < PARTITIONS * BATCHES_PER_PARTITION && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    got.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.value());
                    total++;
                }
            }
        }
        assertThat(total).isEqualTo(PARTITIONS * BATCHES_PER_PARTITION);
        for (int p = 0; p < PARTITIONS; p++) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < BATCHES_PER_PARTITION; i++) {
                expected.add(value(p, i));
            }
            assertThat(got.get(p)).as("partition %d", p).isEqualTo(expected);
        }
    }

    private static String value(int partition, int index) {
        return "p" + partition + "-r" + index + "-" + "x".repeat(index * 7 % 50);
    }
}

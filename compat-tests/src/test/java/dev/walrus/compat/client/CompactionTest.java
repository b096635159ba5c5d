package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Log compaction ({@code cleanup.policy=compact}) as a client sees it: once the segment holding the old records has
 * rolled ({@code segment.ms}) and the log is dirty enough ({@code min.cleanable.dirty.ratio}), a consumer reading from
 * the beginning gets only the last record of each key, at its original offset; a tombstone stays readable until
 * {@code delete.retention.ms} after the cleaning that first kept it, and goes with the next cleaning after that.
 * Records without a key are refused.
 *
 * <p>Timing: the cleaner runs every {@code log.cleaner.backoff.ms} (Kafka: 15 s, this broker: 1 s), so each step
 * waits for the expected log with a generous bound.
 */
@ExtendWith(BrokerExtension.class)
class CompactionTest {

    private static final Duration CLEANING_WAIT = Duration.ofSeconds(90);
    private static final long DELETE_RETENTION_MS = 2_000;

    private TargetBroker broker;
    private Admin admin;

    @BeforeEach
    void openAdmin(TargetBroker broker) {
        this.broker = broker;
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void shouldKeepTheLastRecordOfEachKeyAtItsOffsetAndDropTombstonesAfterDeleteRetention() throws Exception {
        String topic = TestTopics.create(admin, TestTopics.unique("compacted"), 1, Map.of(
                "cleanup.policy", "compact",
                "segment.ms", "100",
                "min.cleanable.dirty.ratio", "0.01",
                "delete.retention.ms", String.valueOf(DELETE_RETENTION_MS)));
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            for (int round = 1; round <= 2; round++) {
                for (int k = 0; k < 10; k++) {
                    // offsets 0-9: v1 of k0..k9; 10-18: v2 of k0..k8; 19: a tombstone for k9
                    String value = round == 2 && k == 9 ? null : "v" + round;
                    producer.send(new ProducerRecord<>(topic, "k" + k, value)).get();
                }
            }
            Thread.sleep(300); // past segment.ms: the next append rolls the segment, whose records become cleanable
            assertThat(producer.send(new ProducerRecord<>(topic, "a", "after-first-roll")).get().offset()).isEqualTo(20);

            List<String> afterFirstCleaning = new ArrayList<>();
            for (int k = 0; k < 9; k++) {
                afterFirstCleaning.add((10 + k) + " k" + k + "=v2");
            }
            afterFirstCleaning.add("19 k9=null");
            afterFirstCleaning.add("20 a=after-first-roll");
            awaitLog(tp, afterFirstCleaning);

            Thread.sleep(DELETE_RETENTION_MS + 500); // past the tombstone's delete horizon, and past segment.ms
            assertThat(producer.send(new ProducerRecord<>(topic, "b", "after-second-roll")).get().offset()).isEqualTo(21);

            List<String> afterSecondCleaning = new ArrayList<>(afterFirstCleaning);
            afterSecondCleaning.remove("19 k9=null");
            afterSecondCleaning.add("21 b=after-second-roll");
            awaitLog(tp, afterSecondCleaning);
        }
        // Compaction moves neither end of the log.
        assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset()).isZero();
        assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset()).isEqualTo(22);
    }

    @Test
    void shouldRefuseARecordWithoutKeyOnACompactedTopic() throws Exception {
        String topic = TestTopics.create(admin, TestTopics.unique("compacted-keyless"), 1,
                Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, null, "no key")).get())
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessage("Compacted topic cannot accept message without key in topic partition " + topic + "-0");
            assertThat(producer.send(new ProducerRecord<>(topic, "key", "kept")).get().offset()).isZero();
        }
    }

    /** Reads the whole partition from the beginning until it is exactly {@code expected} ("offset key=value"). */
    private void awaitLog(TopicPartition tp, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + CLEANING_WAIT.toNanos();
        List<String> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = readAll(tp);
            if (seen.equals(expected)) {
                return;
            }
            Thread.sleep(200);
        }
        assertThat(seen).as("the log after cleaning").isEqualTo(expected);
    }

    private List<String> readAll(TopicPartition tp) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of("auto.offset.reset", "earliest"))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<String> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    records.add(r.offset() + " " + r.key() + "=" + r.value());
                }
            }
            return records;
        }
    }
}

package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * KIP-320 position validation: a consumer that seeks with a leader epoch asks the broker where that epoch ends
 * (OffsetForLeaderEpoch) before it fetches. A position inside the epoch is kept; one beyond its end is reported as
 * log truncation, as Kafka does for a fresh topic's epoch 0.
 */
@ExtendWith(BrokerExtension.class)
class LeaderEpochValidationTest {

    private String bootstrap;
    private TopicPartition tp;

    @BeforeEach
    void tenRecords(TargetBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        tp = new TopicPartition(TestTopics.createUnique(bootstrap, "leader-epoch", 1), 0);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(tp.topic(), 0, null, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldKeepAPositionInsideTheLeaderEpoch() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of("auto.offset.reset", "none"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, new OffsetAndMetadata(6, Optional.of(0), ""));
            List<ConsumerRecord<String, String>> records = Records.pollExactly(consumer, 4);
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(6L, 7L, 8L, 9L);
            assertThat(records.getFirst().leaderEpoch()).contains(0);
        }
    }

    @Test
    void shouldReportTruncationForAPositionBeyondTheEndOfItsEpoch() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of("auto.offset.reset", "none"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, new OffsetAndMetadata(50, Optional.of(0), ""));
            assertThatThrownBy(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOfSatisfying(LogTruncationException.class, e -> {
                assertThat(e.divergentOffsets()).containsEntry(tp, new OffsetAndMetadata(10, Optional.of(0), ""));
            });
        }
    }
}

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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * KafkaConsumer with assign: seek, seekToBeginning, seekToEnd, beginning/end offsets, offsetsForTimes, over a
 * partition of 10 records with timestamps 1,000 ms apart.
 */
@ExtendWith(BrokerExtension.class)
class ConsumerPositioningTest {

    private static final int RECORDS = 10;
    private static final long T0 = 1_700_000_000_000L;

    private TargetBroker broker;
    private TopicPartition partition;

    @BeforeEach
    void writeTenRecords(TargetBroker broker) throws Exception {
        this.broker = broker;
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "positioning", 2, TestTopics.KEPT_FOREVER);
        partition = new TopicPartition(topic, 1);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, 1, T0 + i * 1000L, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldReadFromTheOffsetSeekedTo() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, 7);
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, 3);
            assertThat(got).extracting(ConsumerRecord::offset).containsExactly(7L, 8L, 9L);
            assertThat(got).extracting(ConsumerRecord::value).containsExactly("v7", "v8", "v9");
        }
    }

    @Test
    void shouldSeekBackwardsAndReadAgain() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(partition));
            Records.pollExactly(consumer, RECORDS);
            consumer.seek(partition, 2);
            assertThat(Records.pollExactly(consumer, 8)).extracting(ConsumerRecord::offset)
                .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void shouldReadEverythingAfterSeekToBeginning() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of("auto.offset.reset", "latest"))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            assertThat(consumer.position(partition)).isZero();
            assertThat(Records.pollExactly(consumer, RECORDS)).extracting(ConsumerRecord::value)
                .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        }
    }

    @Test
    void shouldReadOnlyNewRecordsAfterSeekToEnd() throws Exception {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            assertThat(consumer.position(partition)).isEqualTo(RECORDS);
            assertThat(Records.pollFor(consumer, Duration.ofMillis(500))).isEmpty();

            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>(partition.topic(), 1, "k-new", "v-new")).get(30, TimeUnit.SECONDS);
            }
            ConsumerRecord<String, String> got = Records.pollExactly(consumer, 1).getFirst();
            assertThat(got.offset()).isEqualTo(RECORDS);
            assertThat(got.value()).isEqualTo("v-new");
        }
    }

    @Test
    void shouldReportBeginningAndEndOffsets() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            TopicPartition empty = new TopicPartition(partition.topic(), 0);
            assertThat(consumer.beginningOffsets(List.of(partition, empty)))
                .containsEntry(partition, 0L).containsEntry(empty, 0L);
            assertThat(consumer.endOffsets(List.of(partition, empty)))
                .containsEntry(partition, (long) RECORDS).containsEntry(empty, 0L);
        }
    }

    @Test
    void shouldFindTheFirstOffsetAtOrAfterATimestamp() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            Map<TopicPartition, OffsetAndTimestamp> between = consumer.offsetsForTimes(Map.of(partition, T0 + 3_500));
            assertThat(between.get(partition).offset()).isEqualTo(4);
            assertThat(between.get(partition).timestamp()).isEqualTo(T0 + 4_000);

            Map<TopicPartition, OffsetAndTimestamp> exact = consumer.offsetsForTimes(Map.of(partition, T0 + 6_000));
            assertThat(exact.get(partition).offset()).isEqualTo(6);

            Map<TopicPartition, OffsetAndTimestamp> early = consumer.offsetsForTimes(Map.of(partition, 0L));
            assertThat(early.get(partition).offset()).isZero();
            assertThat(early.get(partition).timestamp()).isEqualTo(T0);
        }
    }

    @Test
    void shouldFindNoOffsetForATimestampAfterTheLastRecord() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            Map<TopicPartition, OffsetAndTimestamp> late = consumer.offsetsForTimes(Map.of(partition, T0 + RECORDS * 1000L));
            assertThat(late).containsEntry(partition, null);
        }
    }

    @Test
    void shouldSeekToTheOffsetFoundForATimestamp() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(partition));
            long offset = consumer.offsetsForTimes(Map.of(partition, T0 + 8_000)).get(partition).offset();
            consumer.seek(partition, offset);
            assertThat(Records.pollExactly(consumer, 2)).extracting(ConsumerRecord::timestamp)
                .containsExactly(T0 + 8_000, T0 + 9_000);
        }
    }

    @Test
    void shouldThrowOffsetOutOfRangeBeyondTheEndWhenNoResetPolicyIsSet() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of("auto.offset.reset", "none"))) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, RECORDS + 5);
            assertThatThrownBy(() -> Records.pollFor(consumer, Duration.ofSeconds(5)))
                .isInstanceOf(OffsetOutOfRangeException.class);
        }
    }

    @Test
    void shouldResetToTheEarliestOffsetWhenSeekedBeyondTheEnd() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, RECORDS + 5);
            assertThat(Records.pollExactly(consumer, RECORDS)).extracting(ConsumerRecord::offset)
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }
    }
}

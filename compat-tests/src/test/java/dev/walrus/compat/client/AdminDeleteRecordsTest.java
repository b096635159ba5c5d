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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeletedRecords;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admin deleteRecords (DeleteRecords): the log start offset moves forward, reads begin there, offsets below it are out
 * of range, and the edge cases answer as Kafka does (-1 means the high watermark, beyond it is out of range, below the
 * current start changes nothing). Test suites use it to empty a topic between tests. (An unknown topic never reaches
 * the broker: the admin client retries its metadata until the call times out; the adapter's own tests cover it.)
 */
@ExtendWith(BrokerExtension.class)
class AdminDeleteRecordsTest {

    private static final int BATCHES = 10;
    private static final int PER_BATCH = 10;

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
    void shouldStartReadsAtTheNewLogStartOffsetAndRefuseOffsetsBelowIt() throws Exception {
        TopicPartition tp = topicWithHundredRecords("delete-records");

        assertThat(deleteBefore(tp, 35)).isEqualTo(35);

        assertThat(offset(tp, OffsetSpec.earliest())).isEqualTo(35);
        assertThat(offset(tp, OffsetSpec.latest())).isEqualTo(BATCHES * PER_BATCH);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of("auto.offset.reset", "none"))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, String>> rest = Records.pollExactly(consumer, 65);
            assertThat(rest.getFirst().offset()).isEqualTo(35);
            assertThat(rest.getFirst().value()).isEqualTo("v35");
            assertThat(rest.getLast().offset()).isEqualTo(99);

            consumer.seek(tp, 10);
            assertThatThrownBy(() -> pollUntilRefused(consumer))
                    .isInstanceOf(OffsetOutOfRangeException.class);
        }
    }

    @Test
    void shouldTakeMinusOneAsTheHighWatermarkAndLeaveAnEmptyPartition() throws Exception {
        TopicPartition tp = topicWithHundredRecords("delete-records-all");

        assertThat(deleteBefore(tp, RecordsToDelete.beforeOffset(-1))).isEqualTo(BATCHES * PER_BATCH);

        assertThat(offset(tp, OffsetSpec.earliest())).isEqualTo(BATCHES * PER_BATCH);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers());
             KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, "after")).get(30, TimeUnit.SECONDS);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            ConsumerRecord<String, String> only = Records.pollExactly(consumer, 1).getFirst();
            assertThat(only.offset()).isEqualTo(100);
            assertThat(only.value()).isEqualTo("after");
        }
    }

    @Test
    void shouldRefuseAnOffsetBeyondTheHighWatermarkAndIgnoreOneBelowTheLogStart() throws Exception {
        TopicPartition tp = topicWithHundredRecords("delete-records-edges");

        assertThatThrownBy(() -> deleteBefore(tp, 101))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(org.apache.kafka.common.errors.OffsetOutOfRangeException.class);
        assertThat(offset(tp, OffsetSpec.earliest())).isZero();

        assertThat(deleteBefore(tp, 100)).as("exactly the high watermark").isEqualTo(100);
        assertThat(deleteBefore(tp, 20)).as("below the log start: nothing moves").isEqualTo(100);
        assertThat(offset(tp, OffsetSpec.earliest())).isEqualTo(100);
    }

    /** One partition holding offsets 0-99 as ten batches of ten records ("v0".."v99"). */
    private TopicPartition topicWithHundredRecords(String prefix) throws Exception {
        String topic = TestTopics.create(admin, TestTopics.unique(prefix), 1);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                Map.of("linger.ms", "1000", "batch.size", "1000000"))) {
            for (int b = 0; b < BATCHES; b++) {
                for (int i = 0; i < PER_BATCH; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, null, "v" + (b * PER_BATCH + i)));
                }
                producer.flush(); // one batch per flush: offset 35 lies inside a batch
            }
        }
        return new TopicPartition(topic, 0);
    }

    private long deleteBefore(TopicPartition tp, long offset) throws Exception {
        return deleteBefore(tp, RecordsToDelete.beforeOffset(offset));
    }

    private long deleteBefore(TopicPartition tp, RecordsToDelete records) throws Exception {
        DeletedRecords deleted = admin.deleteRecords(Map.of(tp, records)).lowWatermarks().get(tp)
                .get(30, TimeUnit.SECONDS);
        return deleted.lowWatermark();
    }

    private long offset(TopicPartition tp, OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get(30, TimeUnit.SECONDS).offset();
    }

    private static void pollUntilRefused(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)); // throws once the fetch is refused
        }
        throw new AssertionError("no OffsetOutOfRangeException within 30 s");
    }
}

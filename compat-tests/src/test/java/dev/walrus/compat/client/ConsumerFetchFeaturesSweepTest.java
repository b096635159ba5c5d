package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * KafkaConsumer fetch settings and flow control on assigned partitions: pause/resume, max.poll.records,
 * max.partition.fetch.bytes and fetch.max.bytes smaller than a batch, fetch.min.bytes with fetch.max.wait.ms, a
 * long-polling fetch answered when a record arrives, auto.offset.reset=by_duration (KIP-842), and read_committed over
 * two transactions interleaved in the same partitions, one aborted.
 */
@ExtendWith(BrokerExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ConsumerFetchFeaturesSweepTest {

    private static void send(String bootstrap, String topic, int partition, int count, String prefix) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, "k" + i, prefix + i));
            }
            producer.flush();
        }
    }

    @Test
    void shouldReturnNothingFromAPausedPartitionUntilItIsResumed(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-pause", 2);
        send(bootstrap, topic, 0, 5, "a");
        send(bootstrap, topic, 1, 5, "b");
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            consumer.assign(List.of(p0, p1));
            consumer.pause(List.of(p1));
            assertThat(consumer.paused()).containsExactly(p1);
            List<ConsumerRecord<String, String>> first = Records.pollExactly(consumer, 5);
            assertThat(first).allMatch(r -> r.partition() == 0);
            assertThat(Records.pollFor(consumer, Duration.ofMillis(700))).isEmpty();
            assertThat(consumer.position(p1)).isZero();
            consumer.resume(List.of(p1));
            assertThat(Records.pollExactly(consumer, 5)).extracting(ConsumerRecord::value)
                    .containsExactly("b0", "b1", "b2", "b3", "b4");
        }
    }

    @Test
    void shouldReturnAtMostMaxPollRecordsPerPollInOrder(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-maxpoll-records", 1);
        send(bootstrap, topic, 0, 50, "v");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 7))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<Long> offsets = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (offsets.size() < 50 && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(200));
                assertThat(batch.count()).isLessThanOrEqualTo(7);
                batch.forEach(r -> offsets.add(r.offset()));
            }
            assertThat(offsets).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat(offsets.get(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void shouldStillReturnABatchLargerThanMaxPartitionFetchBytesAndFetchMaxBytes(TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-small-fetch", 1);
        String big = "x".repeat(5_000);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap,
                Map.of("linger.ms", 50, "batch.size", 100_000))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, big + i));
            }
            producer.flush();
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 100, ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 100))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, 10);
            assertThat(got).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(got.get(9).value()).isEqualTo(big + 9);
        }
    }

    @Test
    void shouldHoldAFetchUntilFetchMaxWaitWhenFetchMinBytesIsNotReached(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-min-bytes", 1);
        send(bootstrap, topic, 0, 1, "v");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1_000_000, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1_500))) {
            TopicPartition p0 = new TopicPartition(topic, 0);
            consumer.assign(List.of(p0));
            consumer.seek(p0, 0);
            long start = System.nanoTime();
            Records.pollExactly(consumer, 1);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMs).as("the fetch waits for fetch.max.wait.ms").isGreaterThanOrEqualTo(1_300);
        }
    }

    @Test
    void shouldAnswerALongPollingFetchAsSoonAsARecordArrives(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-long-poll", 1);
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 6_000))) {
            consumer.assign(List.of(p0));
            consumer.seekToEnd(List.of(p0));
            assertThat(consumer.position(p0)).isZero();
            assertThat(Records.pollFor(consumer, Duration.ofMillis(1_000))).isEmpty(); // a fetch is now parked
            CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
                try {
                    send(bootstrap, topic, 0, 1, "late");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            later.get(30, TimeUnit.SECONDS);
            long sent = System.nanoTime();
            ConsumerRecords<String, String> got = consumer.poll(Duration.ofSeconds(15));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertThat(got.count()).isEqualTo(1);
            assertThat(tookMs).as("the parked fetch is answered when the record arrives").isLessThan(3_500);
        }
    }

    @Test
    void shouldResetByDurationToTheFirstRecordOfTheLastHour(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-by-duration", 1);
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, 0, now - 3 * 3_600_000L + i, "k", "old" + i));
            }
            for (int i = 0; i < 2; i++) {
                producer.send(new ProducerRecord<>(topic, 0, now - 60_000L + i, "k", "new" + i));
            }
            producer.flush();
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "by_duration:PT1H"))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            assertThat(Records.pollExactly(consumer, 2)).extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, "new0"),
                            org.assertj.core.groups.Tuple.tuple(4L, "new1"));
        }
    }

    @Test
    void shouldSkipAnAbortedTransactionInterleavedWithACommittedOneAcrossPartitions(TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-interleaved", 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (KafkaProducer<String, String> committer = Clients.transactionalProducer(bootstrap,
                     TestTopics.unique("sweep-commit"));
             KafkaProducer<String, String> aborter = Clients.transactionalProducer(bootstrap,
                     TestTopics.unique("sweep-abort"));
             KafkaProducer<String, String> plain = Clients.producer(bootstrap)) {
            committer.initTransactions();
            aborter.initTransactions();
            committer.beginTransaction();
            aborter.beginTransaction();
            for (int round = 0; round < 3; round++) {
                for (int p = 0; p < 2; p++) {
                    committer.send(new ProducerRecord<>(topic, p, "c", "commit-" + p + "-" + round)).get(30, TimeUnit.SECONDS);
                    aborter.send(new ProducerRecord<>(topic, p, "a", "abort-" + p + "-" + round)).get(30, TimeUnit.SECONDS);
                    plain.send(new ProducerRecord<>(topic, p, "n", "plain-" + p + "-" + round)).get(30, TimeUnit.SECONDS);
                }
            }
            aborter.abortTransaction();
            committer.commitTransaction();
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2))) {
            consumer.assign(List.of(p0, p1));
            assertThat(consumer.endOffsets(List.of(p0, p1))).containsEntry(p0, 11L).containsEntry(p1, 11L);
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, 12);
            for (int p = 0; p < 2; p++) {
                int partition = p;
                assertThat(got.stream().filter(r -> r.partition() == partition))
                        .extracting(ConsumerRecord::offset, ConsumerRecord::value)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple(0L, "commit-" + p + "-0"),
                                org.assertj.core.groups.Tuple.tuple(2L, "plain-" + p + "-0"),
                                org.assertj.core.groups.Tuple.tuple(3L, "commit-" + p + "-1"),
                                org.assertj.core.groups.Tuple.tuple(5L, "plain-" + p + "-1"),
                                org.assertj.core.groups.Tuple.tuple(6L, "commit-" + p + "-2"),
                                org.assertj.core.groups.Tuple.tuple(8L, "plain-" + p + "-2"));
            }
            assertThat(Records.pollFor(consumer, Duration.ofMillis(500))).isEmpty();
            assertThat(consumer.position(p0)).isEqualTo(11);
            assertThat(consumer.position(p1)).isEqualTo(11);
        }
    }

    @Test
    void shouldFindNoOffsetForATimestampInsideAnOpenTransactionUnderReadCommitted(TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-times-rc", 1);
        TopicPartition p0 = new TopicPartition(topic, 0);
        long t0 = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<String, String> plain = Clients.producer(bootstrap);
             KafkaProducer<String, String> txn = Clients.transactionalProducer(bootstrap, TestTopics.unique("sweep-times"))) {
            for (int i = 0; i < 3; i++) {
                plain.send(new ProducerRecord<>(topic, 0, t0 + i * 1_000L, "k", "plain" + i)).get(30, TimeUnit.SECONDS);
            }
            txn.initTransactions();
            txn.beginTransaction();
            for (int i = 3; i < 6; i++) {
                txn.send(new ProducerRecord<>(topic, 0, t0 + i * 1_000L, "k", "txn" + i)).get(30, TimeUnit.SECONDS);
            }
            try (KafkaConsumer<String, String> committed = Clients.consumer(bootstrap,
                         Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
                 KafkaConsumer<String, String> uncommitted = Clients.consumer(bootstrap)) {
                assertThat(committed.offsetsForTimes(Map.of(p0, t0 + 1_000)).get(p0).offset()).isEqualTo(1);
                assertThat(committed.offsetsForTimes(Map.of(p0, t0 + 4_000)).get(p0)).isNull();
                assertThat(uncommitted.offsetsForTimes(Map.of(p0, t0 + 4_000)).get(p0).offset()).isEqualTo(4);
                assertThat(committed.endOffsets(List.of(p0))).containsEntry(p0, 3L);
                assertThat(committed.beginningOffsets(List.of(p0))).containsEntry(p0, 0L);
            }
            txn.commitTransaction();
        }
        try (KafkaConsumer<String, String> committed = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            // Kafka answers EndTxn before its marker is written: wait for the last stable offset to pass the marker
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (committed.endOffsets(List.of(p0)).get(p0) != 7L && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(committed.endOffsets(List.of(p0))).containsEntry(p0, 7L);
            assertThat(committed.offsetsForTimes(Map.of(p0, t0 + 4_000)).get(p0).offset()).isEqualTo(4);
        }
    }

    @Test
    void shouldReportTheCurrentLagFromTheFetchedHighWatermark(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-lag", 1);
        send(bootstrap, topic, 0, 10, "v");
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 3))) {
            consumer.assign(List.of(p0));
            assertThat(consumer.currentLag(p0)).isEmpty();
            Records.pollExactly(consumer, 3);
            assertThat(consumer.currentLag(p0)).hasValue(7L);
        }
    }

    @Test
    void shouldFindTheOffsetOfTheLargestTimestampAndEachRecordsLeaderEpoch(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-max-ts", 1);
        TopicPartition p0 = new TopicPartition(topic, 0);
        long base = System.currentTimeMillis() - 10_000;
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (long delta : new long[] {5, 9, 3}) {
                producer.send(new ProducerRecord<>(topic, 0, base + delta, "k", "v" + delta)).get(30, TimeUnit.SECONDS);
            }
        }
        try (org.apache.kafka.clients.admin.Admin admin = Clients.admin(bootstrap)) {
            var result = admin.listOffsets(Map.of(p0, org.apache.kafka.clients.admin.OffsetSpec.maxTimestamp()))
                    .partitionResult(p0).get(30, TimeUnit.SECONDS);
            assertThat(result.offset()).isEqualTo(1);
            assertThat(result.timestamp()).isEqualTo(base + 9);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            consumer.assign(List.of(p0));
            assertThat(Records.pollExactly(consumer, 3)).allMatch(r -> r.leaderEpoch().equals(java.util.Optional.of(0)));
        }
    }
}

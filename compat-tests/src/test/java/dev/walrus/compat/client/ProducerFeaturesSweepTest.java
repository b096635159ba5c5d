package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * KafkaProducer settings applications tune: a custom partitioner, batching extremes (batch.size, linger.ms), in-flight
 * requests with and without idempotence, flush, partitionsFor, large header values, partitions added while producing,
 * and the timestamp bounds message.timestamp.after.max.ms / before.max.ms (KIP-937).
 */
@ExtendWith(BrokerExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ProducerFeaturesSweepTest {

    /** Sends every record to the partition named by the key's last digit. */
    public static final class LastDigitPartitioner implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
            String k = (String) key;
            return Character.digit(k.charAt(k.length() - 1), 10) % cluster.partitionCountForTopic(topic);
        }

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs) {}
    }

    @Test
    void shouldWriteToThePartitionsACustomPartitionerChooses(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-partitioner", 3);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap,
                Map.of(ProducerConfig.PARTITIONER_CLASS_CONFIG, LastDigitPartitioner.class.getName()))) {
            for (int i = 0; i < 9; i++) {
                RecordMetadata md = producer.send(new ProducerRecord<>(topic, "key" + i, "v" + i)).get(30, TimeUnit.SECONDS);
                assertThat(md.partition()).isEqualTo(i % 3);
                assertThat(md.offset()).isEqualTo(i / 3);
            }
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            consumer.assign(List.of(new TopicPartition(topic, 2)));
            assertThat(Records.pollExactly(consumer, 3)).extracting(ConsumerRecord::value)
                    .containsExactly("v2", "v5", "v8");
        }
    }

    @ParameterizedTest(name = "batch.size={0} linger.ms={1} max.in.flight={2} idempotence={3}")
    @CsvSource({
        "0, 0, 5, true",
        "1, 0, 1, false",
        "1048576, 100, 5, true",
        "16384, 5, 1, true",
        "16384, 5, 5, false",
    })
    void shouldStoreEveryRecordOnceInOrderWhateverTheBatchingAndInFlightSettings(int batchSize, int lingerMs,
            int maxInFlight, boolean idempotence, TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-batching", 1);
        int count = 2_000;
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of(
                ProducerConfig.BATCH_SIZE_CONFIG, batchSize,
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, maxInFlight,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence,
                ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < count; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)));
            }
            producer.flush();
            for (int i = 0; i < count; i++) {
                assertThat(futures.get(i).isDone()).isTrue();
                assertThat(futures.get(i).get().offset()).isEqualTo(i);
            }
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, count);
            for (int i = 0; i < count; i++) {
                assertThat(got.get(i).value()).isEqualTo("v" + i);
            }
        }
    }

    @Test
    void shouldDescribeTheTopicsPartitionsWithPartitionsFor(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-partitions-for", 3);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            List<PartitionInfo> infos = producer.partitionsFor(topic);
            assertThat(infos).extracting(PartitionInfo::partition).containsExactlyInAnyOrder(0, 1, 2);
            for (PartitionInfo info : infos) {
                assertThat(info.leader()).isNotNull();
                assertThat(info.replicas()).containsExactly(info.leader());
                assertThat(info.inSyncReplicas()).containsExactly(info.leader());
                assertThat(info.offlineReplicas()).isEmpty();
            }
        }
    }

    @Test
    void shouldKeepAHeaderValueOfHalfAMegabyte(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-big-header", 1);
        byte[] value = new byte[512 * 1024];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, 0, "k", "v");
            record.headers().add("big", value).add("small", "s".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            ConsumerRecord<String, String> got = Records.pollExactly(consumer, 1).getFirst();
            Header[] headers = got.headers().toArray();
            assertThat(headers).extracting(Header::key).containsExactly("big", "small");
            assertThat(Arrays.equals(headers[0].value(), value)).isTrue();
        }
    }

    @Test
    void shouldProduceToAPartitionAddedWhileTheProducerRuns(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-add-partition", 1);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap,
                Map.of(ProducerConfig.METADATA_MAX_AGE_CONFIG, 500));
             Admin admin = Clients.admin(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "before")).get(30, TimeUnit.SECONDS);
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2))).all().get(30, TimeUnit.SECONDS);
            RecordMetadata md = producer.send(new ProducerRecord<>(topic, 1, "k", "after")).get(30, TimeUnit.SECONDS);
            assertThat(md.partition()).isEqualTo(1);
            assertThat(md.offset()).isZero();
            assertThat(producer.partitionsFor(topic)).hasSize(2);
        }
    }

    @Test
    void shouldRefuseATimestampFurtherAheadThanMessageTimestampAfterMaxMs(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic;
        try (Admin admin = Clients.admin(bootstrap)) {
            topic = TestTopics.create(admin, TestTopics.unique("sweep-future"), 1,
                    Map.of("message.timestamp.after.max.ms", "60000"));
        }
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            RecordMetadata ok = producer.send(new ProducerRecord<>(topic, 0, now + 30_000, "k", "soon"))
                    .get(30, TimeUnit.SECONDS);
            assertThat(ok.offset()).isZero();
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, now + 3_600_000, "k", "later"))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidTimestampException.class);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            TopicPartition p0 = new TopicPartition(topic, 0);
            assertThat(consumer.endOffsets(List.of(p0))).containsEntry(p0, 1L);
        }
    }

    @Test
    void shouldRefuseATimestampOlderThanMessageTimestampBeforeMaxMs(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic;
        try (Admin admin = Clients.admin(bootstrap)) {
            topic = TestTopics.create(admin, TestTopics.unique("sweep-past"), 1,
                    Map.of("message.timestamp.before.max.ms", "60000"));
        }
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, now - 3_600_000, "k", "old"))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidTimestampException.class);
            RecordMetadata ok = producer.send(new ProducerRecord<>(topic, 0, now - 1_000, "k", "recent"))
                    .get(30, TimeUnit.SECONDS);
            assertThat(ok.offset()).isZero();
        }
    }

    @Test
    void shouldRefuseATimestampTwoHoursAheadUnderTheDefaultTopicConfig(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-future-default", 1);
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, now + 2 * 3_600_000L, "k", "later"))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidTimestampException.class);
        }
    }

    /** Kafka 4.x (KIP-966) caps the effective min.insync.replicas at the replication factor. */
    @Test
    void shouldAcceptAcksAllWhenMinInsyncReplicasExceedsTheReplicationFactor(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic;
        try (Admin admin = Clients.admin(bootstrap)) {
            topic = TestTopics.create(admin, TestTopics.unique("sweep-min-isr"), 1, Map.of("min.insync.replicas", "2"));
        }
        try (KafkaProducer<String, String> all = Clients.producer(bootstrap, Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.RETRIES_CONFIG, 0));
             KafkaProducer<String, String> idempotent = Clients.producer(bootstrap)) {
            assertThat(all.send(new ProducerRecord<>(topic, 0, "k", "all")).get(30, TimeUnit.SECONDS).offset()).isZero();
            assertThat(idempotent.send(new ProducerRecord<>(topic, 0, "k", "idem")).get(30, TimeUnit.SECONDS).offset())
                    .isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseATransactionTimeoutAboveTheBrokersMaximum(TargetBroker broker) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(broker.bootstrapServers(),
                TestTopics.unique("sweep-long-txn"), Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 3_600_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_600_000))) {
            // the client wraps INVALID_TRANSACTION_TIMEOUT in a KafkaException carrying the broker's message
            assertThatThrownBy(producer::initTransactions)
                    .isInstanceOf(org.apache.kafka.common.KafkaException.class)
                    .hasMessageContaining("The transaction timeout is larger than the maximum value allowed by the broker "
                            + "(as configured by transaction.max.timeout.ms).");
        }
    }

    @Test
    void shouldCommitATransactionHoldingOnlyConsumerOffsets(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-offsets-only", 1);
        String group = TestTopics.unique("sweep-offsets-only");
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                TestTopics.unique("sweep-offsets-only"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.commitTransaction(); // an empty transaction
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(p0, new org.apache.kafka.clients.consumer.OffsetAndMetadata(42, "m")),
                    new org.apache.kafka.clients.consumer.ConsumerGroupMetadata(group));
            producer.commitTransaction();
        }
        try (Admin admin = Clients.admin(bootstrap)) {
            var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(offsets.get(p0).offset()).isEqualTo(42);
            assertThat(offsets.get(p0).metadata()).isEqualTo("m");
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            assertThat(consumer.endOffsets(List.of(p0))).containsEntry(p0, 0L);
        }
    }
}

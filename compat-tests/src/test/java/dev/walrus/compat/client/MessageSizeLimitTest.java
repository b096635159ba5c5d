package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code message.max.bytes} bounds a record batch (its whole size, log overhead included): a batch of exactly that
 * size is stored, one byte more is refused with MESSAGE_TOO_LARGE, which the producer reports as RecordTooLargeException.
 */
@ExtendWith(BrokerExtension.class)
class MessageSizeLimitTest {

    private TargetBroker broker;
    private int messageMaxBytes;

    @BeforeEach
    void readTheBrokersLimit(TargetBroker broker) throws Exception {
        this.broker = broker;
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            String nodeId = String.valueOf(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, nodeId);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            messageMaxBytes = Integer.parseInt(config.get("message.max.bytes").value());
        }
    }

    @Test
    void shouldStoreARecordWhoseBatchFillsMessageMaxBytesExactly() throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "size-limit-fits", 1);
        int valueSize = largestValueFitting(messageMaxBytes);
        byte[] value = pattern(valueSize);

        try (KafkaProducer<byte[], byte[]> producer = bigRecordProducer()) {
            assertThat(producer.send(new ProducerRecord<>(topic, 0, null, value)).get(60, TimeUnit.SECONDS).offset())
                .isZero();
        }

        try (KafkaConsumer<byte[], byte[]> consumer = Clients.bytesConsumer(broker.bootstrapServers(), Map.of())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            ConsumerRecord<byte[], byte[]> got = Records.pollExactly(consumer, 1).getFirst();
            assertThat(got.serializedValueSize()).isEqualTo(valueSize);
            assertThat(Arrays.equals(got.value(), value)).as("value bytes equal").isTrue();
        }
    }

    @Test
    void shouldRejectARecordWhoseBatchIsOneByteOverMessageMaxBytes() throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "size-limit-over", 1);
        byte[] value = pattern(largestValueFitting(messageMaxBytes) + 1);

        try (KafkaProducer<byte[], byte[]> producer = bigRecordProducer()) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, null, value)).get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RecordTooLargeException.class);
        }

        try (KafkaConsumer<byte[], byte[]> consumer = Clients.bytesConsumer(broker.bootstrapServers(), Map.of())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 0L);
        }
    }

    /** A producer whose own limits are far above the broker's, so only the broker decides. */
    private KafkaProducer<byte[], byte[]> bigRecordProducer() {
        return Clients.bytesProducer(broker.bootstrapServers(), Map.of(
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 * messageMaxBytes),
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"));
    }

    /** Largest value (null key, no headers) whose one-record batch is at most {@code limit} bytes, log overhead included. */
    private static int largestValueFitting(int limit) {
        int valueSize = limit - DefaultRecordBatch.RECORD_BATCH_OVERHEAD;
        while (DefaultRecordBatch.RECORD_BATCH_OVERHEAD + DefaultRecord.sizeInBytes(0, 0, -1, valueSize, new Header[0]) > limit) {
            valueSize--;
        }
        return valueSize;
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 8));
        }
        return bytes;
    }
}

package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a record carries besides its value: keys, null keys and values, headers, the producer's timestamp. */
@ExtendWith(BrokerExtension.class)
class RecordContentTest {

    @Test
    void shouldKeepKeysNullKeysAndNullValues(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "record-nulls", 1);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, 0, "key-a", "value-a")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, null, "no-key")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, "tombstone", null)).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, null, null)).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, "", "")).get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, String>> got = readAll(broker, topic, 5);
        assertThat(got).extracting(ConsumerRecord::key).containsExactly("key-a", null, "tombstone", null, "");
        assertThat(got).extracting(ConsumerRecord::value).containsExactly("value-a", "no-key", null, null, "");
    }

    @Test
    void shouldKeepHeadersInOrderIncludingRepeatedKeysAndNullValues(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "record-headers", 1);
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("trace", "abc".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("trace", "def".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("empty", new byte[0]));
        headers.add(new RecordHeader("null", (byte[]) null));
        headers.add(new RecordHeader("binary", new byte[] {0, -1, 127, -128}));
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "v", headers)).get(30, TimeUnit.SECONDS);
        }

        ConsumerRecord<String, String> got = readAll(broker, topic, 1).getFirst();
        assertThat(got.headers().toArray()).extracting(h -> h.key())
            .containsExactly("trace", "trace", "empty", "null", "binary");
        assertThat(got.headers().toArray()).extracting(h -> h.value())
            .containsExactly("abc".getBytes(StandardCharsets.UTF_8), "def".getBytes(StandardCharsets.UTF_8),
                new byte[0], null, new byte[] {0, -1, 127, -128});
    }

    @Test
    void shouldKeepTheProducersCreateTimestamp(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "record-timestamp", 1, TestTopics.KEPT_FOREVER);
        long first = 1_600_000_000_000L;
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, 0, first, "k", "v1")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, first + 1234, "k", "v2")).get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, String>> got = readAll(broker, topic, 2);
        assertThat(got).extracting(ConsumerRecord::timestamp).containsExactly(first, first + 1234);
        assertThat(got).extracting(ConsumerRecord::timestampType)
            .containsOnly(TimestampType.CREATE_TIME);
    }

    @Test
    void shouldStampLogAppendTimeWhenTheTopicAsksForIt(TargetBroker broker) throws Exception {
        String topic;
        try (var admin = Clients.admin(broker.bootstrapServers())) {
            topic = TestTopics.create(admin, TestTopics.unique("record-log-append-time"), 1,
                Map.of("message.timestamp.type", "LogAppendTime"));
        }
        long before = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, 0, 1_000L, "k", "v")).get(30, TimeUnit.SECONDS);
        }
        long after = System.currentTimeMillis();

        ConsumerRecord<String, String> got = readAll(broker, topic, 1).getFirst();
        assertThat(got.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(got.timestamp()).isBetween(before, after);
    }

    private static List<ConsumerRecord<String, String>> readAll(TargetBroker broker, String topic, int count) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            return Records.pollExactly(consumer, count);
        }
    }
}

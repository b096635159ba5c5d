package dev.walrus.compat.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.Dirs;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka Streams 4.4 with {@code processing.guarantee=exactly_once_v2}: a word count through a repartition topic and a
 * state store. Each commit is a transaction over the output, the repartition and changelog topics and the group's
 * offsets, so a read_committed consumer of the output sees every word's count rise one committed update at a time to
 * the exact total, and the output ends with a commit marker.
 */
@ExtendWith(BrokerExtension.class)
class ExactlyOnceStreamsTest {

    private static final List<String> WORDS = List.of("alpha", "bravo", "charlie", "delta", "echo");
    private static final int LINES = 120;

    @Test
    void shouldCountEveryWordExactlyOnce(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String appId = TestTopics.unique("compat-eos-wordcount");
        String input;
        TopicPartition output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("eos-lines"), 2);
            output = new TopicPartition(TestTopics.create(admin, TestTopics.unique("eos-counts"), 1), 0);
        }
        Map<String, Long> expected = new HashMap<>();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < LINES; i++) {
                String line = line(i);
                producer.send(new ProducerRecord<>(input, i % 2, "line-" + i, line)).get(30, TimeUnit.SECONDS);
                for (String word : line.split(" ")) {
                    expected.merge(word, 1L, Long::sum);
                }
            }
        }
        long totalWords = expected.values().stream().mapToLong(Long::longValue).sum();

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.split(" ")))
                .groupBy((key, word) -> word, Grouped.with("by-word", Serdes.String(), Serdes.String()))
                .count(Materialized.as("word-counts"))
                .toStream()
                .to(output.topic(), Produced.with(Serdes.String(), Serdes.Long()));
        Path stateDir = CompatSettings.newWorkDir("eos-streams-state");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        config.put("consumer.auto.offset.reset", "earliest");
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config);
             KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                     Serdes.String().deserializer(), Serdes.Long().deserializer());
             Admin admin = Clients.admin(bootstrap)) {
            streams.start();
            consumer.assign(List.of(output));
            consumer.seekToBeginning(List.of(output));
            Map<String, List<Long>> updates = new HashMap<>();
            Map<String, Long> latest = new HashMap<>();
            long lastOffset = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!latest.equals(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(200))) {
                    updates.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                    latest.put(r.key(), r.value());
                    lastOffset = r.offset();
                }
            }

            assertThat(latest).as("final counts of %d words", totalWords).isEqualTo(expected);
            updates.forEach((word, counts) -> assertThat(counts).as("updates of %s", word).isSorted()
                    .doesNotHaveDuplicates());
            assertThat(Isolation.latestOffset(admin, output, IsolationLevel.READ_UNCOMMITTED))
                    .as("the last count is followed by its transaction's commit marker")
                    .isGreaterThan(lastOffset + 1);
            streams.close(Duration.ofSeconds(30));
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }

    /** Three words per line, in an order that differs from line to line. */
    private static String line(int i) {
        return WORDS.get(i % WORDS.size()) + " " + WORDS.get((i * 3 + 1) % WORDS.size()) + " "
                + WORDS.get((i * 7 + 2) % WORDS.size());
    }
}

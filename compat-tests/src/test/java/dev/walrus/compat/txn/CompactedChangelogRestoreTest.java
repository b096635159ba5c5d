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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Log compaction under Kafka Streams {@code exactly_once_v2}: a count's changelog (compacted, written in transactions,
 * with {@code segment.ms} 100 and {@code min.cleanable.dirty.ratio} 0.01 so the cleaner runs while the app does) is
 * cleaned of superseded counts; then the app's local state is deleted and a new instance restores the store from
 * the compacted changelog (read_committed) and goes on counting. Every count must come out exact: a cleaner that lost
 * a live record, kept an aborted one, or left a transaction marker out of step would show as a wrong total.
 */
@ExtendWith(BrokerExtension.class)
class CompactedChangelogRestoreTest {

    private static final List<String> KEYS = List.of("alpha", "bravo", "charlie", "delta", "echo");
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void shouldRestoreExactCountsFromACompactedTransactionalChangelog(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String appId = TestTopics.unique("compat-compacted-restore");
        String input;
        TopicPartition output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("restore-input"), 1);
            output = new TopicPartition(TestTopics.create(admin, TestTopics.unique("restore-counts"), 1), 0);
        }
        TopicPartition changelog = new TopicPartition(appId + "-counts-changelog", 0);
        Map<String, Long> expected = new HashMap<>();
        int written = 0;

        Path stateDir = CompatSettings.newWorkDir("compacted-restore-state");
        try {
            try (KafkaStreams streams = start(appId, input, output.topic(), bootstrap, stateDir)) {
                // bursts more than segment.ms apart: the changelog's segments roll while the app counts
                for (int burst = 0; burst < 8; burst++) {
                    written += produce(bootstrap, input, 40, written, expected);
                    Thread.sleep(250);
                }
                awaitCounts(bootstrap, output, expected);
                awaitCompaction(bootstrap, changelog, written);
                // leave the group, or the next instance waits out this one's session timeout before it may join
                streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(30)));
            }
            Dirs.deleteRecursively(stateDir); // the next instance restores its store from the changelog alone
            try (KafkaStreams streams = start(appId, input, output.topic(), bootstrap, stateDir)) {
                written += produce(bootstrap, input, 40, written, expected);
                awaitCounts(bootstrap, output, expected);
                streams.close(Duration.ofSeconds(30));
            }
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }

    private static KafkaStreams start(String appId, String input, String output, String bootstrap, Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((key, value) -> value, Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())
                        .withLoggingEnabled(Map.of("segment.ms", "100", "min.cleanable.dirty.ratio", "0.01")))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0"); // every update reaches the changelog
        config.put("consumer.auto.offset.reset", "earliest");
        KafkaStreams streams = new KafkaStreams(builder.build(), config);
        streams.start();
        return streams;
    }

    /** Produces {@code count} records whose values are the keys to count, and adds them to {@code expected}. */
    private static int produce(String bootstrap, String input, int count, int from, Map<String, Long> expected)
            throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = from; i < from + count; i++) {
                String key = KEYS.get((i * 7) % KEYS.size());
                producer.send(new ProducerRecord<>(input, "r" + i, key)).get(30, TimeUnit.SECONDS);
                expected.merge(key, 1L, Long::sum);
            }
        }
        return count;
    }

    /** Reads the output (read_committed) from the start until each key's last count equals the expected one. */
    private static void awaitCounts(String bootstrap, TopicPartition output, Map<String, Long> expected) {
        Map<String, Long> latest = new HashMap<>();
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Serdes.String().deserializer(), Serdes.Long().deserializer())) {
            consumer.assign(List.of(output));
            consumer.seekToBeginning(List.of(output));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!latest.equals(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), r.value());
                }
            }
        }
        assertThat(latest).as("the counts").isEqualTo(expected);
    }

    /** Waits until the changelog, read from its start, holds fewer count updates than were written. */
    private static void awaitCompaction(String bootstrap, TopicPartition changelog, int updatesWritten)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int left = updatesWritten;
        while (System.nanoTime() < deadline) {
            left = changelogRecords(bootstrap, changelog);
            if (left < updatesWritten / 2) {
                return;
            }
            Thread.sleep(500);
        }
        assertThat(left).as("records left in the changelog after compaction, of %d written", updatesWritten)
                .isLessThan(updatesWritten / 2);
    }

    private static int changelogRecords(String bootstrap, TopicPartition changelog) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())) {
            consumer.assign(List.of(changelog));
            consumer.seekToBeginning(List.of(changelog));
            long end = consumer.endOffsets(List.of(changelog)).get(changelog);
            int records = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(changelog) < end && System.nanoTime() < deadline) {
                records += consumer.poll(Duration.ofMillis(100)).count();
            }
            return records;
        }
    }
}

package dev.walrus.compat.streams;

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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
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
 * Kafka Streams 4.4, a stateful topology: re-key (a repartition topic), count per key (a state store with its
 * compacted changelog topic), write the counts. Streams creates both internal topics with their configs, purges the
 * repartition topic with DeleteRecords after each commit, and the final count of every key must be exact.
 */
@ExtendWith(BrokerExtension.class)
class StatefulStreamsTest {

    private static final int RECORDS = 300;
    private static final int KEYS = 7;

    @Test
    void shouldCountRecordsPerNewKeyThroughARepartitionAndAChangelogTopic(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String appId = TestTopics.unique("compat-streams-count");
        String input;
        String output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("streams-count-in"), 2);
            output = TestTopics.create(admin, TestTopics.unique("streams-count-out"), 1);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(input, i % 2, "in" + i, "colour-" + (i % KEYS))).get(30, TimeUnit.SECONDS);
            }
        }

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((key, value) -> value, Grouped.with("by-colour", Serdes.String(), Serdes.String()))
                .count(Materialized.as("counts"))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        Path stateDir = CompatSettings.newWorkDir("streams-state");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        config.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, "100"); // 30 s by default
        config.put("consumer.auto.offset.reset", "earliest");
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config);
             KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                     Serdes.String().deserializer(), Serdes.Long().deserializer());
             Admin admin = Clients.admin(bootstrap)) {
            streams.start();
            consumer.assign(List.of(new TopicPartition(output, 0)));
            consumer.seekToBeginning(consumer.assignment());
            Map<String, Long> latest = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!finalCounts(latest) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), r.value());
                }
            }
            Map<String, Long> expected = new HashMap<>();
            for (int i = 0; i < RECORDS; i++) {
                expected.merge("colour-" + (i % KEYS), 1L, Long::sum);
            }
            assertThat(latest).isEqualTo(expected);

            String repartition = appId + "-by-colour-repartition";
            String changelog = appId + "-counts-changelog";
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(names).contains(repartition, changelog);
            ConfigResource changelogConfigs = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
            ConfigEntry policy = admin.describeConfigs(List.of(changelogConfigs)).all().get(30, TimeUnit.SECONDS)
                    .get(changelogConfigs).get("cleanup.policy");
            assertThat(policy.value()).isEqualTo("compact");
            Map<TopicPartition, Long> purgedTo = purgeLowWatermarks(admin, repartition);
            assertThat(purgedTo.values()).as("Streams deletes the records of its repartition topic once committed")
                    .anySatisfy(start -> assertThat(start).isPositive());
            streams.close(Duration.ofSeconds(30));
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }

    /** Whether every key has reached its final count (the output holds every update, the last one wins). */
    private static boolean finalCounts(Map<String, Long> latest) {
        return latest.size() == KEYS && latest.values().stream().mapToLong(Long::longValue).sum() == RECORDS;
    }

    /** The earliest offset of each partition of the repartition topic, waiting up to 30 s for a purge to show. */
    private static Map<TopicPartition, Long> purgeLowWatermarks(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().size();
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            earliest.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.earliest());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<TopicPartition, Long> starts;
        do {
            starts = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            if (starts.values().stream().anyMatch(start -> start > 0)) {
                return starts;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return starts;
    }
}

package dev.walrus.compat.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.Dirs;
import dev.walrus.compat.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams {@code exactly_once_v2} across a broker killed with SIGKILL in the middle of the stream, while input
 * keeps arriving and, as far as the test can arrange it, a transaction of the application is open: the broker comes
 * back with that transaction still open (its producer goes on with it), and the counts a read_committed reader sees
 * still rise one committed update at a time to the exact totals, none counted twice or lost.
 */
@Tag("slow")
class ExactlyOnceAcrossKillTest {

    private static final int KEYS = 20;
    private static final int RECORDS = 6_000;

    private ChildBroker broker;

    @BeforeEach
    void startBroker() {
        broker = ChildBroker.forCurrentTarget("eos-kill").start();
    }

    @AfterEach
    void removeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldCountEveryRecordExactlyOnceAcrossABrokerKill() throws Exception {
        String bootstrap = broker.bootstrapServers();
        String input;
        TopicPartition output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("eos-kill-in"), 2);
            output = new TopicPartition(TestTopics.create(admin, TestTopics.unique("eos-kill-out"), 1), 0);
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.as("counts"))
                .toStream()
                .to(output.topic(), Produced.with(Serdes.String(), Serdes.Long()));
        Path stateDir = CompatSettings.newWorkDir("eos-kill-state");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, TestTopics.unique("eos-kill-app"));
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        config.put("consumer.auto.offset.reset", "earliest");
        Map<String, Long> expected = new HashMap<>();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config);
             KafkaConsumer<String, Long> reader = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                     Serdes.String().deserializer(), Serdes.Long().deserializer())) {
            streams.start();
            reader.assign(List.of(output));
            reader.seekToBeginning(List.of(output));
            Map<String, List<Long>> updates = new HashMap<>();
            Map<String, Long> latest = new HashMap<>();
            // Records keep coming while the broker dies, so the application has a transaction open at that moment.
            Thread producing = Thread.ofPlatform().name("eos-kill-input").start(() -> produce(bootstrap, input, expected));
            readUntil(reader, updates, latest, () -> latest.values().stream().mapToLong(Long::longValue).sum() > RECORDS / 10);
            awaitAnOngoingTransaction(bootstrap);   // best effort: the kill then most likely cuts one
            broker.kill();
            broker.start();
            producing.join(TimeUnit.MINUTES.toMillis(3));
            synchronized (expected) {
                assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).as("records acknowledged")
                        .isEqualTo(RECORDS);
            }
            readUntil(reader, updates, latest, () -> latest.equals(expected));

            assertThat(latest).as("final counts").isEqualTo(expected);

            updates.forEach((key, counts) -> assertThat(counts).as("committed updates of %s", key).isSorted()
                    .doesNotHaveDuplicates());
            streams.close(Duration.ofSeconds(30));
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }

    /**
     * RECORDS records keyed k0..k19, a few every millisecond; each one acknowledged is counted into {@code expected}
     * (the idempotent producer retries across the kill without storing any twice).
     */
    private static void produce(String bootstrap, String topic, Map<String, Long> expected) {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of("delivery.timeout.ms", "120000"))) {
            for (int i = 0; i < RECORDS; i++) {
                String key = "k" + (i % KEYS);
                producer.send(new ProducerRecord<>(topic, key, "v" + i), (metadata, error) -> {
                    if (error == null) {
                        synchronized (expected) {
                            expected.merge(key, 1L, Long::sum);
                        }
                    }
                });
                if (i % 4 == 0) {
                    Thread.sleep(1);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitAnOngoingTransaction(String bootstrap) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline && admin.listTransactions(new org.apache.kafka.clients.admin.ListTransactionsOptions()
                    .filterStates(List.of(org.apache.kafka.clients.admin.TransactionState.ONGOING)))
                    .all().get(10, TimeUnit.SECONDS).isEmpty()) {
                Thread.sleep(1);
            }
        }
    }

    private static void readUntil(KafkaConsumer<String, Long> reader, Map<String, List<Long>> updates,
                                  Map<String, Long> latest, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Long> r : reader.poll(Duration.ofMillis(200))) {
                updates.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                latest.put(r.key(), r.value());
            }
        }
    }
}

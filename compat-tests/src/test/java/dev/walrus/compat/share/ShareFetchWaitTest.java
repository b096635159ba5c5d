package dev.walrus.compat.share;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.walrus.compat.share.ShareFixtures.fromEarliest;
import static dev.walrus.compat.share.ShareFixtures.pollCount;
import static dev.walrus.compat.share.ShareFixtures.produce;
import static dev.walrus.compat.share.ShareFixtures.shareConsumer;
import static dev.walrus.compat.share.ShareFixtures.valuesOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ShareFetch's long poll as Kafka 4.4 serves it to a {@code KafkaShareConsumer}: a fetch that finds nothing to acquire
 * waits up to {@code fetch.max.wait.ms} and is answered by a record produced meanwhile; a fetch waits until
 * {@code fetch.min.bytes} can be acquired (Kafka's DelayedShareFetch), so records produced during the wait arrive in
 * the same answer as those that were already there.
 */
@ExtendWith(BrokerExtension.class)
class ShareFetchWaitTest {

    private String bootstrap;
    private String topic;
    private String group;

    @BeforeEach
    void topic(TargetBroker broker) {
        bootstrap = broker.bootstrapServers();
        topic = TestTopics.createUnique(bootstrap, "share-wait", 1);
        group = "share-wait-" + UUID.randomUUID();
    }

    @Test
    void shouldDeliverARecordProducedDuringAPollWithinThatPoll() throws Exception {
        fromEarliest(bootstrap, group);
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group,
                Map.of("fetch.max.wait.ms", 20_000, "request.timeout.ms", 60_000))) {
            consumer.subscribe(List.of(topic));
            // the first record makes sure the member is assigned and its share session open
            produce(bootstrap, topic, "first");
            assertThat(valuesOf(pollCount(consumer, 1))).containsExactly("first");
            consumer.commitSync();

            CompletableFuture<Void> late = CompletableFuture.runAsync(() -> {
                pause(1_000);
                produce(bootstrap, topic, "late");
            });
            // one poll, long enough for any fetch to be answered: the record produced meanwhile is its answer
            ConsumerRecords<String, String> polled = consumer.poll(Duration.ofSeconds(60));
            late.get(60, TimeUnit.SECONDS);
            List<String> values = new ArrayList<>();
            polled.forEach(r -> values.add(r.value()));
            assertThat(values).containsExactly("late");
        }
    }

    @Test
    void shouldWaitForFetchMinBytesSoThatRecordsProducedDuringTheWaitComeInTheSameAnswer() throws Exception {
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, "small");
        String big = "b".repeat(20_000);
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group,
                Map.of("fetch.min.bytes", 10_000, "fetch.max.wait.ms", 20_000, "request.timeout.ms", 60_000))) {
            consumer.subscribe(List.of(topic));
            CompletableFuture<Void> bigLater = CompletableFuture.runAsync(() -> {
                pause(3_000);
                try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
                    producer.send(new ProducerRecord<>(topic, 0, null, big)).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // "small" alone is less than fetch.min.bytes: the broker keeps the fetch until the big record is there
            List<ConsumerRecord<String, String>> first = firstNonEmptyPoll(consumer);
            bigLater.get(60, TimeUnit.SECONDS);
            assertThat(valuesOf(first)).as("the lengths of the values of the first records delivered")
                    .extracting(String::length).containsExactly("small".length(), big.length());
        }
    }

    private static List<ConsumerRecord<String, String>> firstNonEmptyPoll(KafkaShareConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(500));
            if (!polled.isEmpty()) {
                List<ConsumerRecord<String, String>> records = new ArrayList<>();
                polled.forEach(records::add);
                return records;
            }
        }
        throw new AssertionError("nothing delivered in 90 s");
    }

    /** Lets the consumer's fetch reach the broker before the producer writes (the outcome does not depend on it). */
    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

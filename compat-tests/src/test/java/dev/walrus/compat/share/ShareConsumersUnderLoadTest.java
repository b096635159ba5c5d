package dev.walrus.compat.share;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.walrus.compat.share.ShareFixtures.fromEarliest;
import static dev.walrus.compat.share.ShareFixtures.shareConsumer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three share consumers, each on its own thread, reading three partitions while records are produced: every record is
 * delivered, none twice (implicit acknowledgement, no member fails, no lock runs out), and every member gets some.
 */
@ExtendWith(BrokerExtension.class)
class ShareConsumersUnderLoadTest {

    private static final int RECORDS = 6_000;
    private static final int MEMBERS = 3;

    @Test
    void shouldDeliverEveryRecordOnceAcrossThreeMembersWhileProducing(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "share-load", 3);
        String group = "share-load-" + UUID.randomUUID();
        fromEarliest(bootstrap, group);
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perMember = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> members = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            String name = "member-" + m;
            Thread t = new Thread(() -> {
                try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group,
                        Map.of("client.id", "share-load-" + name, "max.poll.records", 100))) {
                    consumer.subscribe(List.of(topic));
                    while (!stop.get()) {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                            deliveries.computeIfAbsent(r.value(), v -> new AtomicInteger()).incrementAndGet();
                            perMember.computeIfAbsent(name, v -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    consumer.commitSync(); // accepts what the last poll returned
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "share-load-" + name);
            t.start();
            members.add(t);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of("linger.ms", 5))) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, i % 3, null, "v" + i));
                if (i % 500 == 499) {
                    producer.flush();
                    Thread.sleep(100);
                }
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (deliveries.size() < RECORDS && failure.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1_000); // time for a second delivery of anything, if there were one
        stop.set(true);
        for (Thread t : members) {
            t.join(60_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(deliveries).hasSize(RECORDS);
        assertThat(deliveries.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).toList())
                .as("delivered more than once").isEmpty();
        assertThat(perMember).as("records per member").hasSize(MEMBERS);
    }
}

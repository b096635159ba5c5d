package dev.walrus.compat.groups;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups across broker restarts (a broker in its own process): committed offsets survive SIGKILL and a new member
 * resumes exactly from them; live members keep consuming across a graceful restart without losing a record.
 */
@Tag("slow")
class BrokerRestartGroupTest {

    private static final int PARTITIONS = 3;
    private ChildBroker broker;

    @AfterEach
    void removeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldResumeFromCommittedOffsetsAfterTheBrokerIsKilled() throws Exception {
        broker = ChildBroker.forCurrentTarget("groups-kill").start();
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "restart-offsets", PARTITIONS);
        String group = "restart-offsets-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < 3_000; i++) {
                int p = i % PARTITIONS;
                producer.send(new ProducerRecord<>(topic, p, null, p + ":" + (i / PARTITIONS)));
            }
            producer.flush();
        }
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, String> first = Clients.consumer(bootstrap, groupConfig(group))) {
            first.subscribe(List.of(topic));
            while (seen.size() < 1_500) {
                first.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                first.commitSync();
            }
        }
        Map<TopicPartition, OffsetAndMetadata> committed = committed(bootstrap, group);
        assertThat(committed).hasSize(PARTITIONS);

        broker.kill();
        broker.start();

        assertThat(committed(bootstrap, group)).as("committed offsets after kill -9").isEqualTo(committed);
        Map<Integer, Long> firstOffsets = new HashMap<>();
        try (KafkaConsumer<String, String> second = Clients.consumer(bootstrap, groupConfig(group))) {
            second.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.size() < 3_000 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : second.poll(Duration.ofMillis(200))) {
                    firstOffsets.putIfAbsent(r.partition(), r.offset());
                    seen.add(r.value());
                }
            }
        }
        assertThat(seen).as("records read before and after the crash").hasSize(3_000);
        committed.forEach((tp, om) -> {
            if (om.offset() < 1_000) {
                assertThat(firstOffsets.get(tp.partition())).as("resume point of %s", tp).isEqualTo(om.offset());
            }
        });
    }

    @Test
    void shouldKeepLiveMembersConsumingAcrossAGracefulRestart() throws Exception {
        broker = ChildBroker.forCurrentTarget("groups-restart").start();
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "restart-live", PARTITIONS);
        String group = "restart-live-" + UUID.randomUUID();
        ConsumedLog log = new ConsumedLog();
        Map<String, Object> memberConfig = Map.of(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        Map<String, Object> producerConfig = Map.of("delivery.timeout.ms", "180000", "request.timeout.ms", "10000",
                "reconnect.backoff.ms", "50", "reconnect.backoff.max.ms", "500");
        try (ContinuousProducer producer = new ContinuousProducer(bootstrap, topic, PARTITIONS, producerConfig, 2_000);
             GroupMember a = new GroupMember("a", bootstrap, group, topic, memberConfig, log);
             GroupMember b = new GroupMember("b", bootstrap, group, topic, memberConfig, log)) {
            Await.until(Duration.ofSeconds(60), "both members consuming",
                    () -> log.consumedBy("a") > 100 && log.consumedBy("b") > 100, () -> a.assignment() + " " + b.assignment());

            broker.restart();

            long afterRestart = log.total();
            Await.until(Duration.ofSeconds(90), "consumption after the restart", () -> log.total() > afterRestart + 500,
                    () -> (log.total() - afterRestart) + " records since the restart");
            producer.stop();
            long acked = producer.ackedTotal();
            Await.until(Duration.ofSeconds(60), "everything consumed", () -> log.distinct() >= acked,
                    () -> log.distinct() + " of " + acked);
            assertThat(producer.failure()).isNull();
            log.assertNoLossAndOrder(producer.ackedPerPartition());
            assertThat(a.failure()).isNull();
            assertThat(b.failure()).isNull();
        }
    }

    private static Map<String, Object> groupConfig(String group) {
        return Map.of(ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(String bootstrap, String group) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        }
    }
}

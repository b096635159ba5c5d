package dev.walrus.compat.groups;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Not part of the test run (tag {@code benchmark}): synchronous offset-commit latency of one group member committing
 * six partitions at a time, and the time from a second member's subscribe to a settled 3/3 assignment. Here a commit
 * is durable (fsynced checkpoint) before it is answered; Kafka's single node answers from the page cache.
 *
 * <pre>
 * ./mvnw -pl compat-tests -am test -Dexcluded.test.groups=none -Dtest=OffsetCommitLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * ./mvnw -pl compat-tests -am test -Dexcluded.test.groups=none -Dtest=OffsetCommitLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Preal-kafka
 * </pre>
 */
@Tag("benchmark")
@ExtendWith(BrokerExtension.class)
class OffsetCommitLatencyBenchmark {

    private static final int PARTITIONS = 6;
    private static final int WARMUP = 200;
    private static final int COMMITS = 2_000;

    @Test
    void measureSynchronousCommitLatency(TargetBroker broker) {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "commit-latency", PARTITIONS);
        String group = "commit-latency-" + UUID.randomUUID();
        long[] micros = new long[COMMITS];
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
            for (int i = 0; i < WARMUP + COMMITS; i++) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(i));
                }
                long t0 = System.nanoTime();
                consumer.commitSync(offsets);
                if (i >= WARMUP) {
                    micros[i - WARMUP] = (System.nanoTime() - t0) / 1_000;
                }
            }
        }
        Arrays.sort(micros);
        System.out.printf("[%s] commitSync of %d partitions, %d commits: p50 %d us, p99 %d us, max %d us%n", broker.target(),
                PARTITIONS, COMMITS, micros[COMMITS / 2], micros[COMMITS * 99 / 100], micros[COMMITS - 1]);
    }

    @Test
    void measureRebalanceTimeWhenASecondMemberJoins(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "rebalance-time", PARTITIONS);
        for (String protocol : List.of("classic", "consumer")) {
            String group = "rebalance-time-" + UUID.randomUUID();
            ConsumedLog log = new ConsumedLog();
            Map<String, Object> config = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
            try (GroupMember first = new GroupMember("first", bootstrap, group, topic, config, log)) {
                Await.until(Duration.ofSeconds(60), "first member assigned", () -> first.assignment().size() == PARTITIONS, () -> "");
                long t0 = System.nanoTime();
                try (GroupMember second = new GroupMember("second", bootstrap, group, topic, config, log)) {
                    Await.until(Duration.ofSeconds(60), "3/3", () -> first.assignment().size() == 3 && second.assignment().size() == 3, () -> "");
                    System.out.printf("[%s] %s protocol: second member settled after %d ms%n", broker.target(), protocol,
                            (System.nanoTime() - t0) / 1_000_000);
                }
            }
        }
    }
}

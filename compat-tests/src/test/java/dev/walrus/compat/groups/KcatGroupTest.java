package dev.walrus.compat.groups;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.Commands;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * librdkafka's balanced group consumer ({@code kcat -G}): a non-Java client joins a group, gets every partition,
 * consumes every record and commits, so a second run of the same group reads only what came after.
 */
@ExtendWith(BrokerExtension.class)
class KcatGroupTest {

    private static final int PARTITIONS = 3;

    @BeforeAll
    static void requireKcat() {
        Commands.requireOnPath("kcat", "apt-get install -y kcat");
    }

    private static CommandResult kcatGroup(String bootstrap, String group, String topic, int count) {
        return Commands.run(List.of("kcat", "-b", bootstrap, "-G", group, topic, "-c", String.valueOf(count),
                "-X", "auto.offset.reset=earliest", "-f", "%p %o %s\\n", "-q"), null, Duration.ofSeconds(60));
    }

    private static void produce(String bootstrap, String topic, String prefix, int perPartition) {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, prefix + "-" + p + "-" + i));
                }
            }
            producer.flush();
        }
    }

    @Test
    void shouldConsumeEveryRecordAsAGroupAndCommitWhereItStopped(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "kcat-group", PARTITIONS);
        String group = "kcat-" + UUID.randomUUID();
        produce(bootstrap, topic, "first", 5);

        CommandResult first = kcatGroup(bootstrap, group, topic, 15);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        Set<String> values = new HashSet<>();
        for (String line : first.stdoutLines()) {
            values.add(line.split(" ", 3)[2]);
        }
        assertThat(values).as(first.toString()).hasSize(15).allMatch(v -> v.startsWith("first-"));
        Map<Integer, Long> committed = committed(bootstrap, group);
        assertThat(committed).as("offsets kcat committed").isEqualTo(Map.of(0, 5L, 1, 5L, 2, 5L));

        produce(bootstrap, topic, "second", 2);
        CommandResult second = kcatGroup(bootstrap, group, topic, 6);

        assertThat(second.exitCode()).as(second.toString()).isZero();
        List<String> again = new ArrayList<>();
        second.stdoutLines().forEach(line -> again.add(line.split(" ", 3)[2]));
        assertThat(again).as(second.toString()).hasSize(6).allMatch(v -> v.startsWith("second-"));
    }

    private static Map<Integer, Long> committed(String bootstrap, String group) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            Map<Integer, Long> offsets = new TreeMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, om) -> offsets.put(tp.partition(), om.offset()));
            return offsets;
        }
    }
}

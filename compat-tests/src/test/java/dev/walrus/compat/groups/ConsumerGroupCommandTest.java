package dev.walrus.compat.groups;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's own {@code kafka-consumer-groups} tool (ConsumerGroupCommand from kafka-tools, in a child JVM): each
 * command's output, and what the group does afterwards.
 */
@ExtendWith(BrokerExtension.class)
class ConsumerGroupCommandTest {

    private static final String TOOL = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
    private static final int PARTITIONS = 3;
    private static final int PER_PARTITION = 10;

    private String bootstrap;
    private String topic;
    private String group;

    @BeforeEach
    void topicWithCommittedOffsets(TargetBroker broker) {
        bootstrap = broker.bootstrapServers();
        topic = TestTopics.createUnique(bootstrap, "cgc", PARTITIONS);
        group = "cgc-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = 0; i < PER_PARTITION; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, p + ":" + i));
                }
            }
            producer.flush();
        }
        commit(Map.of(0, 4L, 1, 10L, 2, 0L));
    }

    private void commit(Map<Integer, Long> offsets) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            offsets.forEach((p, o) -> commit.put(new TopicPartition(topic, p), new OffsetAndMetadata(o)));
            consumer.commitSync(commit);
        }
    }

    /** Subscribes {@code consumer} to the topic, reads all its records as a live member, and commits. */
    private void readEverythingAndCommit(KafkaConsumer<String, String> consumer) {
        consumer.subscribe(List.of(topic));
        int read = 0;
        while (read < PARTITIONS * PER_PARTITION) {
            read += consumer.poll(Duration.ofMillis(200)).count();
        }
        consumer.commitSync();
    }

    private CommandResult tool(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrap));
        all.addAll(List.of(args));
        CommandResult result = KafkaCli.run(TOOL, all.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    /** Rows of a describe or reset table for our topic: partition -> columns. */
    private Map<Integer, String[]> rows(CommandResult result) {
        Map<Integer, String[]> rows = new TreeMap<>();
        for (String line : result.stdoutLines()) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 4 && cols[1].equals(topic)) {
                rows.put(Integer.parseInt(cols[2]), cols);
            }
        }
        return rows;
    }

    private Map<Integer, Long> committed() throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            Map<Integer, Long> offsets = new TreeMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, om) -> offsets.put(tp.partition(), om.offset()));
            return offsets;
        }
    }

    /** What a member of the group reads now: the first offset it gets of each partition, and how many records. */
    private Map<Integer, Long> firstOffsetsAGroupMemberReads(int expectedRecords) {
        Map<Integer, Long> first = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
            consumer.subscribe(List.of(topic));
            int read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read < expectedRecords && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    first.putIfAbsent(r.partition(), r.offset());
                    read++;
                }
            }
            assertThat(read).as("records the group member read").isEqualTo(expectedRecords);
        }
        return first;
    }

    @Test
    void shouldListTheGroup() {
        assertThat(tool("--list").stdoutLines()).contains(group);
    }

    @Test
    void shouldDescribeCommittedOffsetsWithTheirLag() {
        Map<Integer, String[]> rows = rows(tool("--describe", "--group", group));

        assertThat(rows).containsOnlyKeys(0, 1, 2);
        // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
        assertThat(List.of(rows.get(0)[3], rows.get(0)[4], rows.get(0)[5])).containsExactly("4", "10", "6");
        assertThat(List.of(rows.get(1)[3], rows.get(1)[4], rows.get(1)[5])).containsExactly("10", "10", "0");
        assertThat(List.of(rows.get(2)[3], rows.get(2)[4], rows.get(2)[5])).containsExactly("0", "10", "10");
    }

    @Test
    void shouldDescribeAnActiveMemberWithItsPartitions() throws Exception {
        String live = "cgc-live-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, live, ConsumerConfig.CLIENT_ID_CONFIG, "cgc-member"))) {
            readEverythingAndCommit(consumer);

            CommandResult described = tool("--describe", "--group", live);

            Map<Integer, String[]> rows = rows(described);
            assertThat(rows).as(described.toString()).containsOnlyKeys(0, 1, 2);
            for (String[] row : rows.values()) {
                assertThat(row[5]).as("lag").isEqualTo("0");
                assertThat(row[6]).as("consumer id").startsWith("cgc-member");
                assertThat(row[8]).as("client id").isEqualTo("cgc-member");
            }
            CommandResult refused = KafkaCli.run(TOOL, "--bootstrap-server", bootstrap, "--delete", "--group", live);
            assertThat(refused.stdout() + refused.stderr()).as(refused.toString()).containsIgnoringCase("not empty");
        }
    }

    @Test
    void shouldResetOffsetsToEarliestThenToAnOffsetThenByAShift() throws Exception {
        tool("--reset-offsets", "--group", group, "--topic", topic, "--to-earliest", "--execute");
        assertThat(committed()).isEqualTo(Map.of(0, 0L, 1, 0L, 2, 0L));

        tool("--reset-offsets", "--group", group, "--topic", topic, "--to-offset", "7", "--execute");
        assertThat(committed()).isEqualTo(Map.of(0, 7L, 1, 7L, 2, 7L));

        tool("--reset-offsets", "--group", group, "--topic", topic, "--shift-by", "-2", "--execute");
        assertThat(committed()).isEqualTo(Map.of(0, 5L, 1, 5L, 2, 5L));

        assertThat(firstOffsetsAGroupMemberReads(PARTITIONS * (PER_PARTITION - 5))).isEqualTo(Map.of(0, 5L, 1, 5L, 2, 5L));
    }

    @Test
    void shouldDryRunAResetWithoutChangingOffsets() throws Exception {
        Map<Integer, String[]> planned = rows(tool("--reset-offsets", "--group", group, "--topic", topic, "--to-latest", "--dry-run"));

        assertThat(planned.values()).extracting(row -> row[3]).containsOnly("10");
        assertThat(committed()).isEqualTo(Map.of(0, 4L, 1, 10L, 2, 0L));
    }

    @Test
    void shouldDeleteTheOffsetsOfATopic() throws Exception {
        tool("--delete-offsets", "--group", group, "--topic", topic);

        assertThat(committed()).isEmpty();
        assertThat(firstOffsetsAGroupMemberReads(PARTITIONS * PER_PARTITION)).isEqualTo(Map.of(0, 0L, 1, 0L, 2, 0L));
    }

    @Test
    void shouldDeleteTheGroup() throws Exception {
        CommandResult deleted = tool("--delete", "--group", group);

        assertThat(deleted.stdout()).contains("successful");
        assertThat(tool("--list").stdoutLines()).doesNotContain(group);
        assertThat(committed()).isEmpty();
    }

    @Test
    void shouldDescribeAndListAConsumerProtocolGroupByTypeAndState() {
        String live = "cgc-848-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG, live,
                ConsumerConfig.CLIENT_ID_CONFIG, "cgc-848-member", ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"))) {
            readEverythingAndCommit(consumer);

            CommandResult described = tool("--describe", "--group", live);
            Map<Integer, String[]> rows = rows(described);
            assertThat(rows).as(described.toString()).containsOnlyKeys(0, 1, 2);
            for (String[] row : rows.values()) {
                assertThat(row[5]).as("lag").isEqualTo("0");
                assertThat(row[8]).as("client id").isEqualTo("cgc-848-member");
            }
            assertThat(tool("--list", "--type", "consumer").stdoutLines()).anyMatch(line -> line.startsWith(live));
            assertThat(tool("--list", "--type", "classic").stdoutLines()).noneMatch(line -> line.startsWith(live));
            assertThat(tool("--list", "--state", "Stable").stdoutLines()).anyMatch(line -> line.startsWith(live));
        }
    }
}

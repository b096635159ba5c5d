package dev.walrus.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code __consumer_offsets} topic as Kafka users read it: Kafka's {@code OffsetsMessageFormatter} prints a
 * group's commits, a plain consumer gets Kafka-format offset-commit records (decoded here from the record schemas),
 * deletions are tombstones, clients may not produce to it, and pattern subscriptions leave it out unless
 * {@code exclude.internal.topics} is false.
 */
@ExtendWith(BrokerExtension.class)
class OffsetsTopicTest {

    private static final String OFFSETS_TOPIC = OffsetsTopicReader.OFFSETS_TOPIC;
    private static final long T = 30;

    private String bootstrap;
    private Admin admin;

    @BeforeEach
    void openAdmin(TargetBroker broker) {
        bootstrap = broker.bootstrapServers();
        admin = Clients.admin(bootstrap);
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void shouldPrintACommittedOffsetWithKafkasOffsetsMessageFormatter() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "offsets-topic-cli", 2);
        String group = "offsets-topic-cli-" + UUID.randomUUID();
        commit(group, Map.of(new TopicPartition(topic, 1), new OffsetAndMetadata(42, "cli-metadata")));

        CommandResult consumed = KafkaCli.run(KafkaCli.CONSOLE_CONSUMER, "--bootstrap-server", bootstrap,
            "--topic", OFFSETS_TOPIC, "--partition", String.valueOf(offsetsPartitionOf(group)), "--offset", "earliest",
            "--formatter", "org.apache.kafka.tools.consumer.OffsetsMessageFormatter", "--timeout-ms", "5000");

        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(printedRecordsOf(consumed, group)).as(consumed.toString())
            .singleElement()
            .satisfies(line -> assertThat(line).contains("\"topic\":\"" + topic + "\"", "\"partition\":1",
                "\"offset\":42", "\"metadata\":\"cli-metadata\""));
    }

    @Test
    void shouldPrintAClassicGroupsGenerationsWithKafkasGroupMetadataMessageFormatter() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "offsets-topic-group", 1);
        String group = "offsets-topic-group-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> member = Clients.consumer(bootstrap, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
                ConsumerConfig.CLIENT_ID_CONFIG, "offsets-topic-member"))) {
            member.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
            while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
                member.poll(Duration.ofMillis(200));
            }
            assertThat(member.assignment()).containsExactly(new TopicPartition(topic, 0));
        } // leaving empties the group: a second, empty generation

        CommandResult consumed = KafkaCli.run(KafkaCli.CONSOLE_CONSUMER, "--bootstrap-server", bootstrap,
            "--topic", OFFSETS_TOPIC, "--partition", String.valueOf(offsetsPartitionOf(group)), "--offset", "earliest",
            "--formatter", "org.apache.kafka.tools.consumer.GroupMetadataMessageFormatter", "--timeout-ms", "5000");

        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        List<String> records = printedRecordsOf(consumed, group);
        assertThat(records).as(consumed.toString()).hasSize(3);
        // as Kafka: the new group, empty; the first generation with its member; the empty second generation
        assertThat(records.get(0)).contains("\"protocolType\":\"\"", "\"generation\":0", "\"members\":[]");
        assertThat(records.get(1)).contains("\"protocolType\":\"consumer\"", "\"generation\":1",
            "\"protocol\":\"range\"", "\"clientId\":\"offsets-topic-member\"");
        assertThat(records.get(2)).contains("\"protocolType\":\"consumer\"", "\"generation\":2",
            "\"protocol\":null", "\"members\":[]");
    }

    @Test
    void shouldRecordCommitsAndDeletionsInCommitOrderForAPlainConsumer() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "offsets-topic-read", 2);
        String group = "offsets-topic-read-" + UUID.randomUUID();
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        commit(group, Map.of(p0, new OffsetAndMetadata(10, "first")));
        commit(group, Map.of(p1, new OffsetAndMetadata(20)));
        commit(group, Map.of(p0, new OffsetAndMetadata(15, "second")));
        admin.deleteConsumerGroupOffsets(group, Set.of(p1)).all().get(T, TimeUnit.SECONDS);

        List<OffsetsTopicReader.OffsetCommit> records = offsetCommitsOf(group);

        assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::topic).containsOnly(topic);
        assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::partition).containsExactly(0, 1, 0, 1);
        assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::offset).containsExactly(10L, 20L, 15L, null);
        assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::metadata).containsExactly("first", "", "second", null);
        assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::valueVersion)
            .as("Kafka 4.x writes OffsetCommitValue v4").containsExactly((short) 4, (short) 4, (short) 4, null);
        assertThat(records.getFirst().commitTimestamp()).isPositive();
    }

    @Test
    void shouldShowATransactionsOffsetsToAReadCommittedReaderOnlyOnceItCommits() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "offsets-topic-txn", 1);
        String group = "offsets-topic-txn-" + UUID.randomUUID();
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap, "offsets-topic-txn-" + UUID.randomUUID())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(p0, new OffsetAndMetadata(3, "aborted")), new ConsumerGroupMetadata(group));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(p0, new OffsetAndMetadata(4, "committed")), new ConsumerGroupMetadata(group));
            producer.commitTransaction();
        }

        List<OffsetsTopicReader.OffsetCommit> records = OffsetsTopicReader.offsetCommitsOf(bootstrap, admin, group,
            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));

        assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::offset).containsExactly(4L);
        assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::metadata).containsExactly("committed");
    }

    @Test
    void shouldWriteTombstonesWhenTheGroupIsDeleted() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "offsets-topic-delete", 1);
        String group = "offsets-topic-delete-" + UUID.randomUUID();
        commit(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(5)));
        admin.deleteConsumerGroups(List.of(group)).all().get(T, TimeUnit.SECONDS);

        List<OffsetsTopicReader.OffsetCommit> records = offsetCommitsOf(group);

        assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::offset).containsExactly(5L, null);
    }

    @Test
    void shouldRefuseAProduceToTheOffsetsTopicFromAClient() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "offsets-topic-produce", 1);
        commit("offsets-topic-produce-" + UUID.randomUUID(), Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)));

        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of("retries", 0))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(OFFSETS_TOPIC, 0, "k", "v")).get(T, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InvalidTopicException.class);
        }
    }

    @Test
    void shouldLeaveTheOffsetsTopicOutOfAPatternSubscription() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "offsets-topic-pattern", 1);
        commit("offsets-topic-pattern-" + UUID.randomUUID(), Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)));
        Pattern pattern = Pattern.compile(Pattern.quote(topic) + "|__consumer_offsets");

        assertThat(subscribedTopics(pattern, topic, Map.of())).containsExactly(topic);
        // the control: with exclude.internal.topics=false the same pattern takes the offsets topic too
        assertThat(subscribedTopics(pattern, topic, Map.of(ConsumerConfig.EXCLUDE_INTERNAL_TOPICS_CONFIG, false)))
            .containsExactlyInAnyOrder(topic, OFFSETS_TOPIC);
    }

    // ---- helpers

    /**
     * The records Kafka's coordinator-record formatters printed for the group. They print each record's JSON with no
     * line break after it, so records are split where one object ends and the next {@code {"key":} begins.
     */
    private static List<String> printedRecordsOf(CommandResult consumed, String group) {
        return Pattern.compile("(?<=\\})(?=\\{\"key\":)").splitAsStream(String.join("", consumed.stdoutLines()))
            .filter(json -> json.contains("\"group\":\"" + group + "\""))
            .toList();
    }

    private Set<String> subscribedTopics(Pattern pattern, String mustHave, Map<String, Object> overrides) {
        Map<String, Object> config = new java.util.HashMap<>(overrides);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "offsets-topic-pattern-member-" + UUID.randomUUID());
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, config)) {
            consumer.subscribe(pattern);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
            while (consumer.assignment().stream().noneMatch(tp -> tp.topic().equals(mustHave)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            Set<String> topics = new java.util.TreeSet<>();
            consumer.assignment().forEach(tp -> topics.add(tp.topic()));
            return topics;
        }
    }

    private void commit(String group, Map<TopicPartition, OffsetAndMetadata> offsets) throws Exception {
        admin.alterConsumerGroupOffsets(group, offsets).all().get(T, TimeUnit.SECONDS);
    }

    private int offsetsPartitionOf(String group) throws Exception {
        return OffsetsTopicReader.partitionOf(admin, group);
    }

    private List<OffsetsTopicReader.OffsetCommit> offsetCommitsOf(String group) throws Exception {
        return OffsetsTopicReader.offsetCommitsOf(bootstrap, admin, group);
    }
}

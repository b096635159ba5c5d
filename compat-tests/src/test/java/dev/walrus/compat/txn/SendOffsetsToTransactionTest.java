package dev.walrus.compat.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Consume-transform-produce: a producer commits the consumer group's offsets in its transaction
 * ({@code sendOffsetsToTransaction(offsets, consumer.groupMetadata())}). They become the group's committed offsets when
 * the transaction commits and vanish when it aborts. While it is open they are pending: a plain OffsetFetch returns the
 * offsets committed before, and a stable one (requireStable, as read_committed consumers ask) answers
 * UNSTABLE_OFFSET_COMMIT for the partition, which the admin client leaves out of its result and a consumer retries
 * until its timeout.
 */
@ExtendWith(BrokerExtension.class)
class SendOffsetsToTransactionTest {

    private static final int RECORDS = 10;

    @Test
    void shouldCommitTheGroupsOffsetsWithTheTransaction(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition input = inputWithNumberedRecords(bootstrap, "txn-offsets-commit", 1);
        TopicPartition output = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-offsets-commit-out", 1), 0);
        String group = TestTopics.unique("txn-offsets-commit");
        try (KafkaConsumer<String, String> consumer = groupMember(bootstrap, group);
             KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                     TestTopics.unique("txn-offsets-commit"));
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            consumer.subscribe(List.of(input.topic()));
            List<ConsumerRecord<String, String>> in = Records.pollExactly(consumer, RECORDS);

            producer.beginTransaction();
            transform(producer, output, in);
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(RECORDS)), consumer.groupMetadata());
            producer.commitTransaction();

            assertThat(stableOffsetOnceSettled(admin, group, input)).isEqualTo(RECORDS);
            assertThat(groupOffsets(admin, group, false)).isEqualTo(Map.of(input, (long) RECORDS));
        }
        try (KafkaConsumer<String, String> reader = Isolation.readCommitted(bootstrap)) {
            assertThat(Isolation.readFromStart(reader, List.of(output), RECORDS))
                    .extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactlyElementsOf(transformed(0, RECORDS));
        }
    }

    @Test
    void shouldKeepTheGroupsOffsetsWhenTheTransactionAborts(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition input = inputWithNumberedRecords(bootstrap, "txn-offsets-abort", 1);
        TopicPartition output = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-offsets-abort-out", 1), 0);
        String group = TestTopics.unique("txn-offsets-abort");
        try (KafkaConsumer<String, String> consumer = groupMember(bootstrap, group);
             KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                     TestTopics.unique("txn-offsets-abort"));
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            consumer.subscribe(List.of(input.topic()));
            List<ConsumerRecord<String, String>> in = Records.pollExactly(consumer, RECORDS);

            producer.beginTransaction();
            transform(producer, output, in.subList(0, 4));
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(4)), consumer.groupMetadata());
            producer.commitTransaction();
            producer.beginTransaction();
            transform(producer, output, in.subList(4, RECORDS));
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(RECORDS)), consumer.groupMetadata());
            producer.abortTransaction();

            assertThat(stableOffsetOnceSettled(admin, group, input)).isEqualTo(4);
        }
        // the application restarted: the group resumes after what the committed transaction consumed
        try (KafkaConsumer<String, String> restarted = groupMember(bootstrap, group)) {
            restarted.assign(List.of(input));
            assertThat(restarted.position(input)).isEqualTo(4);
        }
        try (KafkaConsumer<String, String> reader = Isolation.readCommitted(bootstrap)) {
            assertThat(Isolation.readFromStart(reader, List.of(output), 4))
                    .extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactlyElementsOf(transformed(0, 4));
        }
    }

    @Test
    void shouldKeepTheOffsetsOfAnOpenTransactionPendingUntilItCommits(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition input0 = inputWithNumberedRecords(bootstrap, "txn-offsets-pending", 2);
        TopicPartition input1 = new TopicPartition(input0.topic(), 1);
        TopicPartition output = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-offsets-pending-out", 1), 0);
        String group = TestTopics.unique("txn-offsets-pending");
        try (KafkaConsumer<String, String> consumer = groupMember(bootstrap, group);
             KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                     TestTopics.unique("txn-offsets-pending"));
             Admin admin = Clients.admin(bootstrap)) {
            consumer.assign(List.of(input0, input1));
            consumer.commitSync(Map.of(input0, new OffsetAndMetadata(2), input1, new OffsetAndMetadata(5)));
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, output, "out-", 1);
            producer.sendOffsetsToTransaction(Map.of(input0, new OffsetAndMetadata(8)), consumer.groupMetadata());

            assertThat(groupOffsets(admin, group, false)).as("a plain fetch: the offsets committed before")
                    .isEqualTo(Map.of(input0, 2L, input1, 5L));
            assertThat(groupOffsets(admin, group, true)).as("a stable fetch: the partition with pending offsets left out")
                    .isEqualTo(Map.of(input1, 5L));
            assertThatThrownBy(() -> consumer.committed(Set.of(input0), Duration.ofSeconds(2)))
                    .as("a read_committed consumer asks for stable offsets and retries until its timeout")
                    .isInstanceOf(TimeoutException.class);

            producer.commitTransaction();

            assertThat(stableOffsetOnceSettled(admin, group, input0)).isEqualTo(8);
            assertThat(groupOffsets(admin, group, true)).isEqualTo(Map.of(input0, 8L, input1, 5L));
            assertThat(consumer.committed(Set.of(input0, input1), Duration.ofSeconds(30)))
                    .isEqualTo(Map.of(input0, new OffsetAndMetadata(8), input1, new OffsetAndMetadata(5)));
        }
    }

    /** A uniquely named topic with {@value #RECORDS} records v0, v1, ... in partition 0; returns that partition. */
    /**
     * A producer that names only the group ({@code new ConsumerGroupMetadata(group)}, no member or generation) commits
     * offsets for a group whose members use the consumer protocol (KIP-848) and are active: Kafka 4.4 accepts such a
     * transactional commit, as it does for a classic group.
     */
    @Test
    void shouldAcceptAGroupOnlyCommitForAnActiveConsumerProtocolGroup(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition input = inputWithNumberedRecords(bootstrap, "txn-offsets-848", 1);
        String group = TestTopics.unique("txn-offsets-848");
        try (KafkaConsumer<String, String> member = Clients.consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG,
                     group, ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));
             KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                     TestTopics.unique("txn-offsets-848"));
             Admin admin = Clients.admin(bootstrap)) {
            member.subscribe(List.of(input.topic()));
            Records.pollExactly(member, RECORDS);   // an active member of the group
            producer.initTransactions();

            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(7)),
                    new org.apache.kafka.clients.consumer.ConsumerGroupMetadata(group));
            producer.commitTransaction();

            assertThat(stableOffsetOnceSettled(admin, group, input)).isEqualTo(7);
        }
    }

    private static TopicPartition inputWithNumberedRecords(String bootstrap, String prefix, int partitions)
            throws Exception {
        TopicPartition input = new TopicPartition(TestTopics.createUnique(bootstrap, prefix + "-in", partitions), 0);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            Numbered.send(producer, input, "v", RECORDS);
        }
        return input;
    }

    /** A read_committed consumer in {@code group}, committing only what the test commits. */
    private static KafkaConsumer<String, String> groupMember(String bootstrap, String group) {
        return Clients.consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    }

    /** The transform: each value upper-cased, sent to {@code output} in the open transaction. */
    private static void transform(KafkaProducer<String, String> producer, TopicPartition output,
            List<ConsumerRecord<String, String>> records) throws Exception {
        for (ConsumerRecord<String, String> record : records) {
            producer.send(new ProducerRecord<>(output.topic(), output.partition(), record.key(), record.value().toUpperCase()))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** (offset, value) of the output records for input values v{from} .. v{to - 1}, written from offset 0 on. */
    private static List<Tuple> transformed(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> tuple((long) (i - from), "V" + i)).toList();
    }

    private static Map<TopicPartition, Long> groupOffsets(Admin admin, String group, boolean requireStable)
            throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().requireStable(requireStable))
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((partition, offset) -> offsets.put(partition, offset.offset()));
        return offsets;
    }

    /**
     * The group's committed offset of {@code partition} once no transaction holds offsets of it pending: the markers
     * that settle them reach the group coordinator after commitTransaction or abortTransaction has returned.
     */
    private static long stableOffsetOnceSettled(Admin admin, String group, TopicPartition partition) throws Exception {
        return Await.until("a stable committed offset of " + partition + " in " + group,
                () -> groupOffsets(admin, group, true), offsets -> offsets.containsKey(partition)).get(partition);
    }
}

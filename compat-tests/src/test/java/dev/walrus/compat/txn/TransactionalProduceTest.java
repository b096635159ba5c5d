package dev.walrus.compat.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A transactional producer's records as consumers see them: a committed transaction is read whole by read_committed,
 * an aborted one only by read_uncommitted, and while one is open the last stable offset (its first offset) holds back
 * every later record of its partition from read_committed, its own and other producers' alike. Every commit or abort
 * marker takes one offset in each partition the transaction wrote, so the offsets below count them.
 */
@ExtendWith(BrokerExtension.class)
class TransactionalProduceTest {

    /** How long a read_committed consumer must poll and get nothing while a transaction holds its partition back. */
    private static final Duration HELD_BACK = Duration.ofSeconds(1);

    @Test
    void shouldReadACommittedTransactionOverSeveralTopicsWholeAndInOrder(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition a0;
        TopicPartition a1;
        TopicPartition b0;
        try (Admin admin = Clients.admin(bootstrap)) {
            String a = TestTopics.create(admin, TestTopics.unique("txn-whole-a"), 2);
            String b = TestTopics.create(admin, TestTopics.unique("txn-whole-b"), 1);
            a0 = new TopicPartition(a, 0);
            a1 = new TopicPartition(a, 1);
            b0 = new TopicPartition(b, 0);
        }
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                TestTopics.unique("txn-whole"))) {
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, a0, "a0-", 3);
            Numbered.send(producer, a1, "a1-", 2);
            Numbered.send(producer, b0, "b0-", 2);
            producer.commitTransaction();
        }

        try (KafkaConsumer<String, String> consumer = Isolation.readCommitted(bootstrap);
             Admin admin = Clients.admin(bootstrap)) {
            List<ConsumerRecord<String, String>> got = Isolation.readFromStart(consumer, List.of(a0, a1, b0), 7);

            assertThat(Isolation.of(got, a0)).extracting(ConsumerRecord::offset, ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple(0L, "k0", "a0-0"), tuple(1L, "k1", "a0-1"), tuple(2L, "k2", "a0-2"));
            assertThat(Isolation.of(got, a1)).extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(tuple(0L, "a1-0"), tuple(1L, "a1-1"));
            assertThat(Isolation.of(got, b0)).extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(tuple(0L, "b0-0"), tuple(1L, "b0-1"));
            // the records and then the commit marker: one offset more than records in each partition written
            for (IsolationLevel level : IsolationLevel.values()) {
                assertThat(Isolation.latestOffset(admin, a0, level)).as("%s end of %s", level, a0).isEqualTo(4);
                assertThat(Isolation.latestOffset(admin, a1, level)).as("%s end of %s", level, a1).isEqualTo(3);
                assertThat(Isolation.latestOffset(admin, b0, level)).as("%s end of %s", level, b0).isEqualTo(3);
            }
        }
    }

    @Test
    void shouldHideAnAbortedTransactionFromReadCommittedOnly(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-aborted", 1), 0);
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                TestTopics.unique("txn-aborted"))) {
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, partition, "aborted-", 3);    // offsets 0-2, abort marker 3
            producer.abortTransaction();
            producer.beginTransaction();
            Numbered.send(producer, partition, "committed-", 1);  // offset 4, commit marker 5
            producer.commitTransaction();
        }

        try (KafkaConsumer<String, String> committed = Isolation.readCommitted(bootstrap);
             KafkaConsumer<String, String> uncommitted = Isolation.readUncommitted(bootstrap);
             Admin admin = Clients.admin(bootstrap)) {
            assertThat(Isolation.readFromStart(committed, List.of(partition), 1))
                    .extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(tuple(4L, "committed-0"));
            assertThat(Isolation.readFromStart(uncommitted, List.of(partition), 4))
                    .extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(tuple(0L, "aborted-0"), tuple(1L, "aborted-1"), tuple(2L, "aborted-2"),
                            tuple(4L, "committed-0"));
            // an abort marker takes an offset as a commit marker does
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED)).isEqualTo(6);
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(6);
        }
    }

    @Test
    void shouldReadOnlyTheCommittedOfCommitAbortCommitInOrder(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-sequence", 1), 0);
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                TestTopics.unique("txn-sequence"))) {
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, partition, "first-", 2);   // 0-1, marker 2
            producer.commitTransaction();
            producer.beginTransaction();
            Numbered.send(producer, partition, "second-", 2);  // 3-4, marker 5
            producer.abortTransaction();
            producer.beginTransaction();
            Numbered.send(producer, partition, "third-", 2);   // 6-7, marker 8
            producer.commitTransaction();
        }

        try (KafkaConsumer<String, String> consumer = Isolation.readCommitted(bootstrap);
             Admin admin = Clients.admin(bootstrap)) {
            assertThat(Isolation.readFromStart(consumer, List.of(partition), 4))
                    .extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(tuple(0L, "first-0"), tuple(1L, "first-1"), tuple(6L, "third-0"), tuple(7L, "third-1"));
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED)).isEqualTo(9);
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(9);
        }
    }

    @Test
    void shouldStopReadCommittedAtTheLastStableOffsetWhileATransactionIsOpen(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-lso", 1), 0);
        try (KafkaProducer<String, String> plain = Clients.producer(bootstrap)) {
            Numbered.send(plain, partition, "before-", 2);   // 0-1, outside any transaction
        }
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap, TestTopics.unique("txn-lso"));
             KafkaConsumer<String, String> consumer = Isolation.readCommitted(bootstrap);
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, partition, "open-", 3);  // 2-4, acknowledged but not committed

            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED))
                    .as("last stable offset: the open transaction's first offset").isEqualTo(2);
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_UNCOMMITTED))
                    .as("high watermark").isEqualTo(5);
            assertThat(Isolation.readFromStart(consumer, List.of(partition), 2))
                    .extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(tuple(0L, "before-0"), tuple(1L, "before-1"));
            assertThat(Records.pollFor(consumer, HELD_BACK)).isEmpty();
            assertThat(consumer.position(partition)).as("stops at the last stable offset").isEqualTo(2);
            assertThat(consumer.endOffsets(List.of(partition))).as("a read_committed consumer's end: the LSO")
                    .containsEntry(partition, 2L);

            producer.commitTransaction();

            assertThat(Records.pollExactly(consumer, 3)).extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(tuple(2L, "open-0"), tuple(3L, "open-1"), tuple(4L, "open-2"));
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED)).isEqualTo(6);
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(6);
        }
    }

    @Test
    void shouldHoldBackOtherProducersRecordsBehindAnOpenTransactionUntilItCommits(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-holds-commit", 1), 0);
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                TestTopics.unique("txn-holds-commit"));
             KafkaProducer<String, String> plain = Clients.producer(bootstrap);
             KafkaConsumer<String, String> consumer = Isolation.readCommitted(bootstrap);
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, partition, "txn-", 2);   // 0-1
            Numbered.send(plain, partition, "plain-", 2);    // 2-3, committed at once but behind the open transaction

            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            assertThat(Records.pollFor(consumer, HELD_BACK)).isEmpty();
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED)).isZero();
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(4);

            producer.commitTransaction();                    // marker 4

            assertThat(Records.pollExactly(consumer, 4)).extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(tuple(0L, "txn-0"), tuple(1L, "txn-1"), tuple(2L, "plain-0"), tuple(3L, "plain-1"));
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED)).isEqualTo(5);
        }
    }

    @Test
    void shouldHoldBackOtherProducersRecordsBehindAnOpenTransactionUntilItAborts(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-holds-abort", 1), 0);
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                TestTopics.unique("txn-holds-abort"));
             KafkaProducer<String, String> plain = Clients.producer(bootstrap);
             KafkaConsumer<String, String> consumer = Isolation.readCommitted(bootstrap);
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, partition, "txn-", 2);   // 0-1
            Numbered.send(plain, partition, "plain-", 2);    // 2-3

            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            assertThat(Records.pollFor(consumer, HELD_BACK)).isEmpty();
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED)).isZero();

            producer.abortTransaction();                     // marker 4

            assertThat(Records.pollExactly(consumer, 2)).extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(tuple(2L, "plain-0"), tuple(3L, "plain-1"));
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED)).isEqualTo(5);
        }
    }
}

package dev.walrus.compat.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A transaction left open longer than its producer's {@code transaction.timeout.ms} is aborted by the broker on its
 * own: the abort marker lands, the last stable offset catches up with the high watermark, the records are never
 * returned to read_committed, and the producer, whose epoch the coordinator bumped, can no longer commit. Kafka looks
 * for timed-out transactions every {@code transaction.abort.timed.out.transaction.cleanup.interval.ms} (10 s by
 * default), so each test here waits up to about 12 s.
 */
@ExtendWith(BrokerExtension.class)
class TransactionTimeoutTest {

    private static final int TIMEOUT_MS = 2000;
    /** Kafka's check interval (10 s) after the 2 s timeout, with room for a loaded machine. */
    private static final Duration ABORT_DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldAbortATransactionThatOutlivesItsTimeoutAndRefuseItsCommit(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-timeout", 1), 0);
        String transactionalId = TestTopics.unique("txn-timeout");
        try (KafkaProducer<String, String> producer = timingOutProducer(bootstrap, transactionalId);
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, partition, "expired-", 3);  // 0-2, then the broker's abort marker 3

            awaitAbortMarker(admin, partition, 4);
            // the coordinator records CompleteAbort once the markers are written, so just after the LSO moved
            Await.until("the coordinator to complete the abort", () -> admin.describeTransactions(List.of(transactionalId))
                    .description(transactionalId).get(30, TimeUnit.SECONDS).state(), TransactionState.COMPLETE_ABORT::equals);

            // Kafka 4.4's answer depends on the transaction version the client runs (the finalized transaction.version
            // the broker advertises in ApiVersions; none counts as 0). With 2, Kafka's default, the coordinator takes
            // the EndTxn of the epoch before the one it bumped for a retry of the abort it ended, and refuses to commit
            // that: INVALID_TXN_STATE. With 0 or 1 it answers PRODUCER_FENCED. Both seen against Kafka 4.4, the latter
            // after kafka-features downgrade --feature transaction.version=0.
            Class<? extends Exception> refusal = finalizedTransactionVersion(admin) >= 2
                    ? InvalidTxnStateException.class : ProducerFencedException.class;
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(refusal);
        }

        assertNeverReadCommitted(bootstrap, partition);
    }

    @Test
    void shouldRefuseRecordsSentAfterTheBrokerAbortedTheTransaction(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-timeout-send", 1), 0);
        try (KafkaProducer<String, String> producer = timingOutProducer(bootstrap, TestTopics.unique("txn-timeout-send"));
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, partition, "expired-", 3);  // 0-2, then the broker's abort marker 3

            awaitAbortMarker(admin, partition, 4);

            // the abort bumped the producer's epoch in the partition: a produce with the old one is refused
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "k",
                    "late")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidProducerEpochException.class);
            // and the client throws that error again from commitTransaction
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(InvalidProducerEpochException.class);
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_UNCOMMITTED))
                    .as("the late record was not stored").isEqualTo(4);
        }

        assertNeverReadCommitted(bootstrap, partition);
    }

    private static KafkaProducer<String, String> timingOutProducer(String bootstrap, String transactionalId) {
        return Clients.transactionalProducer(bootstrap, transactionalId,
                Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TIMEOUT_MS));
    }

    private static short finalizedTransactionVersion(Admin admin) throws Exception {
        FinalizedVersionRange range = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS)
                .finalizedFeatures().get("transaction.version");
        return range == null ? 0 : range.maxVersionLevel();
    }

    /** Waits until the last stable offset reaches the high watermark, then checks both are {@code end}. */
    private static void awaitAbortMarker(Admin admin, TopicPartition partition, long end) throws Exception {
        long lastStable = Await.until(ABORT_DEADLINE, "the broker to abort the timed-out transaction in " + partition,
                () -> List.of(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED),
                        Isolation.latestOffset(admin, partition, IsolationLevel.READ_UNCOMMITTED)),
                offsets -> offsets.get(0).equals(offsets.get(1))).get(0);
        assertThat(lastStable).as("the three records and the abort marker").isEqualTo(end);
    }

    /** A record written after the abort is all read_committed returns; read_uncommitted returns the expired ones too. */
    private static void assertNeverReadCommitted(String bootstrap, TopicPartition partition) throws Exception {
        try (KafkaProducer<String, String> plain = Clients.producer(bootstrap)) {
            Numbered.send(plain, partition, "after-", 1);     // 4
        }
        try (KafkaConsumer<String, String> committed = Isolation.readCommitted(bootstrap);
             KafkaConsumer<String, String> uncommitted = Isolation.readUncommitted(bootstrap)) {
            assertThat(Isolation.readFromStart(committed, List.of(partition), 1))
                    .extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(tuple(4L, "after-0"));
            assertThat(Isolation.readFromStart(uncommitted, List.of(partition), 4))
                    .extracting(ConsumerRecord::offset, ConsumerRecord::value)
                    .containsExactly(tuple(0L, "expired-0"), tuple(1L, "expired-1"), tuple(2L, "expired-2"),
                            tuple(4L, "after-0"));
        }
    }
}

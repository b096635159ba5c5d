package dev.walrus.compat.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An open transaction as the admin client and {@code kafka-transactions} show it (ListTransactions,
 * DescribeTransactions, DescribeProducers): Ongoing, with its producer id, the partitions it wrote, the producer's
 * transaction timeout and, per partition, the offset it started at (which holds back the last stable offset). Once
 * committed it is CompleteCommit with no partitions, and no partition has a transaction start offset any more.
 */
@ExtendWith(BrokerExtension.class)
class TransactionsAdminTest {

    private static final int TRANSACTION_TIMEOUT_MS = 45_000;   // not Kafka's default (60 s), so it shows it is ours

    private String bootstrap;
    private String transactionalId;
    private TopicPartition p0;
    private TopicPartition p1;
    private KafkaProducer<String, String> producer;
    private Admin admin;

    /** Three plain records in p0, then an open transaction: two records in p0 (offsets 3-4), one in p1 (offset 0). */
    @BeforeEach
    void openTransaction(TargetBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "txn-admin", 2);
        p0 = new TopicPartition(topic, 0);
        p1 = new TopicPartition(topic, 1);
        transactionalId = TestTopics.unique("txn-admin");
        try (KafkaProducer<String, String> plain = Clients.producer(bootstrap)) {
            Numbered.send(plain, p0, "before-", 3);
        }
        admin = Clients.admin(bootstrap);
        producer = Clients.transactionalProducer(bootstrap, transactionalId,
                Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS));
        producer.initTransactions();
        producer.beginTransaction();
        Numbered.send(producer, p0, "open-", 2);
        Numbered.send(producer, p1, "open-", 1);
    }

    @AfterEach
    void closeClients() {
        if (producer != null) {
            producer.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void shouldListAndDescribeAnOpenTransactionAsOngoing() throws Exception {
        TransactionDescription open = describe();

        assertThat(open.state()).isEqualTo(TransactionState.ONGOING);
        assertThat(open.producerId()).isNotNegative();
        assertThat(open.topicPartitions()).containsExactlyInAnyOrder(p0, p1);
        assertThat(open.transactionTimeoutMs()).isEqualTo(TRANSACTION_TIMEOUT_MS);
        assertThat(open.transactionStartTimeMs()).isPresent();
        assertThat(listing(new ListTransactionsOptions()))
                .isEqualTo(new TransactionListing(transactionalId, open.producerId(), TransactionState.ONGOING));
        assertThat(listing(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING))))
                .isEqualTo(new TransactionListing(transactionalId, open.producerId(), TransactionState.ONGOING));
    }

    @Test
    void shouldDescribeTheOpenTransactionsFirstOffsetInEachPartitionItWrote() throws Exception {
        long producerId = describe().producerId();

        assertThat(producerOf(p0, producerId).currentTransactionStartOffset()).hasValue(3);
        assertThat(producerOf(p1, producerId).currentTransactionStartOffset()).hasValue(0);
    }

    @Test
    void kafkaTransactionsShouldListAndDescribeAnOpenTransactionAsOngoing() throws Exception {
        TransactionDescription open = describe();

        assertCliListsItOngoing(open.producerId());
        assertCliDescribesItOngoing(open);
    }

    @Test
    void shouldDescribeACommittedTransactionAsCompleteWithNoPartitionsLeft() throws Exception {
        long producerId = describe().producerId();

        producer.commitTransaction();

        TransactionDescription committed = Await.until("the transaction to complete its commit",
                this::describe, d -> d.state() == TransactionState.COMPLETE_COMMIT);
        assertThat(committed.producerId()).isEqualTo(producerId);
        assertThat(committed.topicPartitions()).isEmpty();
        assertThat(listing(new ListTransactionsOptions()))
                .isEqualTo(new TransactionListing(transactionalId, producerId, TransactionState.COMPLETE_COMMIT));
        assertThat(listing(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))).isNull();
        assertThat(producerOf(p0, producerId).currentTransactionStartOffset()).isEmpty();
        assertThat(producerOf(p1, producerId).currentTransactionStartOffset()).isEmpty();
    }

    private TransactionDescription describe() throws Exception {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get(30, TimeUnit.SECONDS);
    }

    /** Our transactional id's listing, or null (the broker serves every test's transactions). */
    private TransactionListing listing(ListTransactionsOptions options) throws Exception {
        return admin.listTransactions(options).all().get(30, TimeUnit.SECONDS).stream()
                .filter(l -> l.transactionalId().equals(transactionalId)).findFirst().orElse(null);
    }

    private ProducerState producerOf(TopicPartition partition, long producerId) throws Exception {
        List<ProducerState> active = admin.describeProducers(List.of(partition)).partitionResult(partition)
                .get(30, TimeUnit.SECONDS).activeProducers();
        return active.stream().filter(p -> p.producerId() == producerId).findFirst()
                .orElseThrow(() -> new AssertionError("producer " + producerId + " not among " + active));
    }

    /** {@code kafka-transactions list}: TransactionalId, Coordinator, ProducerId, TransactionState. */
    private void assertCliListsItOngoing(long producerId) {
        CommandResult listed = KafkaCli.run(KafkaCli.TRANSACTIONS, "--bootstrap-server", bootstrap, "list");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.stdoutLines().getFirst().split("\\s+")).as(listed.toString())
                .containsExactly("TransactionalId", "Coordinator", "ProducerId", "TransactionState");
        String[] row = row(listed, 0, transactionalId);
        assertThat(row).as(listed.toString()).hasSize(4);
        assertThat(row[2]).isEqualTo(String.valueOf(producerId));
        assertThat(row[3]).isEqualTo("Ongoing");
    }

    /**
     * {@code kafka-transactions describe --transactional-id}: CoordinatorId, TransactionalId, ProducerId, ProducerEpoch,
     * TransactionState, TransactionTimeoutMs, CurrentTransactionStartTimeMs, TransactionDurationMs, TopicPartitions.
     */
    private void assertCliDescribesItOngoing(TransactionDescription open) {
        CommandResult described = KafkaCli.run(KafkaCli.TRANSACTIONS, "--bootstrap-server", bootstrap,
                "describe", "--transactional-id", transactionalId);
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.stdoutLines()).as(described.toString()).hasSize(2);
        assertThat(described.stdoutLines().getFirst().split("\\s+")).as(described.toString()).containsExactly(
                "CoordinatorId", "TransactionalId", "ProducerId", "ProducerEpoch", "TransactionState",
                "TransactionTimeoutMs", "CurrentTransactionStartTimeMs", "TransactionDurationMs", "TopicPartitions");
        String[] row = row(described, 1, transactionalId);
        assertThat(row).as(described.toString()).hasSize(9);
        assertThat(row[2]).isEqualTo(String.valueOf(open.producerId()));
        assertThat(row[3]).isEqualTo(String.valueOf(open.producerEpoch()));
        assertThat(row[4]).isEqualTo("Ongoing");
        assertThat(row[5]).isEqualTo(String.valueOf(TRANSACTION_TIMEOUT_MS));
        assertThat(row[6]).isEqualTo(String.valueOf(open.transactionStartTimeMs().orElseThrow()));
        assertThat(Long.parseLong(row[7])).as("duration").isNotNegative();
        assertThat(row[8].split(",")).containsExactlyInAnyOrder(p0.toString(), p1.toString());
    }

    /** The output row whose column {@code column} is {@code value}, split into columns. */
    private static String[] row(CommandResult result, int column, String value) {
        return result.stdoutLines().stream().map(line -> line.split("\\s+"))
                .filter(cols -> cols.length > column && cols[column].equals(value))
                .findFirst().orElseThrow(() -> new AssertionError("no row with " + value + " in\n" + result.stdout()));
    }
}

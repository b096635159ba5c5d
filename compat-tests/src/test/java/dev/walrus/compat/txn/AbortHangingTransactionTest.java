package dev.walrus.compat.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kafka-transactions abort}, the operator's way out of a hanging transaction: it finds the producer of the open
 * transaction at a start offset (DescribeProducers) and writes an abort marker straight to the partition
 * (WriteTxnMarkers). The last stable offset then passes the marker and read_committed readers move on, the
 * transaction's records never reaching them.
 */
@ExtendWith(BrokerExtension.class)
class AbortHangingTransactionTest {

    @Test
    void kafkaTransactionsAbortShouldEndAnOpenTransactionInOnePartition(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-hanging", 1), 0);
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                TestTopics.unique("txn-hanging"));
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, partition, "stuck-", 3);   // 0-2, left open
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED)).isZero();

            CommandResult abort = KafkaCli.run(KafkaCli.TRANSACTIONS, "--bootstrap-server", bootstrap, "abort",
                    "--topic", partition.topic(), "--partition", "0", "--start-offset", "0");

            assertThat(abort.exitCode()).as(abort.toString()).isZero();
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED))
                    .as("the abort marker at 3 ended the transaction").isEqualTo(4);
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(4);
            try (var consumer = Isolation.readCommitted(bootstrap)) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                assertThat(Records.pollFor(consumer, Duration.ofSeconds(1))).isEmpty();
                assertThat(consumer.position(partition)).isEqualTo(4);
            }
            try (var consumer = Isolation.readUncommitted(bootstrap)) {
                assertThat(Isolation.readFromStart(consumer, List.of(partition), 3)).extracting(r -> r.value())
                        .containsExactly("stuck-0", "stuck-1", "stuck-2");
            }
        }
    }
}

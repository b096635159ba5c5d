package dev.walrus.compat.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fencing a transactional id from outside: {@code Admin.fenceProducers} and {@code kafka-transactions
 * forceTerminateTransaction} bump the id's epoch through InitProducerId, which aborts its open transaction; the
 * producer that held it can then no longer commit.
 */
@ExtendWith(BrokerExtension.class)
class ForceTerminateTransactionTest {

    @Test
    void kafkaTransactionsForceTerminateTransactionShouldAbortTheOpenTransactionAndFenceItsProducer(TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-terminate", 1), 0);
        String transactionalId = TestTopics.unique("txn-terminate");
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap, transactionalId);
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, partition, "terminated-", 2);   // 0-1, then the abort marker 2

            CommandResult result = KafkaCli.run(KafkaCli.TRANSACTIONS, "--bootstrap-server", bootstrap,
                    "forceTerminateTransaction", "--transactionalId", transactionalId);

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED))
                    .as("the abort marker ended the transaction").isEqualTo(3);
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(ProducerFencedException.class);
        }
    }

    @Test
    void adminFenceProducersShouldAbortTheOpenTransaction(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-fence-admin", 1), 0);
        String transactionalId = TestTopics.unique("txn-fence-admin");
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap, transactionalId);
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            producer.beginTransaction();
            Numbered.send(producer, partition, "fenced-", 3);   // 0-2, then the abort marker 3

            admin.fenceProducers(List.of(transactionalId)).all().get(30, TimeUnit.SECONDS);

            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED)).isEqualTo(4);
            try (var reader = Isolation.readCommitted(bootstrap)) {
                reader.assign(List.of(partition));
                reader.seekToBeginning(List.of(partition));
                assertThat(dev.walrus.compat.Records.pollFor(reader, java.time.Duration.ofMillis(500))).isEmpty();
            }
        }
    }
}

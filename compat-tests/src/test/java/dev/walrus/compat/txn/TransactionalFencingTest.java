package dev.walrus.compat.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One transactional.id, one live producer: a second producer's initTransactions aborts the first one's open
 * transaction (its records never reach read_committed) and fences it. Kafka answers the fenced producer's EndTxn with
 * PRODUCER_FENCED (ProducerFencedException) and its produce requests with INVALID_PRODUCER_EPOCH
 * (InvalidProducerEpochException), the same under transaction.version 0 and 2. A producer that closed cleanly hands its
 * transactional.id on without losing anything.
 */
@ExtendWith(BrokerExtension.class)
class TransactionalFencingTest {

    @Test
    void shouldAbortAndFenceTheOpenTransactionOfAProducerReplacedByInitTransactions(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-fenced-commit", 1), 0);
        String transactionalId = TestTopics.unique("txn-fenced-commit");
        try (KafkaProducer<String, String> first = Clients.transactionalProducer(bootstrap, transactionalId);
             KafkaProducer<String, String> second = Clients.transactionalProducer(bootstrap, transactionalId)) {
            first.initTransactions();
            first.beginTransaction();
            Numbered.send(first, partition, "first-", 2);    // 0-1, then the abort marker 2

            second.initTransactions();                       // returns once the first's transaction is aborted

            assertThatThrownBy(first::commitTransaction).isInstanceOf(ProducerFencedException.class);
            second.beginTransaction();
            Numbered.send(second, partition, "second-", 1);  // 3, commit marker 4
            second.commitTransaction();
        }

        assertThat(readCommitted(bootstrap, partition, 1)).containsExactly(tuple(3L, "second-0"));
        assertThat(readUncommitted(bootstrap, partition, 3))
                .containsExactly(tuple(0L, "first-0"), tuple(1L, "first-1"), tuple(3L, "second-0"));
        try (Admin admin = Clients.admin(bootstrap)) {
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED)).isEqualTo(5);
        }
    }

    @Test
    void shouldRefuseTheNextSendOfAFencedProducerWithInvalidProducerEpoch(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-fenced-send", 1), 0);
        String transactionalId = TestTopics.unique("txn-fenced-send");
        try (KafkaProducer<String, String> first = Clients.transactionalProducer(bootstrap, transactionalId);
             KafkaProducer<String, String> second = Clients.transactionalProducer(bootstrap, transactionalId)) {
            first.initTransactions();
            first.beginTransaction();
            Numbered.send(first, partition, "first-", 1);    // 0, then the abort marker 1
            second.initTransactions();

            assertThatThrownBy(() -> first.send(new ProducerRecord<>(partition.topic(), partition.partition(), "k", "late"))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidProducerEpochException.class);
            // the failed send leaves the producer in an error state: commitTransaction throws the same error
            assertThatThrownBy(first::commitTransaction).isInstanceOf(InvalidProducerEpochException.class);
            // the abort does reach the coordinator, which knows the producer is fenced
            assertThatThrownBy(first::abortTransaction).isInstanceOf(ProducerFencedException.class);
            assertThatThrownBy(first::beginTransaction).isInstanceOf(ProducerFencedException.class);

            second.beginTransaction();
            Numbered.send(second, partition, "second-", 1);  // 2, commit marker 3
            second.commitTransaction();
        }

        assertThat(readCommitted(bootstrap, partition, 1)).containsExactly(tuple(2L, "second-0"));
        assertThat(readUncommitted(bootstrap, partition, 2)).containsExactly(tuple(0L, "first-0"), tuple(2L, "second-0"));
    }

    @Test
    void shouldContinueTheTransactionalIdOfAClosedProducerWithANewOne(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "txn-handover", 1), 0);
        String transactionalId = TestTopics.unique("txn-handover");
        try (KafkaProducer<String, String> first = Clients.transactionalProducer(bootstrap, transactionalId)) {
            first.initTransactions();
            first.beginTransaction();
            Numbered.send(first, partition, "first-", 2);    // 0-1, marker 2
            first.commitTransaction();
        }
        try (KafkaProducer<String, String> second = Clients.transactionalProducer(bootstrap, transactionalId)) {
            second.initTransactions();
            second.beginTransaction();
            Numbered.send(second, partition, "second-", 2);  // 3-4, marker 5
            second.commitTransaction();
        }

        assertThat(readCommitted(bootstrap, partition, 4)).containsExactly(
                tuple(0L, "first-0"), tuple(1L, "first-1"), tuple(3L, "second-0"), tuple(4L, "second-1"));
    }

    private static List<Tuple> readCommitted(String bootstrap, TopicPartition partition, int count) {
        try (KafkaConsumer<String, String> consumer = Isolation.readCommitted(bootstrap)) {
            return offsetsAndValues(Isolation.readFromStart(consumer, List.of(partition), count));
        }
    }

    private static List<Tuple> readUncommitted(String bootstrap, TopicPartition partition, int count) {
        try (KafkaConsumer<String, String> consumer = Isolation.readUncommitted(bootstrap)) {
            return offsetsAndValues(Isolation.readFromStart(consumer, List.of(partition), count));
        }
    }

    private static List<Tuple> offsetsAndValues(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> tuple(r.offset(), r.value())).toList();
    }
}

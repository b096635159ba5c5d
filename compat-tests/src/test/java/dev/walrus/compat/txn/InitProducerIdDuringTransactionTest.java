package dev.walrus.compat.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.RawKafkaConnection;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * InitProducerId for a transactional id whose transaction of transaction version 2 (KIP-890 part 2) is open: Kafka's
 * coordinator first fences the open transaction (its abort markers carry the epoch one above the producer's) and
 * answers CONCURRENT_TRANSACTIONS; the retry, once the abort is complete, gets the producer id with one epoch more (a
 * new producer: the open epoch + 2), or, for the producer that asked with its own id and epoch (KIP-360), the epoch
 * of the abort (open epoch + 1). A Java producer retries CONCURRENT_TRANSACTIONS inside initTransactions.
 */
@ExtendWith(BrokerExtension.class)
class InitProducerIdDuringTransactionTest {

    private static final short PRODUCE_V2 = 12;
    private static final short PRODUCE_V1 = 11;
    private static final short INIT_PRODUCER_ID_VERSION = 5;

    @Test
    void shouldAnswerConcurrentTransactionsFirstAndTheEpochAfterTheAbortOnTheRetryOfANewProducer(TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "init-during-txn", 1), 0);
        TestTopics.awaitLeaders(bootstrap, partition.topic(), 1); // raw produce requests do not retry
        String transactionalId = TestTopics.unique("init-during-txn");
        try (RawKafkaConnection connection = RawKafkaConnection.open(bootstrap);
             Admin admin = Clients.admin(bootstrap)) {
            InitProducerIdResponseData first = initUntilAnswered(connection, transactionalId, -1, (short) -1);
            long producerId = first.producerId();
            short epoch = first.producerEpoch();
            assertThat(produce(connection, transactionalId, partition, producerId, epoch, "open"))
                    .isEqualTo(Errors.NONE);

            InitProducerIdResponseData fencing = init(connection, transactionalId, -1, (short) -1);
            assertThat(Errors.forCode(fencing.errorCode())).as("while the open transaction is aborted")
                    .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

            InitProducerIdResponseData retried = initUntilAnswered(connection, transactionalId, -1, (short) -1);
            assertThat(retried.producerId()).isEqualTo(producerId);
            assertThat(retried.producerEpoch()).as("one above the abort's epoch").isEqualTo((short) (epoch + 2));
            TransactionDescription described = describe(admin, transactionalId);
            assertThat(described.state()).isEqualTo(TransactionState.EMPTY);
            assertThat(described.producerEpoch()).isEqualTo(epoch + 2);
            ProducerState inPartition = admin.describeProducers(List.of(partition)).partitionResult(partition)
                    .get(30, TimeUnit.SECONDS).activeProducers().getFirst();
            assertThat(inPartition.producerEpoch()).as("the abort marker's epoch").isEqualTo(epoch + 1);
            assertThat(inPartition.currentTransactionStartOffset()).isEmpty();
        }
        try (KafkaConsumer<String, String> consumer = Isolation.readUncommitted(bootstrap)) {
            assertThat(Isolation.readFromStart(consumer, List.of(partition), 1)).extracting(ConsumerRecord::value)
                    .containsExactly("open");
        }
        try (Admin admin = Clients.admin(bootstrap)) {
            assertThat(Isolation.latestOffset(admin, partition, IsolationLevel.READ_COMMITTED))
                    .as("the record and its abort marker").isEqualTo(2);
        }
    }

    @Test
    void shouldGiveTheProducerRecoveringItselfTheEpochOfTheAbortOnItsRetry(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "init-own-txn", 1), 0);
        TestTopics.awaitLeaders(bootstrap, partition.topic(), 1); // raw produce requests do not retry
        String transactionalId = TestTopics.unique("init-own-txn");
        try (RawKafkaConnection connection = RawKafkaConnection.open(bootstrap)) {
            InitProducerIdResponseData first = initUntilAnswered(connection, transactionalId, -1, (short) -1);
            long producerId = first.producerId();
            short epoch = first.producerEpoch();
            assertThat(produce(connection, transactionalId, partition, producerId, epoch, "open"))
                    .isEqualTo(Errors.NONE);

            InitProducerIdResponseData fencing = init(connection, transactionalId, producerId, epoch);
            assertThat(Errors.forCode(fencing.errorCode())).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

            InitProducerIdResponseData retried = initUntilAnswered(connection, transactionalId, producerId, epoch);
            assertThat(retried.producerId()).isEqualTo(producerId);
            assertThat(retried.producerEpoch()).as("the abort's epoch").isEqualTo((short) (epoch + 1));
            InitProducerIdResponseData again = init(connection, transactionalId, producerId, epoch);
            assertThat(Errors.forCode(again.errorCode())).isEqualTo(Errors.NONE);
            assertThat(again.producerEpoch()).as("a retry of the same bump").isEqualTo((short) (epoch + 1));
            assertThat(produce(connection, transactionalId, partition, producerId, epoch, "stale"))
                    .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        }
    }

    @Test
    void shouldAbortATransactionOfVersion1ByTheRulesOfTheFinalizedVersion2(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "init-tv1-txn", 1), 0);
        TestTopics.awaitLeaders(bootstrap, partition.topic(), 1); // raw produce requests do not retry
        String transactionalId = TestTopics.unique("init-tv1-txn");
        try (RawKafkaConnection connection = RawKafkaConnection.open(bootstrap)) {
            InitProducerIdResponseData first = initUntilAnswered(connection, transactionalId, -1, (short) -1);
            long producerId = first.producerId();
            short epoch = first.producerEpoch();
            // a client of transaction version 1: the partition added explicitly, then a Produce v11
            AddPartitionsToTxnResponse added = connection.roundTrip(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 3,
                    new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId(transactionalId)
                            .setV3AndBelowProducerId(producerId).setV3AndBelowProducerEpoch(epoch)
                            .setV3AndBelowTopics(new AddPartitionsToTxnTopicCollection(List.of(
                                    new AddPartitionsToTxnTopic().setName(partition.topic())
                                            .setPartitions(List.of(partition.partition()))).iterator())));
            assertThat(added.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID).values())
                    .containsOnly(Errors.NONE);
            assertThat(produce(connection, PRODUCE_V1, transactionalId, partition, producerId, epoch, "open"))
                    .isEqualTo(Errors.NONE);

            InitProducerIdResponseData fencing = init(connection, transactionalId, producerId, epoch);
            assertThat(Errors.forCode(fencing.errorCode())).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

            // the broker's finalized transaction.version (2) decides how the abort bumps: it remembers the epoch
            // before it, so the producer's own retry gets the abort's epoch
            InitProducerIdResponseData retried = initUntilAnswered(connection, transactionalId, producerId, epoch);
            assertThat(retried.producerId()).isEqualTo(producerId);
            assertThat(retried.producerEpoch()).isEqualTo((short) (epoch + 1));
        }
    }

    @Test
    void shouldGiveASecondJavaProducerTheEpochAboveTheAbortOfTheFirstOnesTransaction(TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "init-second-txn", 1), 0);
        String transactionalId = TestTopics.unique("init-second-txn");
        try (KafkaProducer<String, String> first = Clients.transactionalProducer(bootstrap, transactionalId);
             KafkaProducer<String, String> second = Clients.transactionalProducer(bootstrap, transactionalId);
             Admin admin = Clients.admin(bootstrap)) {
            first.initTransactions();
            short epoch = (short) describe(admin, transactionalId).producerEpoch();
            first.beginTransaction();
            Numbered.send(first, partition, "first-", 1);

            second.initTransactions(); // retries CONCURRENT_TRANSACTIONS until the first's transaction is aborted

            TransactionDescription described = describe(admin, transactionalId);
            assertThat(described.state()).isEqualTo(TransactionState.EMPTY);
            assertThat(described.producerEpoch()).isEqualTo(epoch + 2);
            ProducerState inPartition = admin.describeProducers(List.of(partition)).partitionResult(partition)
                    .get(30, TimeUnit.SECONDS).activeProducers().getFirst();
            assertThat(inPartition.producerEpoch()).as("the abort marker's epoch").isEqualTo(epoch + 1);
            assertThatThrownBy(first::commitTransaction).isInstanceOf(ProducerFencedException.class);

            second.beginTransaction();
            Numbered.send(second, partition, "second-", 1);
            second.commitTransaction();
        }
        try (KafkaConsumer<String, String> consumer = Isolation.readCommitted(bootstrap)) {
            assertThat(Isolation.readFromStart(consumer, List.of(partition), 1)).extracting(ConsumerRecord::value)
                    .containsExactly("second-0");
        }
    }

    private static TransactionDescription describe(Admin admin, String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get(30, TimeUnit.SECONDS);
    }

    private static InitProducerIdResponseData init(RawKafkaConnection connection, String transactionalId,
                                                   long producerId, short epoch) throws Exception {
        InitProducerIdResponse r = connection.roundTrip(ApiKeys.INIT_PRODUCER_ID, INIT_PRODUCER_ID_VERSION,
                new InitProducerIdRequestData().setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000)
                        .setProducerId(producerId).setProducerEpoch(epoch));
        return r.data();
    }

    /** FindCoordinator first (Kafka creates its transaction log then), and InitProducerId until it answers NONE. */
    private static InitProducerIdResponseData initUntilAnswered(RawKafkaConnection connection, String transactionalId,
                                                                long producerId, short epoch) throws Exception {
        connection.roundTrip(ApiKeys.FIND_COORDINATOR, (short) 4, new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
                .setCoordinatorKeys(List.of(transactionalId)));
        return Await.until("InitProducerId to answer", () -> init(connection, transactionalId, producerId, epoch),
                data -> data.errorCode() == Errors.NONE.code());
    }

    private static Errors produce(RawKafkaConnection connection, String transactionalId, TopicPartition partition,
                                  long producerId, short epoch, String value) throws Exception {
        return produce(connection, PRODUCE_V2, transactionalId, partition, producerId, epoch, value);
    }

    private static Errors produce(RawKafkaConnection connection, short version, String transactionalId,
                                  TopicPartition partition, long producerId, short epoch, String value)
            throws Exception {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, 0,
                new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId(transactionalId);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData()
                .setName(partition.topic());
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition.partition())
                .setRecords(records));
        request.topicData().add(topicData);
        ProduceResponse r = connection.roundTrip(ApiKeys.PRODUCE, version, request);
        return Errors.forCode(r.data().responses().iterator().next().partitionResponses().getFirst().errorCode());
    }
}

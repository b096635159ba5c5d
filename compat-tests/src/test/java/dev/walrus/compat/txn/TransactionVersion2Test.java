package dev.walrus.compat.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.RawKafkaConnection;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Transaction version 2 (KIP-890 part 2), which a Kafka 4.4 producer runs because the broker finalizes
 * {@code transaction.version} 2: every commit bumps the producer's epoch (the coordinator's description and the
 * partition's producer state both show it, the markers carry it), and a Produce v12 adds its partition to the
 * transaction without AddPartitionsToTxn, where a Produce v11 of a partition not added is refused.
 */
@ExtendWith(BrokerExtension.class)
class TransactionVersion2Test {

    private static final short PRODUCE_V2 = 12;
    private static final short PRODUCE_V1 = 11;
    private static final short END_TXN_V2 = 5;

    @Test
    void shouldBumpTheProducerEpochAtEveryCommit(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        TopicPartition partition = new TopicPartition(TestTopics.createUnique(bootstrap, "tv2-epochs", 1), 0);
        String transactionalId = TestTopics.unique("tv2-epochs");
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap, transactionalId);
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            TransactionDescription initialized = describe(admin, transactionalId);
            assertThat(initialized.state()).isEqualTo(TransactionState.EMPTY);
            short epoch = (short) initialized.producerEpoch();

            for (int i = 1; i <= 3; i++) {
                producer.beginTransaction();
                Numbered.send(producer, partition, "t" + i + "-", 1);
                producer.commitTransaction();

                // Kafka answers the commit before its markers are written (PrepareCommit meanwhile)
                TransactionDescription committed = Await.until("commit " + i + " to complete",
                        () -> describe(admin, transactionalId), d -> d.state() == TransactionState.COMPLETE_COMMIT);
                assertThat(committed.producerId()).isEqualTo(initialized.producerId());
                assertThat(committed.producerEpoch()).as("after commit " + i).isEqualTo(epoch + i);
                ProducerState inPartition = admin.describeProducers(List.of(partition)).partitionResult(partition)
                        .get(30, TimeUnit.SECONDS).activeProducers().getFirst();
                assertThat(inPartition.producerEpoch()).as("the marker of commit " + i + " carries the new epoch")
                        .isEqualTo(epoch + i);
                assertThat(inPartition.lastSequence()).as("the marker left the new epoch without a batch").isEqualTo(-1);
            }
        }
        try (KafkaConsumer<String, String> consumer = Isolation.readCommitted(bootstrap)) {
            assertThat(Isolation.readFromStart(consumer, List.of(partition), 3)).extracting(ConsumerRecord::value)
                    .containsExactly("t1-0", "t2-0", "t3-0");
        }
    }

    @Test
    void shouldAddThePartitionOfAVersion12ProduceToTheTransaction(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "tv2-raw", 2);
        String transactionalId = TestTopics.unique("tv2-raw");
        try (RawKafkaConnection connection = RawKafkaConnection.open(bootstrap)) {
            InitProducerIdResponseData producer = initProducerId(connection, transactionalId);
            long producerId = producer.producerId();
            short epoch = producer.producerEpoch();

            assertThat(produce(connection, PRODUCE_V2, transactionalId, topic, 0, producerId, epoch, "a"))
                    .as("no AddPartitionsToTxn before").isEqualTo(Errors.NONE);
            var state = describeRaw(connection, transactionalId);
            assertThat(state.transactionState()).isEqualTo("Ongoing");
            assertThat(state.topics()).singleElement().satisfies(t -> {
                assertThat(t.topic()).isEqualTo(topic);
                assertThat(t.partitions()).containsExactly(0);
            });

            EndTxnResponseData committed = endTxn(connection, transactionalId, producerId, epoch);
            assertThat(Errors.forCode(committed.errorCode())).isEqualTo(Errors.NONE);
            assertThat(committed.producerId()).isEqualTo(producerId);
            assertThat(committed.producerEpoch()).isEqualTo((short) (epoch + 1));
            // Kafka answers the commit before its markers are written: wait until it is complete
            Await.until("the commit to complete", () -> describeState(connection, transactionalId),
                    "CompleteCommit"::equals);
            EndTxnResponseData retried = endTxn(connection, transactionalId, producerId, epoch);
            assertThat(Errors.forCode(retried.errorCode())).as("a retry of the commit").isEqualTo(Errors.NONE);
            assertThat(retried.producerEpoch()).isEqualTo((short) (epoch + 1));

            short next = committed.producerEpoch();
            assertThat(produce(connection, PRODUCE_V1, transactionalId, topic, 1, producerId, next, "b"))
                    .as("a v11 produce only verifies: the partition was not added")
                    .isEqualTo(Errors.TRANSACTION_ABORTABLE);
            assertThat(produce(connection, PRODUCE_V2, transactionalId, topic, 1, producerId, next, "b"))
                    .isEqualTo(Errors.NONE);
            assertThat(produce(connection, PRODUCE_V2, transactionalId, topic, 0, producerId, epoch, "stale"))
                    .as("the epoch before the bump").isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
            EndTxnResponseData aborted = endTxn(connection, transactionalId, producerId, next, false);
            assertThat(Errors.forCode(aborted.errorCode())).isEqualTo(Errors.NONE);
            assertThat(aborted.producerEpoch()).isEqualTo((short) (epoch + 2));
        }
        try (KafkaConsumer<String, String> consumer = Isolation.readCommitted(bootstrap)) {
            TopicPartition p0 = new TopicPartition(topic, 0);
            TopicPartition p1 = new TopicPartition(topic, 1);
            assertThat(Isolation.readFromStart(consumer, List.of(p0, p1), 1)).extracting(ConsumerRecord::value)
                    .containsExactly("a");
        }
    }

    private static DescribeTransactionsResponseData.TransactionState describeRaw(RawKafkaConnection connection,
                                                                                String transactionalId) throws Exception {
        DescribeTransactionsResponse described = connection.roundTrip(ApiKeys.DESCRIBE_TRANSACTIONS, (short) 0,
                new DescribeTransactionsRequestData().setTransactionalIds(List.of(transactionalId)));
        return described.data().transactionStates().getFirst();
    }

    private static String describeState(RawKafkaConnection connection, String transactionalId) throws Exception {
        return describeRaw(connection, transactionalId).transactionState();
    }

    @Test
    void shouldAppendPipelinedVersion12ProducesInTheOrderTheyWereSent(TargetBroker broker) throws Exception {
        // the first request adds the partition to the transaction (the broker waits for its coordinator); the ones
        // sent behind it on the same connection, before any answer, must not reach the partition first
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "tv2-pipelined", 1);
        String transactionalId = TestTopics.unique("tv2-pipelined");
        int requests = 5;
        try (RawKafkaConnection connection = RawKafkaConnection.open(bootstrap)) {
            InitProducerIdResponseData producer = initProducerId(connection, transactionalId);
            List<RequestHeader> sent = new ArrayList<>();
            for (int sequence = 0; sequence < requests; sequence++) {
                RequestHeader header = connection.header(ApiKeys.PRODUCE, PRODUCE_V2);
                connection.sendFrame(RawKafkaConnection.serialize(header, produceRequest(transactionalId, topic, 0,
                        producer.producerId(), producer.producerEpoch(), sequence, "p" + sequence)));
                sent.add(header);
            }
            for (int i = 0; i < requests; i++) {
                ProduceResponse answer = (ProduceResponse) ProduceResponse.parseResponse(
                        ByteBuffer.wrap(connection.readFrame()), sent.get(i));
                ProduceResponseData.PartitionProduceResponse p =
                        answer.data().responses().iterator().next().partitionResponses().getFirst();
                assertThat(Errors.forCode(p.errorCode())).as("request %d", i).isEqualTo(Errors.NONE);
                assertThat(p.baseOffset()).as("offset of request %d", i).isEqualTo(i);
            }
            assertThat(endTxn(connection, transactionalId, producer.producerId(), producer.producerEpoch()).errorCode())
                    .isEqualTo(Errors.NONE.code());
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Isolation.readCommitted(bootstrap)) {
            assertThat(Isolation.readFromStart(consumer, List.of(partition), requests)).extracting(ConsumerRecord::value)
                    .containsExactly("p0", "p1", "p2", "p3", "p4");
        }
    }

    private static TransactionDescription describe(Admin admin, String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get(30, TimeUnit.SECONDS);
    }

    /** FindCoordinator first (Kafka creates its transaction log then), and InitProducerId until it is loaded. */
    private static InitProducerIdResponseData initProducerId(RawKafkaConnection connection, String transactionalId)
            throws Exception {
        connection.roundTrip(ApiKeys.FIND_COORDINATOR, (short) 4, new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
                .setCoordinatorKeys(List.of(transactionalId)));
        return Await.until("the transaction coordinator to give a producer id", () -> {
            InitProducerIdResponse r = connection.roundTrip(ApiKeys.INIT_PRODUCER_ID, (short) 5,
                    new InitProducerIdRequestData().setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000)
                            .setProducerId(-1).setProducerEpoch((short) -1));
            return r.data();
        }, data -> data.errorCode() == Errors.NONE.code());
    }

    private static Errors produce(RawKafkaConnection connection, short version, String transactionalId, String topic,
                                  int partition, long producerId, short epoch, String value) throws Exception {
        ProduceResponse r = connection.roundTrip(ApiKeys.PRODUCE, version,
                produceRequest(transactionalId, topic, partition, producerId, epoch, 0, value));
        return Errors.forCode(r.data().responses().iterator().next().partitionResponses().getFirst().errorCode());
    }

    private static ProduceRequestData produceRequest(String transactionalId, String topic, int partition,
                                                     long producerId, short epoch, int sequence, String value) {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, sequence,
                new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId(transactionalId);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records));
        request.topicData().add(topicData);
        return request;
    }

    private static EndTxnResponseData endTxn(RawKafkaConnection connection, String transactionalId, long producerId,
                                             short epoch) throws Exception {
        return endTxn(connection, transactionalId, producerId, epoch, true);
    }

    private static EndTxnResponseData endTxn(RawKafkaConnection connection, String transactionalId, long producerId,
                                             short epoch, boolean commit) throws Exception {
        EndTxnResponse r = connection.roundTrip(ApiKeys.END_TXN, END_TXN_V2, new EndTxnRequestData()
                .setTransactionalId(transactionalId).setProducerId(producerId).setProducerEpoch(epoch)
                .setCommitted(commit));
        return r.data();
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.DescribeProducersResponse;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transaction version 2 (KIP-890 part 2) at the protocol level, as a Kafka 4.4 producer speaks it once
 * {@code transaction.version} 2 is finalized: Produce v12+ and TxnOffsetCommit v5+ add their partition or group to the
 * transaction without AddPartitionsToTxn/AddOffsetsToTxn, and EndTxn v5 bumps the epoch at every end, answering the
 * next transaction's producer id and epoch. Expectations follow Kafka 4.4's coordinator.
 */
class TransactionVersion2Test {

    private static final short PRODUCE = 12;
    private static final short END_TXN = 5;
    private static final short TXN_OFFSET_COMMIT = 5;
    private static final String TOPIC = "orders";

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir, Map.of());
        broker.createTopic(TOPIC, 2);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private record Producer(String transactionalId, long id, short epoch) {}

    @Test
    void shouldAddThePartitionOnProduceAndBumpTheEpochOnEveryEnd() {
        Producer p = init("tv2-basic");
        assertThat(produce(p, 0, 0, "a", "b")).as("no AddPartitionsToTxn first").isEqualTo(Errors.NONE);
        assertThat(describe("tv2-basic").transactionState()).isEqualTo("Ongoing");
        assertThat(describe("tv2-basic").topics()).extracting(t -> t.topic() + t.partitions())
                .containsExactly(TOPIC + "[0]");

        EndTxnResponseData committed = endTxn(p, true);
        assertThat(Errors.forCode(committed.errorCode())).isEqualTo(Errors.NONE);
        assertThat(committed.producerId()).isEqualTo(p.id());
        assertThat(committed.producerEpoch()).isEqualTo((short) (p.epoch() + 1));
        assertThat(Batches.dataValues(fetch(IsolationLevel.READ_COMMITTED, 0).records())).containsExactly("a", "b");
        assertThat(producerEpochIn(0, p.id())).as("the marker carries the bumped epoch").isEqualTo(p.epoch() + 1);
        assertThat(describe("tv2-basic").producerEpoch()).isEqualTo((short) (p.epoch() + 1));

        Producer next = new Producer(p.transactionalId(), committed.producerId(), committed.producerEpoch());
        assertThat(produce(p, 1, 2, "stale")).as("the old epoch is fenced").isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(produce(next, 1, 0, "c")).as("the next transaction starts at sequence 0").isEqualTo(Errors.NONE);
        EndTxnResponseData aborted = endTxn(next, false);
        assertThat(aborted.producerEpoch()).isEqualTo((short) (p.epoch() + 2));
        assertThat(fetch(IsolationLevel.READ_COMMITTED, 1).abortedTransactions())
                .extracting(FetchResponseData.AbortedTransaction::producerId).containsExactly(p.id());
    }

    @Test
    void shouldAnswerARetriedEndWithTheEpochItAlreadyBumpedTo() {
        Producer p = init("tv2-retry");
        produce(p, 0, 0, "x");
        EndTxnResponseData first = endTxn(p, true);
        EndTxnResponseData retry = endTxn(p, true);
        assertThat(Errors.forCode(retry.errorCode())).isEqualTo(Errors.NONE);
        assertThat(retry.producerEpoch()).isEqualTo(first.producerEpoch());
        assertThat(Errors.forCode(endTxn(p, false).errorCode())).as("a retry that asks the other outcome")
                .isEqualTo(Errors.INVALID_TXN_STATE);
        Producer older = new Producer(p.transactionalId(), p.id(), (short) (p.epoch() - 1));
        EndTxnResponseData fenced = endTxn(older, true);
        assertThat(Errors.forCode(fenced.errorCode())).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(fenced.producerId()).isEqualTo(-1);
        assertThat(Errors.forCode(endTxn(new Producer(p.transactionalId(), p.id() + 1000, p.epoch()), true).errorCode()))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    @Test
    void shouldAbortATransactionWithNothingAddedButNotCommitIt() {
        Producer p = init("tv2-empty");
        assertThat(Errors.forCode(endTxn(p, true).errorCode())).isEqualTo(Errors.INVALID_TXN_STATE);
        EndTxnResponseData aborted = endTxn(p, false);
        assertThat(Errors.forCode(aborted.errorCode())).isEqualTo(Errors.NONE);
        assertThat(aborted.producerEpoch()).isEqualTo((short) (p.epoch() + 1));
        assertThat(describe("tv2-empty").transactionState()).isEqualTo("CompleteAbort");
    }

    @Test
    void shouldAddTheGroupOnTxnOffsetCommit() {
        Producer p = init("tv2-offsets");
        produce(p, 0, 0, "x");
        assertThat(txnOffsetCommit(p, "tv2-readers", 7)).as("no AddOffsetsToTxn first").isEqualTo(Errors.NONE);
        assertThat(fetchOffset("tv2-readers", true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        assertThat(describe("tv2-offsets").topics()).extracting(DescribeTransactionsResponseData.TopicData::topic)
                .contains("__consumer_offsets");
        endTxn(p, true);
        assertThat(fetchOffset("tv2-readers", true).committedOffset()).isEqualTo(7);
    }

    @Test
    void shouldFenceTheOldProducerWhenANewOneInitsDuringItsTransaction() {
        Producer old = init("tv2-fence");
        produce(old, 0, 0, "zombie");
        assertThat(initResponse("tv2-fence").error()).as("as Kafka: the open transaction is aborted first")
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        Producer fresh = init("tv2-fence");
        assertThat(fresh.epoch()).as("the abort bumps once, the new producer once more").isEqualTo((short) (old.epoch() + 2));
        assertThat(fetch(IsolationLevel.READ_COMMITTED, 0).abortedTransactions())
                .extracting(FetchResponseData.AbortedTransaction::producerId).containsExactly(old.id());
        assertThat(Errors.forCode(endTxn(old, true).errorCode())).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(produce(old, 0, 1, "late")).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(produce(fresh, 0, 0, "ok")).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldFinishATransactionStartedBeforeARestart() {
        Producer p = init("tv2-restart");
        produce(p, 0, 0, "before");
        txnOffsetCommit(p, "tv2-restart-group", 3);

        broker.restart();

        assertThat(describe("tv2-restart").transactionState()).isEqualTo("Ongoing");
        assertThat(produce(p, 1, 0, "after")).isEqualTo(Errors.NONE);
        EndTxnResponseData committed = endTxn(p, true);
        assertThat(Errors.forCode(committed.errorCode())).isEqualTo(Errors.NONE);
        assertThat(committed.producerEpoch()).isEqualTo((short) (p.epoch() + 1));
        assertThat(Batches.dataValues(fetch(IsolationLevel.READ_COMMITTED, 0).records())).containsExactly("before");
        assertThat(Batches.dataValues(fetch(IsolationLevel.READ_COMMITTED, 1).records())).containsExactly("after");
        assertThat(fetchOffset("tv2-restart-group", true).committedOffset()).isEqualTo(3);

        broker.restart();

        assertThat(describe("tv2-restart").producerEpoch()).as("the bumped epoch is durable")
                .isEqualTo((short) (p.epoch() + 1));
        assertThat(Errors.forCode(endTxn(p, true).errorCode())).as("still a retry after a restart")
                .isEqualTo(Errors.NONE);
    }

    /** The network layer reuses a request's memory once the adapter returns: a produce that waits for its add copies. */
    @Test
    void shouldAppendTheRecordsAsSentWhenTheRequestFrameIsReusedMeanwhile() {
        Producer p = init("tv2-frame");
        ProduceRequestData request = Requests.produce(TOPIC, 0, MemoryRecords.withTransactionalRecords(Compression.NONE,
                p.id(), p.epoch(), 0, new SimpleRecord("kept".getBytes(StandardCharsets.UTF_8))), (short) -1)
                .setTransactionalId(p.transactionalId());
        java.nio.ByteBuffer frame = broker.frame(ApiKeys.PRODUCE, PRODUCE, request);
        var answer = broker.adapter().handle(broker.context(), frame);
        for (int i = 0; i < frame.limit(); i++) {
            frame.put(i, (byte) 0);
        }
        AdapterHarness.await(answer);
        endTxn(p, true);
        assertThat(Batches.dataValues(fetch(IsolationLevel.READ_COMMITTED, 0).records())).containsExactly("kept");
    }

    // ---- requests ------------------------------------------------------------------------------------------------

    private Producer init(String transactionalId) {
        InitProducerIdResponse r = initResponse(transactionalId);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        return new Producer(transactionalId, r.data().producerId(), r.data().producerEpoch());
    }

    private InitProducerIdResponse initResponse(String transactionalId) {
        return broker.send(ApiKeys.INIT_PRODUCER_ID, (short) 5, new InitProducerIdRequestData()
                .setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000)
                .setProducerId(-1).setProducerEpoch((short) -1));
    }

    private Errors produce(Producer p, int partition, int baseSequence, String... values) {
        SimpleRecord[] records = java.util.Arrays.stream(values)
                .map(v -> new SimpleRecord(v.getBytes(StandardCharsets.UTF_8))).toArray(SimpleRecord[]::new);
        ProduceRequestData request = Requests.produce(TOPIC, partition, MemoryRecords.withTransactionalRecords(
                Compression.NONE, p.id(), p.epoch(), baseSequence, records), (short) -1)
                .setTransactionalId(p.transactionalId());
        ProduceResponse r = broker.send(ApiKeys.PRODUCE, PRODUCE, request);
        return Errors.forCode(r.data().responses().iterator().next().partitionResponses().getFirst().errorCode());
    }

    private EndTxnResponseData endTxn(Producer p, boolean commit) {
        EndTxnResponse r = broker.send(ApiKeys.END_TXN, END_TXN, new EndTxnRequestData()
                .setTransactionalId(p.transactionalId()).setProducerId(p.id()).setProducerEpoch(p.epoch())
                .setCommitted(commit));
        return r.data();
    }

    private Errors txnOffsetCommit(Producer p, String group, long offset) {
        TxnOffsetCommitResponse r = broker.send(ApiKeys.TXN_OFFSET_COMMIT, TXN_OFFSET_COMMIT, new TxnOffsetCommitRequestData()
                .setTransactionalId(p.transactionalId()).setGroupId(group).setProducerId(p.id())
                .setProducerEpoch(p.epoch()).setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                        .setName(TOPIC).setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(offset))))));
        return Errors.forCode(r.data().topics().getFirst().partitions().getFirst().errorCode());
    }

    private OffsetFetchResponseData.OffsetFetchResponsePartitions fetchOffset(String group, boolean requireStable) {
        OffsetFetchResponse r = broker.send(ApiKeys.OFFSET_FETCH, (short) 8, new OffsetFetchRequestData()
                .setRequireStable(requireStable)
                .setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group)
                        .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(TOPIC)
                                .setPartitionIndexes(List.of(0)))))));
        return r.data().groups().getFirst().topics().getFirst().partitions().getFirst();
    }

    private FetchResponseData.PartitionData fetch(IsolationLevel isolation, int partition) {
        FetchRequestData request = Requests.fetch(TOPIC, Uuid.ZERO_UUID, partition, 0).setIsolationLevel(isolation.id());
        FetchResponse r = broker.send(ApiKeys.FETCH, (short) 12, request);
        return r.data().responses().getFirst().partitions().getFirst();
    }

    private int producerEpochIn(int partition, long producerId) {
        DescribeProducersRequestData request = new DescribeProducersRequestData();
        request.topics().add(new DescribeProducersRequestData.TopicRequest().setName(TOPIC)
                .setPartitionIndexes(List.of(partition)));
        DescribeProducersResponse r = broker.send(ApiKeys.DESCRIBE_PRODUCERS, (short) 0, request);
        return r.data().topics().getFirst().partitions().getFirst().activeProducers().stream()
                .filter(s -> s.producerId() == producerId).findFirst().orElseThrow().producerEpoch();
    }

    private DescribeTransactionsResponseData.TransactionState describe(String id) {
        DescribeTransactionsResponse r = broker.send(ApiKeys.DESCRIBE_TRANSACTIONS, (short) 0,
                new DescribeTransactionsRequestData().setTransactionalIds(List.of(id)));
        return r.data().transactionStates().getFirst();
    }
}

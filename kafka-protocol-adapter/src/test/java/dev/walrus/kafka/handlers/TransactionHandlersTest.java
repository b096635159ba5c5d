package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.DescribeProducersResponse;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
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
 * The transaction APIs at the protocol level: InitProducerId with a transactional id, AddPartitionsToTxn, transactional
 * produce, EndTxn and its markers, the last stable offset in Fetch and ListOffsets, AddOffsetsToTxn and
 * TxnOffsetCommit, fencing, timeouts, a restart, and the admin descriptions. Expectations follow Kafka 4.4's
 * coordinator under transaction version 1.
 */
class TransactionHandlersTest {

    private static final short PRODUCE = 11;
    private static final short FETCH = 12;
    private static final String TOPIC = "payments";

    @TempDir
    Path dir;
    private AdapterHarness broker;
    private Uuid topicId;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir, Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "50"));
        topicId = broker.createTopic(TOPIC, 2).id();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** A transactional producer's id and epoch. */
    private record Producer(String transactionalId, long id, short epoch) {}

    @Test
    void shouldGiveATransactionalIdOneProducerIdAndANewEpochOnEachInit() {
        Producer first = init("tx-epochs");
        Producer second = init("tx-epochs");
        assertThat(first.epoch()).isZero();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.epoch()).isEqualTo((short) 1);
        assertThat(init("tx-other").id()).isNotEqualTo(first.id());
    }

    @Test
    void shouldRefuseABadTimeoutAndAnEmptyId() {
        assertThat(initResponse("tx-timeout", 900_001, -1, (short) -1).error()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(initResponse("tx-timeout", 0, -1, (short) -1).error()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(initResponse("", 60_000, -1, (short) -1).error()).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void shouldFenceAProducerThatNamesAnOldEpoch() {
        Producer p = init("tx-kip360");
        Producer bumped = init("tx-kip360");
        assertThat(initResponse("tx-kip360", 60_000, p.id(), p.epoch()).error()).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(initResponse("tx-kip360", 60_000, p.id(), p.epoch(), (short) 3).error())
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        InitProducerIdResponse own = initResponse("tx-kip360", 60_000, bumped.id(), bumped.epoch());
        assertThat(own.error()).isEqualTo(Errors.NONE);
        assertThat(own.data().producerEpoch()).isEqualTo((short) (bumped.epoch() + 1));
    }

    @Test
    void shouldRefuseATransactionalBatchForAPartitionTheTransactionDidNotAdd() {
        Producer p = init("tx-verify");
        assertThat(produce(p, 0, 0, PRODUCE, "x")).isEqualTo(Errors.TRANSACTION_ABORTABLE);
        assertThat(produce(p, 0, 0, (short) 10, "x")).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(produce(new Producer("tx-unknown", 999_999, (short) 0), 0, 0, PRODUCE, "x"))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(endOffset(IsolationLevel.READ_UNCOMMITTED, 0)).isZero();
    }

    @Test
    void shouldRefuseTransactionalRecordsWithoutATransactionalId() {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, 5L, (short) 0, 0,
                new SimpleRecord("v".getBytes(StandardCharsets.UTF_8)));
        ProduceResponse r = broker.send(ApiKeys.PRODUCE, PRODUCE, Requests.produce(TOPIC, 0, records, (short) -1));
        assertThat(r.data().responses().iterator().next().partitionResponses().getFirst().errorCode())
                .isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
    }

    @Test
    void shouldVerifyPartitionsInTheBatchedBrokerVersion() {
        Producer p = init("tx-verify-only");
        addPartitionsError(p, 0);
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection transactions =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection();
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(TOPIC).setPartitions(List.of(0, 1)));
        transactions.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction()
                .setTransactionalId(p.transactionalId()).setProducerId(p.id()).setProducerEpoch(p.epoch())
                .setVerifyOnly(true).setTopics(topics));
        AddPartitionsToTxnResponse r = broker.send(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 5,
                new AddPartitionsToTxnRequestData().setTransactions(transactions));
        Map<org.apache.kafka.common.TopicPartition, Errors> errors = r.errors().get(p.transactionalId());
        assertThat(errors.get(new org.apache.kafka.common.TopicPartition(TOPIC, 0))).isEqualTo(Errors.NONE);
        assertThat(errors.get(new org.apache.kafka.common.TopicPartition(TOPIC, 1))).as("verified, not added")
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(produce(p, 1, 0, PRODUCE, "x")).isEqualTo(Errors.TRANSACTION_ABORTABLE);
    }

    @Test
    void shouldRefuseToAddAnUnknownPartitionAndNotAttemptTheOthers() {
        Producer p = init("tx-unknown-partition");
        AddPartitionsToTxnResponse r = addPartitions(p, (short) 3, Map.of(TOPIC, List.of(0, 7)));
        assertThat(r.errors().values().iterator().next().get(new org.apache.kafka.common.TopicPartition(TOPIC, 7)))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(r.errors().values().iterator().next().get(new org.apache.kafka.common.TopicPartition(TOPIC, 0)))
                .isEqualTo(Errors.OPERATION_NOT_ATTEMPTED);
    }

    @Test
    void shouldRefuseAnInternalTopicEvenWithoutAnAuthorizer() {
        // Kafka's broker refuses any client's add of __consumer_offsets or __transaction_state, authorizer or not
        Producer p = init("tx-internal-topic");
        AddPartitionsToTxnResponse r = addPartitions(p, (short) 3, Map.of("__consumer_offsets", List.of(0), TOPIC, List.of(0)));
        Map<org.apache.kafka.common.TopicPartition, Errors> errors = r.errors().values().iterator().next();
        assertThat(errors.get(new org.apache.kafka.common.TopicPartition("__consumer_offsets", 0)))
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
        assertThat(errors.get(new org.apache.kafka.common.TopicPartition(TOPIC, 0))).isEqualTo(Errors.OPERATION_NOT_ATTEMPTED);
    }

    @Test
    void shouldHoldBackAnOpenTransactionAndShowItWholeOnceCommitted() {
        Producer p = init("tx-commit");
        assertThat(addPartitionsError(p, 0, 1)).isEqualTo(Errors.NONE);
        assertThat(produce(p, 0, 0, PRODUCE, "a", "b")).isEqualTo(Errors.NONE);
        assertThat(produce(p, 1, 0, PRODUCE, "c")).isEqualTo(Errors.NONE);

        FetchResponseData.PartitionData open = fetch(IsolationLevel.READ_COMMITTED, 0, 0);
        assertThat(Batches.dataValues(open.records())).isEmpty();
        assertThat(open.highWatermark()).isEqualTo(2);
        assertThat(open.lastStableOffset()).isZero();
        assertThat(fetch(IsolationLevel.READ_UNCOMMITTED, 0, 0).lastStableOffset()).isZero();
        assertThat(Batches.dataValues(fetch(IsolationLevel.READ_UNCOMMITTED, 0, 0).records())).containsExactly("a", "b");
        assertThat(endOffset(IsolationLevel.READ_COMMITTED, 0)).isZero();
        assertThat(endOffset(IsolationLevel.READ_UNCOMMITTED, 0)).isEqualTo(2);
        assertThat(currentTxnStartOffset(p, 0)).isZero();

        assertThat(endTxn(p, true, (short) 4)).isEqualTo(Errors.NONE);

        FetchResponseData.PartitionData committed = fetch(IsolationLevel.READ_COMMITTED, 0, 0);
        assertThat(Batches.dataValues(committed.records())).containsExactly("a", "b");
        assertThat(committed.abortedTransactions()).isEmpty();
        assertThat(committed.highWatermark()).isEqualTo(3); // the commit marker takes offset 2
        assertThat(committed.lastStableOffset()).isEqualTo(3);
        assertThat(endOffset(IsolationLevel.READ_COMMITTED, 1)).isEqualTo(2);
        assertThat(currentTxnStartOffset(p, 0)).isEqualTo(-1);
        assertThat(endTxn(p, true, (short) 4)).as("a retried commit").isEqualTo(Errors.NONE);
        assertThat(endTxn(p, false, (short) 4)).as("an abort after the commit").isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void shouldTellReadCommittedConsumersWhichTransactionsWereAborted() {
        Producer p = init("tx-abort");
        addPartitionsError(p, 0);
        produce(p, 0, 0, PRODUCE, "gone-1", "gone-2");
        assertThat(endTxn(p, false, (short) 4)).isEqualTo(Errors.NONE);
        addPartitionsError(p, 0);
        produce(p, 0, 2, PRODUCE, "kept");
        assertThat(endTxn(p, true, (short) 4)).isEqualTo(Errors.NONE);

        FetchResponseData.PartitionData data = fetch(IsolationLevel.READ_COMMITTED, 0, 0);
        assertThat(data.abortedTransactions()).singleElement().satisfies(a -> {
            assertThat(a.producerId()).isEqualTo(p.id());
            assertThat(a.firstOffset()).isZero();
        });
        assertThat(Batches.offsets(data.records())).containsExactly(0L, 1L, 2L, 3L, 4L); // data, marker, data, marker
        assertThat(fetch(IsolationLevel.READ_COMMITTED, 0, 3).abortedTransactions()).as("from after the abort").isEmpty();
        assertThat(fetch(IsolationLevel.READ_UNCOMMITTED, 0, 0).abortedTransactions()).isNull();
    }

    @Test
    void shouldAbortTheOpenTransactionAndFenceTheOldProducerOnANewInit() {
        Producer old = init("tx-fence");
        addPartitionsError(old, 0);
        produce(old, 0, 0, PRODUCE, "zombie");
        assertThat(initResponse("tx-fence", 60_000, -1, (short) -1).error())
                .as("as Kafka: the open transaction is aborted first").isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        Producer fresh = init("tx-fence");
        assertThat(fresh.epoch()).as("the abort's epoch, then one more").isEqualTo((short) (old.epoch() + 2));
        assertThat(endOffset(IsolationLevel.READ_COMMITTED, 0)).as("the abort marker ended it").isEqualTo(2);
        assertThat(fetch(IsolationLevel.READ_COMMITTED, 0, 0).abortedTransactions()).hasSize(1);
        assertThat(produce(old, 0, 1, PRODUCE, "late")).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(endTxn(old, true, (short) 4)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(endTxn(old, true, (short) 1)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(addPartitionsError(old, 1)).isEqualTo(Errors.PRODUCER_FENCED);
        addPartitionsError(fresh, 0);
        assertThat(produce(fresh, 0, 0, PRODUCE, "alive")).isEqualTo(Errors.NONE);
        assertThat(endTxn(fresh, true, (short) 4)).isEqualTo(Errors.NONE);
        assertThat(Batches.dataValues(fetch(IsolationLevel.READ_UNCOMMITTED, 0, 0).records())).containsExactly("zombie", "alive");
    }

    @Test
    void shouldAbortATransactionOfVersion1ByTheFinalizedVersion2OnTheProducersOwnInit() {
        Producer p = init("tx-own");
        addPartitionsError(p, 0);
        produce(p, 0, 0, PRODUCE, "open");
        assertThat(initResponse("tx-own", 60_000, p.id(), p.epoch()).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        InitProducerIdResponse retried = initResponse("tx-own", 60_000, p.id(), p.epoch());
        assertThat(retried.error()).isEqualTo(Errors.NONE);
        assertThat(retried.data().producerEpoch()).as("as Kafka under transaction.version 2: the abort's epoch")
                .isEqualTo((short) (p.epoch() + 1));
        assertThat(endOffset(IsolationLevel.READ_COMMITTED, 0)).as("the abort marker ended it").isEqualTo(2);
    }

    @Test
    void shouldRefuseToEndATransactionThatNeverBegan() {
        Producer p = init("tx-empty");
        assertThat(endTxn(p, true, (short) 4)).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(endTxn(new Producer("tx-empty", p.id() + 1, p.epoch()), true, (short) 4))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    @Test
    void shouldAbortATransactionOpenLongerThanItsTimeout() throws InterruptedException {
        Producer p = initWithTimeout("tx-timeout", 100);
        addPartitionsError(p, 0);
        produce(p, 0, 0, PRODUCE, "slow");
        long deadline = System.currentTimeMillis() + 10_000;
        while (endOffset(IsolationLevel.READ_COMMITTED, 0) == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(endOffset(IsolationLevel.READ_COMMITTED, 0)).isEqualTo(2);
        assertThat(fetch(IsolationLevel.READ_COMMITTED, 0, 0).abortedTransactions()).hasSize(1);
        assertThat(endTxn(p, true, (short) 4)).isEqualTo(Errors.PRODUCER_FENCED);
        // the markers are visible before the coordinator records the abort complete (Kafka's order too): wait for it
        while (!describe("tx-timeout").transactionState().equals("CompleteAbort") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(describe("tx-timeout").transactionState()).isEqualTo("CompleteAbort");
    }

    @Test
    void shouldCarryAnOpenTransactionAcrossARestart() {
        Producer p = init("tx-restart");
        addPartitionsError(p, 0);
        produce(p, 0, 0, PRODUCE, "before-restart");
        addOffsets(p, "carried");
        assertThat(txnOffsetCommit(p, "carried", 42, (short) 4)).isEqualTo(Errors.NONE);

        broker.restart();

        assertThat(endOffset(IsolationLevel.READ_COMMITTED, 0)).as("still held back").isZero();
        assertThat(describe("tx-restart").transactionState()).isEqualTo("Ongoing");
        assertThat(fetchOffset("carried", true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        assertThat(produce(p, 0, 1, PRODUCE, "after-restart")).as("the same producer goes on").isEqualTo(Errors.NONE);
        assertThat(endTxn(p, true, (short) 4)).isEqualTo(Errors.NONE);
        assertThat(Batches.dataValues(fetch(IsolationLevel.READ_COMMITTED, 0, 0).records()))
                .containsExactly("before-restart", "after-restart");
        assertThat(fetchOffset("carried", true).committedOffset()).isEqualTo(42);
    }

    @Test
    void shouldKeepACommittedTransactionAcrossARestart() {
        Producer p = init("tx-durable");
        addPartitionsError(p, 0);
        produce(p, 0, 0, PRODUCE, "x", "y");
        endTxn(p, true, (short) 4);
        broker.restart();
        FetchResponseData.PartitionData data = fetch(IsolationLevel.READ_COMMITTED, 0, 0);
        assertThat(Batches.dataValues(data.records())).containsExactly("x", "y");
        assertThat(data.lastStableOffset()).isEqualTo(3);
        assertThat(describe("tx-durable").transactionState()).isEqualTo("CompleteCommit");
        assertThat(init("tx-durable").epoch()).isEqualTo((short) 1);
    }

    @Test
    void shouldCommitGroupOffsetsOnlyWithTheTransaction() {
        Producer p = init("tx-offsets");
        assertThat(txnOffsetCommit(p, "readers", 42, (short) 3)).as("before AddOffsetsToTxn, v3")
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(txnOffsetCommit(p, "readers", 42, (short) 4)).as("before AddOffsetsToTxn, v4")
                .isEqualTo(Errors.TRANSACTION_ABORTABLE);
        assertThat(addOffsets(p, "readers")).isEqualTo(Errors.NONE);
        assertThat(txnOffsetCommit(p, "readers", 42, (short) 4)).isEqualTo(Errors.NONE);
        assertThat(fetchOffset("readers", true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        assertThat(fetchOffset("readers", false).committedOffset()).isEqualTo(-1);
        assertThat(describe("tx-offsets").topics()).extracting(t -> t.topic()).containsExactly("__consumer_offsets");

        assertThat(endTxn(p, true, (short) 4)).isEqualTo(Errors.NONE);
        assertThat(fetchOffset("readers", true).committedOffset()).isEqualTo(42);

        addOffsets(p, "readers");
        txnOffsetCommit(p, "readers", 99, (short) 4);
        assertThat(endTxn(p, false, (short) 4)).isEqualTo(Errors.NONE);
        assertThat(fetchOffset("readers", true).committedOffset()).as("the aborted commit is dropped").isEqualTo(42);
        broker.restart();
        assertThat(fetchOffset("readers", true).committedOffset()).isEqualTo(42);
    }

    @Test
    void shouldLetAPlainCommitMadeAfterATransactionalOneWin() {
        Producer p = init("tx-plain-wins");
        addOffsets(p, "mixed");
        assertThat(txnOffsetCommit(p, "mixed", 10, (short) 4)).isEqualTo(Errors.NONE);
        OffsetCommitResponse plain = broker.send(ApiKeys.OFFSET_COMMIT, (short) 8, new OffsetCommitRequestData()
                .setGroupId("mixed").setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(TOPIC)
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(20))))));
        assertThat(plain.data().topics().getFirst().partitions().getFirst().errorCode()).isZero();
        assertThat(endTxn(p, true, (short) 4)).isEqualTo(Errors.NONE);
        assertThat(fetchOffset("mixed", true).committedOffset()).as("the later plain commit").isEqualTo(20);
    }

    @Test
    void shouldDescribeAndListAnOpenTransaction() {
        Producer p = init("tx-describe");
        addPartitionsError(p, 1, 0);
        produce(p, 1, 0, PRODUCE, "v");
        var state = describe("tx-describe");
        assertThat(state.errorCode()).isZero();
        assertThat(state.transactionState()).isEqualTo("Ongoing");
        assertThat(state.producerId()).isEqualTo(p.id());
        assertThat(state.transactionTimeoutMs()).isEqualTo(60_000);
        assertThat(state.transactionStartTimeMs()).isPositive();
        assertThat(state.topics()).singleElement().satisfies(t -> {
            assertThat(t.topic()).isEqualTo(TOPIC);
            assertThat(t.partitions()).containsExactly(0, 1);
        });
        assertThat(describe("tx-never").errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());

        ListTransactionsResponse all = broker.send(ApiKeys.LIST_TRANSACTIONS, (short) 2, new ListTransactionsRequestData());
        assertThat(all.data().transactionStates()).extracting(s -> s.transactionalId() + "/" + s.transactionState())
                .contains("tx-describe/Ongoing");
        ListTransactionsResponse none = broker.send(ApiKeys.LIST_TRANSACTIONS, (short) 2,
                new ListTransactionsRequestData().setStateFilters(List.of("CompleteCommit")));
        assertThat(none.data().transactionStates()).isEmpty();
        ListTransactionsResponse badPattern = broker.send(ApiKeys.LIST_TRANSACTIONS, (short) 2,
                new ListTransactionsRequestData().setTransactionalIdPattern("(["));
        assertThat(badPattern.data().errorCode()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
    }

    @Test
    void shouldAbortAHangingTransactionWithAMarkerWrittenStraightToThePartition() {
        Producer p = init("tx-hanging");
        addPartitionsError(p, 0);
        produce(p, 0, 0, PRODUCE, "stuck");
        assertThat(writeMarker(p.id(), (short) (p.epoch() - 1), 0, 0)).as("an older epoch")
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(writeMarker(p.id(), p.epoch(), 0, 9)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(endOffset(IsolationLevel.READ_COMMITTED, 0)).isZero();

        assertThat(writeMarker(p.id(), p.epoch(), 0, 0)).isEqualTo(Errors.NONE);

        assertThat(endOffset(IsolationLevel.READ_COMMITTED, 0)).isEqualTo(2);
        assertThat(fetch(IsolationLevel.READ_COMMITTED, 0, 0).abortedTransactions()).singleElement()
                .satisfies(a -> assertThat(a.producerId()).isEqualTo(p.id()));
        assertThat(writeMarker(p.id(), p.epoch(), -1, 0)).as("an older coordinator epoch")
                .isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
    }

    @Test
    void shouldNeverGiveTwoConcurrentInitsTheSameEpoch() {
        Producer first = init("tx-race");
        List<java.util.concurrent.CompletableFuture<org.apache.kafka.common.requests.AbstractResponse>> racing = new java.util.ArrayList<>();
        short version = ApiKeys.INIT_PRODUCER_ID.latestVersion(false);
        for (int i = 0; i < 4; i++) {
            int correlationId = 1000 + i;
            racing.add(broker.adapter().handle(broker.context(), AdapterHarness.frame(ApiKeys.INIT_PRODUCER_ID, version,
                    new InitProducerIdRequestData().setTransactionalId("tx-race").setTransactionTimeoutMs(60_000)
                            .setProducerId(-1).setProducerEpoch((short) -1), correlationId))
                    .thenApply(frame -> AdapterHarness.parse(frame, ApiKeys.INIT_PRODUCER_ID, version, correlationId)));
        }
        List<Short> granted = new java.util.ArrayList<>();
        for (var answer : racing) {
            InitProducerIdResponse r = (InitProducerIdResponse) AdapterHarness.await(answer);
            if (r.error() == Errors.NONE) {
                granted.add(r.data().producerEpoch());
            } else {
                assertThat(r.error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
            }
        }
        assertThat(granted).isNotEmpty().doesNotHaveDuplicates().allSatisfy(e -> assertThat(e).isGreaterThan(first.epoch()));
    }

    @Test
    void shouldKeepTheLastStableOffsetAtOrAboveTheLogStart() {
        Producer p = init("tx-delete-records");
        addPartitionsError(p, 0);
        produce(p, 0, 0, PRODUCE, "open-0", "open-1");   // 0-1, left open
        ProduceResponse plain = broker.send(ApiKeys.PRODUCE, PRODUCE, Requests.produce(TOPIC, 0, Batches.of("p0", "p1"), (short) 1));
        assertThat(plain.data().responses().iterator().next().partitionResponses().getFirst().errorCode()).isZero();
        DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(30_000);
        request.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(TOPIC)
                .setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(3))));
        DeleteRecordsResponse deleted = broker.send(ApiKeys.DELETE_RECORDS, (short) 2, request);
        assertThat(deleted.data().topics().iterator().next().partitions().iterator().next().errorCode()).isZero();

        assertThat(endOffset(IsolationLevel.READ_COMMITTED, 0)).isEqualTo(3);
        FetchResponseData.PartitionData data = fetch(IsolationLevel.READ_COMMITTED, 0, 3);
        assertThat(data.lastStableOffset()).isEqualTo(3);
        assertThat(data.logStartOffset()).isEqualTo(3);
    }

    // ---- requests ------------------------------------------------------------------------------------------------

    private Producer init(String transactionalId) {
        return initWithTimeout(transactionalId, 60_000);
    }

    private Producer initWithTimeout(String transactionalId, int timeoutMs) {
        InitProducerIdResponse r = initResponse(transactionalId, timeoutMs, -1, (short) -1);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        return new Producer(transactionalId, r.data().producerId(), r.data().producerEpoch());
    }

    private InitProducerIdResponse initResponse(String transactionalId, int timeoutMs, long producerId, short epoch) {
        return initResponse(transactionalId, timeoutMs, producerId, epoch, ApiKeys.INIT_PRODUCER_ID.latestVersion(false));
    }

    private InitProducerIdResponse initResponse(String transactionalId, int timeoutMs, long producerId, short epoch,
                                                short version) {
        return broker.send(ApiKeys.INIT_PRODUCER_ID, version, new InitProducerIdRequestData()
                .setTransactionalId(transactionalId).setTransactionTimeoutMs(timeoutMs)
                .setProducerId(producerId).setProducerEpoch(epoch));
    }

    private Errors addPartitionsError(Producer p, int... partitions) {
        List<Integer> list = java.util.Arrays.stream(partitions).boxed().toList();
        AddPartitionsToTxnResponse r = addPartitions(p, (short) 3, Map.of(TOPIC, list));
        return r.errors().values().iterator().next().values().iterator().next();
    }

    private AddPartitionsToTxnResponse addPartitions(Producer p, short version, Map<String, List<Integer>> partitions) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        partitions.forEach((topic, indexes) -> topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(indexes)));
        return broker.send(ApiKeys.ADD_PARTITIONS_TO_TXN, version, new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId(p.transactionalId()).setV3AndBelowProducerId(p.id())
                .setV3AndBelowProducerEpoch(p.epoch()).setV3AndBelowTopics(topics));
    }

    private Errors produce(Producer p, int partition, int baseSequence, short version, String... values) {
        SimpleRecord[] records = java.util.Arrays.stream(values)
                .map(v -> new SimpleRecord(v.getBytes(StandardCharsets.UTF_8))).toArray(SimpleRecord[]::new);
        ProduceRequestData request = Requests.produce(TOPIC, partition, MemoryRecords.withTransactionalRecords(
                Compression.NONE, p.id(), p.epoch(), baseSequence, records), (short) -1)
                .setTransactionalId(p.transactionalId());
        ProduceResponse r = broker.send(ApiKeys.PRODUCE, version, request);
        return Errors.forCode(r.data().responses().iterator().next().partitionResponses().getFirst().errorCode());
    }

    private Errors writeMarker(long producerId, short epoch, int coordinatorEpoch, int partition) {
        WriteTxnMarkersResponse r = broker.send(ApiKeys.WRITE_TXN_MARKERS, (short) 1, new WriteTxnMarkersRequestData()
                .setMarkers(List.of(new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(producerId)
                        .setProducerEpoch(epoch).setTransactionResult(false).setCoordinatorEpoch(coordinatorEpoch)
                        .setTopics(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(TOPIC)
                                .setPartitionIndexes(List.of(partition)))))));
        return Errors.forCode(r.data().markers().getFirst().topics().getFirst().partitions().getFirst().errorCode());
    }

    private Errors endTxn(Producer p, boolean commit, short version) {
        EndTxnResponse r = broker.send(ApiKeys.END_TXN, version, new EndTxnRequestData()
                .setTransactionalId(p.transactionalId()).setProducerId(p.id()).setProducerEpoch(p.epoch())
                .setCommitted(commit));
        return r.error();
    }

    private Errors addOffsets(Producer p, String group) {
        AddOffsetsToTxnResponse r = broker.send(ApiKeys.ADD_OFFSETS_TO_TXN, (short) 4, new AddOffsetsToTxnRequestData()
                .setTransactionalId(p.transactionalId()).setProducerId(p.id()).setProducerEpoch(p.epoch())
                .setGroupId(group));
        return Errors.forCode(r.data().errorCode());
    }

    private Errors txnOffsetCommit(Producer p, String group, long offset, short version) {
        TxnOffsetCommitResponse r = broker.send(ApiKeys.TXN_OFFSET_COMMIT, version, new TxnOffsetCommitRequestData()
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

    private FetchResponseData.PartitionData fetch(IsolationLevel isolation, int partition, long offset) {
        FetchRequestData request = Requests.fetch(TOPIC, Uuid.ZERO_UUID, partition, offset).setIsolationLevel(isolation.id());
        FetchResponse r = broker.send(ApiKeys.FETCH, FETCH, request);
        return r.data().responses().getFirst().partitions().getFirst();
    }

    private long endOffset(IsolationLevel isolation, int partition) {
        ListOffsetsRequestData request = Requests.listOffsets(TOPIC, partition, ListOffsetsRequest.LATEST_TIMESTAMP)
                .setIsolationLevel(isolation.id());
        ListOffsetsResponse r = broker.send(ApiKeys.LIST_OFFSETS, (short) 9, request);
        return r.data().topics().getFirst().partitions().getFirst().offset();
    }

    private long currentTxnStartOffset(Producer p, int partition) {
        DescribeProducersRequestData request = new DescribeProducersRequestData();
        request.topics().add(new DescribeProducersRequestData.TopicRequest().setName(TOPIC)
                .setPartitionIndexes(List.of(partition)));
        DescribeProducersResponse r = broker.send(ApiKeys.DESCRIBE_PRODUCERS, (short) 0, request);
        return r.data().topics().getFirst().partitions().getFirst().activeProducers().stream()
                .filter(s -> s.producerId() == p.id()).findFirst().orElseThrow().currentTxnStartOffset();
    }

    private org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState describe(String id) {
        DescribeTransactionsResponse r = broker.send(ApiKeys.DESCRIBE_TRANSACTIONS, (short) 0,
                new DescribeTransactionsRequestData().setTransactionalIds(List.of(id)));
        return r.data().transactionStates().getFirst();
    }
}

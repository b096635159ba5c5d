package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authorization of the transaction and producer-id APIs, as Kafka 4.x's broker checks them under the
 * StandardAuthorizer: {@code User:admin} is a super user who prepares transactions and grants ACLs, {@code User:alice}
 * has only what each test grants.
 */
class TransactionAuthorizationTest {

    private static final String TOPIC = "payments";
    private static final String OTHER_TOPIC = "ledger";
    private static final String TXN = "tx-alice";
    private static final String GROUP = "readers";

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir, Map.of("authorizer.class.name",
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer", "super.users", "User:admin"));
        broker.actAs("admin");
        broker.createTopic(TOPIC, 2);
        broker.createTopic(OTHER_TOPIC, 1);
        broker.actAs("alice");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private record Producer(String transactionalId, long id, short epoch) {}

    // ---- InitProducerId ------------------------------------------------------------------------------------------

    @Test
    void idempotentInitProducerIdWithoutAclsIsClusterAuthorizationFailed() {
        InitProducerIdResponse r = initProducerId(null);
        assertThat(r.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(r.data().producerId()).isEqualTo(-1);
        assertThat(r.data().producerEpoch()).isEqualTo((short) -1);
    }

    @Test
    void idempotentInitProducerIdPassesWithIdempotentWriteOnTheCluster() {
        allow("User:alice", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
        InitProducerIdResponse r = initProducerId(null);
        assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(r.data().producerId()).isNotNegative();
    }

    @Test
    void idempotentInitProducerIdPassesWithWriteOnAPrefixedTopicPattern() {
        allow("User:alice", ResourceType.TOPIC, "pay", PatternType.PREFIXED, AclOperation.WRITE);
        InitProducerIdResponse r = initProducerId(null);
        assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(r.data().producerId()).isNotNegative();
        assertThat(r.data().producerEpoch()).isZero();
    }

    @Test
    void idempotentInitProducerIdIsRefusedWhenADenyPrefixCoversEveryAllowedTopic() {
        allow("User:alice", ResourceType.TOPIC, "pay", PatternType.PREFIXED, AclOperation.WRITE);
        acl("User:alice", ResourceType.TOPIC, "p", PatternType.PREFIXED, AclOperation.WRITE, AclPermissionType.DENY);
        assertThat(initProducerId(null).data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    }

    @Test
    void idempotentInitProducerIdIsNotAllowedByReadOnATopic() {
        allow("User:alice", ResourceType.TOPIC, TOPIC, PatternType.LITERAL, AclOperation.READ);
        assertThat(initProducerId(null).data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    }

    @Test
    void transactionalInitProducerIdWithoutWriteOnTheTransactionalIdIsRefused() {
        allow("User:alice", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
        InitProducerIdResponse r = initProducerId(TXN);
        assertThat(r.data().errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        assertThat(r.data().producerId()).isEqualTo(-1);
        assertThat(r.data().producerEpoch()).isEqualTo((short) -1);
    }

    @Test
    void transactionalInitProducerIdPassesWithWriteOnTheTransactionalId() {
        allow("User:alice", ResourceType.TRANSACTIONAL_ID, "tx-", PatternType.PREFIXED, AclOperation.WRITE);
        InitProducerIdResponse r = initProducerId(TXN);
        assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(r.data().producerId()).isNotNegative();
    }

    @Test
    void fencingAnotherClientsProducerNeedsWriteOnItsTransactionalId() {
        Producer admins = asAdmin(() -> init(TXN));
        InitProducerIdResponse fence = initProducerId(TXN);
        assertThat(fence.data().errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        Producer again = asAdmin(() -> init(TXN));
        assertThat(again.epoch()).as("the refused fence bumped no epoch").isEqualTo((short) (admins.epoch() + 1));
    }

    // ---- AddPartitionsToTxn --------------------------------------------------------------------------------------

    @Test
    void addPartitionsWithoutWriteOnTheTransactionalIdRefusesEveryPartition() {
        Producer p = asAdmin(() -> init(TXN));
        allow("User:alice", ResourceType.TOPIC, TOPIC, PatternType.LITERAL, AclOperation.WRITE);
        Map<String, Short> errors = addPartitions(p, Map.of(TOPIC, List.of(0, 1), OTHER_TOPIC, List.of(0)));
        assertThat(errors).containsOnly(
                Map.entry(TOPIC + "-0", Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()),
                Map.entry(TOPIC + "-1", Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()),
                Map.entry(OTHER_TOPIC + "-0", Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
    }

    @Test
    void addPartitionsRefusesAnUnwritableTopicBeforeAnUnknownOneAndAttemptsNoOther() {
        Producer p = asAdmin(() -> init(TXN));
        allow("User:alice", ResourceType.TRANSACTIONAL_ID, TXN, PatternType.LITERAL, AclOperation.WRITE);
        allow("User:alice", ResourceType.TOPIC, "pay", PatternType.PREFIXED, AclOperation.WRITE);
        Map<String, Short> errors = addPartitions(p, Map.of(TOPIC, List.of(0), "payouts", List.of(0),
                OTHER_TOPIC, List.of(0)));
        assertThat(errors).containsOnly(
                Map.entry(TOPIC + "-0", Errors.OPERATION_NOT_ATTEMPTED.code()),
                Map.entry("payouts-0", Errors.UNKNOWN_TOPIC_OR_PARTITION.code()),
                Map.entry(OTHER_TOPIC + "-0", Errors.TOPIC_AUTHORIZATION_FAILED.code()));
        assertThat(asAdmin(() -> describe(TXN)).transactionState()).as("nothing was added").isEqualTo("Empty");
    }

    @Test
    void addPartitionsPassesWithWriteOnTheTransactionalIdAndTheTopic() {
        Producer p = asAdmin(() -> init(TXN));
        allow("User:alice", ResourceType.TRANSACTIONAL_ID, TXN, PatternType.LITERAL, AclOperation.WRITE);
        allow("User:alice", ResourceType.TOPIC, TOPIC, PatternType.LITERAL, AclOperation.WRITE);
        assertThat(addPartitions(p, Map.of(TOPIC, List.of(0, 1)))).containsOnly(
                Map.entry(TOPIC + "-0", Errors.NONE.code()), Map.entry(TOPIC + "-1", Errors.NONE.code()));
    }

    @Test
    void addPartitionsNeverAuthorizesAnInternalTopicEvenForASuperUser() {
        broker.actAs("admin");
        Producer p = init(TXN);
        Map<String, Short> errors = addPartitions(p, Map.of("__consumer_offsets", List.of(0), TOPIC, List.of(0)));
        assertThat(errors).containsOnly(
                Map.entry("__consumer_offsets-0", Errors.TOPIC_AUTHORIZATION_FAILED.code()),
                Map.entry(TOPIC + "-0", Errors.OPERATION_NOT_ATTEMPTED.code()));
    }

    @Test
    void batchedAddPartitionsFromAClientWithoutClusterActionIsATopLevelClusterAuthorizationFailure() {
        Producer p = asAdmin(() -> init(TXN));
        AddPartitionsToTxnResponse r = addPartitionsBatched(p);
        assertThat(r.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(r.data().resultsByTransaction()).isEmpty();
    }

    @Test
    void batchedAddPartitionsPassesWithClusterActionWithoutAnyTopicAcl() {
        Producer p = asAdmin(() -> init(TXN));
        allow("User:alice", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.CLUSTER_ACTION);
        AddPartitionsToTxnResponse r = addPartitionsBatched(p);
        assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(r.data().resultsByTransaction()).singleElement().satisfies(t ->
                assertThat(t.topicResults().find(TOPIC).resultsByPartition()).allSatisfy(pr ->
                        assertThat(pr.partitionErrorCode()).isEqualTo(Errors.NONE.code())));
    }

    // ---- AddOffsetsToTxn -----------------------------------------------------------------------------------------

    @Test
    void addOffsetsChecksWriteOnTheTransactionalIdBeforeReadOnTheGroup() {
        Producer p = asAdmin(() -> init(TXN));
        assertThat(addOffsets(p)).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        allow("User:alice", ResourceType.TRANSACTIONAL_ID, TXN, PatternType.LITERAL, AclOperation.WRITE);
        assertThat(addOffsets(p)).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
        allow("User:alice", ResourceType.GROUP, GROUP, PatternType.LITERAL, AclOperation.READ);
        assertThat(addOffsets(p)).isEqualTo(Errors.NONE);
    }

    // ---- EndTxn --------------------------------------------------------------------------------------------------

    @Test
    void endTxnWithoutWriteOnTheTransactionalIdIsRefusedWithNoProducer() {
        Producer p = asAdmin(() -> {
            Producer started = init(TXN);
            addPartitions(started, Map.of(TOPIC, List.of(0)));
            return started;
        });
        EndTxnResponse r = broker.send(ApiKeys.END_TXN, (short) 5, new EndTxnRequestData()
                .setTransactionalId(TXN).setProducerId(p.id()).setProducerEpoch(p.epoch()).setCommitted(true));
        assertThat(r.data().errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        assertThat(r.data().producerId()).isEqualTo(-1);
        assertThat(r.data().producerEpoch()).isEqualTo((short) -1);
        assertThat(asAdmin(() -> describe(TXN)).transactionState()).as("still open").isEqualTo("Ongoing");
    }

    @Test
    void endTxnPassesWithWriteOnTheTransactionalId() {
        Producer p = asAdmin(() -> {
            Producer started = init(TXN);
            addPartitions(started, Map.of(TOPIC, List.of(0)));
            return started;
        });
        allow("User:alice", ResourceType.TRANSACTIONAL_ID, TXN, PatternType.LITERAL, AclOperation.WRITE);
        EndTxnResponse r = broker.send(ApiKeys.END_TXN, (short) 4, new EndTxnRequestData()
                .setTransactionalId(TXN).setProducerId(p.id()).setProducerEpoch(p.epoch()).setCommitted(true));
        assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
    }

    // ---- TxnOffsetCommit -----------------------------------------------------------------------------------------

    @Test
    void txnOffsetCommitChecksTheTransactionalIdThenTheGroupForEveryPartition() {
        Producer p = asAdmin(() -> init(TXN));
        assertThat(txnOffsetCommit(p, TOPIC, OTHER_TOPIC)).containsOnly(
                Map.entry(TOPIC + "-0", Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()),
                Map.entry(OTHER_TOPIC + "-0", Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
        allow("User:alice", ResourceType.TRANSACTIONAL_ID, TXN, PatternType.LITERAL, AclOperation.WRITE);
        assertThat(txnOffsetCommit(p, TOPIC, OTHER_TOPIC)).containsOnly(
                Map.entry(TOPIC + "-0", Errors.GROUP_AUTHORIZATION_FAILED.code()),
                Map.entry(OTHER_TOPIC + "-0", Errors.GROUP_AUTHORIZATION_FAILED.code()));
    }

    @Test
    void txnOffsetCommitRefusesUnreadableTopicsFirstAndCommitsTheReadableOnes() {
        Producer p = asAdmin(() -> {
            Producer started = init(TXN);
            assertThat(addOffsets(started)).isEqualTo(Errors.NONE);
            return started;
        });
        allow("User:alice", ResourceType.TRANSACTIONAL_ID, TXN, PatternType.LITERAL, AclOperation.WRITE);
        allow("User:alice", ResourceType.GROUP, GROUP, PatternType.LITERAL, AclOperation.READ);
        allow("User:alice", ResourceType.TOPIC, TOPIC, PatternType.LITERAL, AclOperation.READ);
        TxnOffsetCommitResponseData r = txnOffsetCommitResponse(p, TOPIC, OTHER_TOPIC);
        assertThat(r.topics()).extracting(TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic::name)
                .as("refused topics come first, as Kafka answers").containsExactly(OTHER_TOPIC, TOPIC);
        assertThat(errors(r)).containsOnly(
                Map.entry(OTHER_TOPIC + "-0", Errors.TOPIC_AUTHORIZATION_FAILED.code()),
                Map.entry(TOPIC + "-0", Errors.NONE.code()));
    }

    @Test
    void txnOffsetCommitOfOnlyUnreadableTopicsIsRefusedBeforeTheTransactionIsVerified() {
        Producer p = asAdmin(() -> init(TXN));   // no AddOffsetsToTxn: verification would say TRANSACTION_ABORTABLE
        allow("User:alice", ResourceType.TRANSACTIONAL_ID, TXN, PatternType.LITERAL, AclOperation.WRITE);
        allow("User:alice", ResourceType.GROUP, GROUP, PatternType.LITERAL, AclOperation.READ);
        assertThat(txnOffsetCommit(p, TOPIC)).containsOnly(Map.entry(TOPIC + "-0", Errors.TOPIC_AUTHORIZATION_FAILED.code()));
    }

    // ---- WriteTxnMarkers -----------------------------------------------------------------------------------------

    @Test
    void writeTxnMarkersWithoutClusterPermissionFailsEveryPartitionOfEveryMarker() {
        WriteTxnMarkersResponseData r = writeMarkers();
        assertThat(r.markers()).hasSize(2).allSatisfy(m -> assertThat(m.topics()).allSatisfy(t ->
                assertThat(t.partitions()).isNotEmpty().allSatisfy(pr ->
                        assertThat(pr.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code()))));
    }

    @Test
    void writeTxnMarkersPassesWithAlterOnTheCluster() {
        allow("User:alice", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.ALTER);
        assertThat(writeMarkerErrors()).doesNotContain(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    }

    @Test
    void writeTxnMarkersPassesWithClusterActionOnTheCluster() {
        allow("User:alice", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.CLUSTER_ACTION);
        assertThat(writeMarkerErrors()).doesNotContain(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    }

    // ---- DescribeTransactions, ListTransactions ------------------------------------------------------------------

    @Test
    void describeTransactionsWithoutDescribeOnTheIdAnswersAnAuthorizationErrorAndNoState() {
        asAdmin(() -> init(TXN));
        DescribeTransactionsResponseData.TransactionState state = describe(TXN);
        assertThat(state.errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        assertThat(state.transactionalId()).isEqualTo(TXN);
        assertThat(state.transactionState()).isEmpty();
        assertThat(state.producerId()).isZero();
        assertThat(state.topics()).isEmpty();
    }

    @Test
    void describeTransactionsSilentlyLeavesOutTopicsTheClientMayNotDescribe() {
        asAdmin(() -> {
            Producer p = init(TXN);
            addPartitions(p, Map.of(TOPIC, List.of(0), OTHER_TOPIC, List.of(0)));
            return p;
        });
        allow("User:alice", ResourceType.TRANSACTIONAL_ID, TXN, PatternType.LITERAL, AclOperation.DESCRIBE);
        allow("User:alice", ResourceType.TOPIC, TOPIC, PatternType.LITERAL, AclOperation.WRITE);   // implies DESCRIBE
        DescribeTransactionsResponseData.TransactionState state = describe(TXN);
        assertThat(state.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(state.transactionState()).isEqualTo("Ongoing");
        assertThat(state.topics()).extracting(DescribeTransactionsResponseData.TopicData::topic).containsExactly(TOPIC);
    }

    @Test
    void listTransactionsSilentlyLeavesOutIdsTheClientMayNotDescribe() {
        asAdmin(() -> {
            init("tx-alice-1");
            init("tx-bob-1");
            return null;
        });
        allow("User:alice", ResourceType.TRANSACTIONAL_ID, "tx-alice", PatternType.PREFIXED, AclOperation.DESCRIBE);
        ListTransactionsResponse r = broker.send(ApiKeys.LIST_TRANSACTIONS, (short) 2, new ListTransactionsRequestData());
        assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(r.data().transactionStates()).extracting(s -> s.transactionalId()).containsExactly("tx-alice-1");
    }

    // ---- no authorizer -------------------------------------------------------------------------------------------

    @Test
    void withoutAnAuthorizerEveryClientMayUseTheTransactionApis(@TempDir Path plainDir) {
        broker.close();
        broker = new AdapterHarness(plainDir);
        broker.createTopic(TOPIC, 2);
        broker.actAs("alice");
        assertThat(initProducerId(null).data().errorCode()).isEqualTo(Errors.NONE.code());
        Producer p = init(TXN);
        assertThat(addPartitions(p, Map.of(TOPIC, List.of(0)))).containsOnly(Map.entry(TOPIC + "-0", Errors.NONE.code()));
        assertThat(addOffsets(p)).isEqualTo(Errors.NONE);
        assertThat(txnOffsetCommit(p, TOPIC)).containsOnly(Map.entry(TOPIC + "-0", Errors.NONE.code()));
        assertThat(addPartitionsBatched(p).data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(describe(TXN).topics()).extracting(DescribeTransactionsResponseData.TopicData::topic)
                .contains(TOPIC, "__consumer_offsets");
        assertThat(writeMarkerErrors()).doesNotContain(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    }

    // ---- requests ------------------------------------------------------------------------------------------------

    private interface AdminAction<T> {
        T run();
    }

    /** Runs {@code action} as the super user {@code User:admin}, then acts as alice again. */
    private <T> T asAdmin(AdminAction<T> action) {
        broker.actAs("admin");
        try {
            return action.run();
        } finally {
            broker.actAs("alice");
        }
    }

    private void allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        acl(principal, type, name, pattern, operation, AclPermissionType.ALLOW);
    }

    private void acl(String principal, ResourceType type, String name, PatternType pattern, AclOperation operation,
                     AclPermissionType permission) {
        CreateAclsResponse r = asAdmin(() -> broker.send(ApiKeys.CREATE_ACLS, (short) 3, new CreateAclsRequestData()
                .setCreations(List.of(new CreateAclsRequestData.AclCreation().setResourceType(type.code())
                        .setResourceName(name).setResourcePatternType(pattern.code()).setPrincipal(principal)
                        .setHost("*").setOperation(operation.code()).setPermissionType(permission.code())))));
        assertThat(r.data().results()).singleElement().satisfies(result ->
                assertThat(result.errorCode()).isEqualTo(Errors.NONE.code()));
    }

    private InitProducerIdResponse initProducerId(String transactionalId) {
        return broker.send(ApiKeys.INIT_PRODUCER_ID, (short) 5, new InitProducerIdRequestData()
                .setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000));
    }

    private Producer init(String transactionalId) {
        InitProducerIdResponse r = initProducerId(transactionalId);
        assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
        return new Producer(transactionalId, r.data().producerId(), r.data().producerEpoch());
    }

    /** AddPartitionsToTxn v3 (a client's); each partition's error code by {@code topic-partition}. */
    private Map<String, Short> addPartitions(Producer p, Map<String, List<Integer>> partitions) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        partitions.forEach((topic, indexes) -> topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(indexes)));
        AddPartitionsToTxnResponse r = broker.send(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 3,
                new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId(p.transactionalId())
                        .setV3AndBelowProducerId(p.id()).setV3AndBelowProducerEpoch(p.epoch())
                        .setV3AndBelowTopics(topics));
        Map<String, Short> errors = new LinkedHashMap<>();
        for (AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult t : r.data().resultsByTopicV3AndBelow()) {
            t.resultsByPartition().forEach(pr -> errors.put(t.name() + "-" + pr.partitionIndex(), pr.partitionErrorCode()));
        }
        return errors;
    }

    /** AddPartitionsToTxn v5 (a broker's batch), verifying partition 0 of the topic. */
    private AddPartitionsToTxnResponse addPartitionsBatched(Producer p) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(TOPIC).setPartitions(List.of(0)));
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection transactions =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection();
        transactions.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction()
                .setTransactionalId(p.transactionalId()).setProducerId(p.id()).setProducerEpoch(p.epoch())
                .setVerifyOnly(false).setTopics(topics));
        return broker.send(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 5,
                new AddPartitionsToTxnRequestData().setTransactions(transactions));
    }

    private Errors addOffsets(Producer p) {
        AddOffsetsToTxnResponse r = broker.send(ApiKeys.ADD_OFFSETS_TO_TXN, (short) 4, new AddOffsetsToTxnRequestData()
                .setTransactionalId(p.transactionalId()).setProducerId(p.id()).setProducerEpoch(p.epoch())
                .setGroupId(GROUP));
        return Errors.forCode(r.data().errorCode());
    }

    private TxnOffsetCommitResponseData txnOffsetCommitResponse(Producer p, String... topics) {
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData().setTransactionalId(p.transactionalId())
                .setGroupId(GROUP).setProducerId(p.id()).setProducerEpoch(p.epoch());
        for (String topic : topics) {
            request.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(topic)
                    .setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                            .setPartitionIndex(0).setCommittedOffset(7))));
        }
        TxnOffsetCommitResponse r = broker.send(ApiKeys.TXN_OFFSET_COMMIT, (short) 4, request);
        return r.data();
    }

    /** TxnOffsetCommit v4 of partition 0 of each topic; each partition's error code by {@code topic-partition}. */
    private Map<String, Short> txnOffsetCommit(Producer p, String... topics) {
        return errors(txnOffsetCommitResponse(p, topics));
    }

    private static Map<String, Short> errors(TxnOffsetCommitResponseData response) {
        Map<String, Short> errors = new LinkedHashMap<>();
        response.topics().forEach(t -> t.partitions().forEach(pr ->
                errors.put(t.name() + "-" + pr.partitionIndex(), pr.errorCode())));
        return errors;
    }

    /** Two abort markers, for partitions 0 and 1 of the topic, of producers that never wrote. */
    private WriteTxnMarkersResponseData writeMarkers() {
        WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData();
        for (long producerId : new long[] {4242, 4343}) {
            request.markers().add(new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(producerId)
                    .setProducerEpoch((short) 0).setTransactionResult(false).setCoordinatorEpoch(0)
                    .setTopics(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(TOPIC)
                            .setPartitionIndexes(List.of(0, 1)))));
        }
        WriteTxnMarkersResponse r = broker.send(ApiKeys.WRITE_TXN_MARKERS, (short) 1, request);
        return r.data();
    }

    private List<Short> writeMarkerErrors() {
        return writeMarkers().markers().stream().flatMap(m -> m.topics().stream())
                .flatMap(t -> t.partitions().stream()).map(WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult::errorCode)
                .toList();
    }

    private DescribeTransactionsResponseData.TransactionState describe(String id) {
        DescribeTransactionsResponse r = broker.send(ApiKeys.DESCRIBE_TRANSACTIONS, (short) 0,
                new DescribeTransactionsRequestData().setTransactionalIds(List.of(id)));
        return r.data().transactionStates().getFirst();
    }
}

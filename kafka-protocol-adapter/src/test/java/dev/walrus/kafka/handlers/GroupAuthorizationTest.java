package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.walrus.kafka.group.GroupRequests.commit;
import static dev.walrus.kafka.group.GroupRequests.consumerJoin;
import static dev.walrus.kafka.group.GroupRequests.fetch;
import static dev.walrus.kafka.group.GroupRequests.heartbeat;
import static dev.walrus.kafka.group.GroupRequests.join;
import static dev.walrus.kafka.group.GroupRequests.sync;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group APIs with Kafka's StandardAuthorizer rules: User:alice, with no ACLs or with the one ACL a test grants,
 * against a broker whose super user (User:admin) sets the scene. Each API is checked where Kafka checks it, with
 * Kafka's error codes and response shapes.
 */
class GroupAuthorizationTest {

    private static final byte TOPIC = 2;
    private static final byte GROUP = 3;
    private static final byte CLUSTER = 4;
    private static final byte TRANSACTIONAL_ID = 5;
    private static final byte READ = 3;
    private static final byte DELETE = 6;
    private static final byte DESCRIBE = 8;
    private static final short GROUP_DENIED = Errors.GROUP_AUTHORIZATION_FAILED.code();
    private static final short TOPIC_DENIED = Errors.TOPIC_AUTHORIZATION_FAILED.code();

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir, Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:admin"));
        broker.actAs("admin");
        broker.createTopic("orders", 1);
        broker.createTopic("secret", 1);
        broker.actAs("alice");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** Grants User:alice {@code operation} on the literal resource, as the super user. */
    private void allow(byte resourceType, String name, byte operation) {
        broker.actAs("admin");
        CreateAclsResponseData response = ((org.apache.kafka.common.requests.CreateAclsResponse) broker.send(
                ApiKeys.CREATE_ACLS, (short) 3, new CreateAclsRequestData().setCreations(List.of(
                        new CreateAclsRequestData.AclCreation().setResourceType(resourceType).setResourceName(name)
                                .setResourcePatternType((byte) 3).setPrincipal("User:alice").setHost("*")
                                .setOperation(operation).setPermissionType((byte) 3))))).data();
        assertThat(response.results()).singleElement().satisfies(r -> assertThat(r.errorCode()).isZero());
        broker.actAs("alice");
    }

    @SuppressWarnings("unchecked")
    private <T extends ApiMessage> T call(ApiKeys key, int version, ApiMessage request) {
        AbstractResponse response = broker.send(key, (short) version, request);
        return (T) response.data();
    }

    private <T extends ApiMessage> T asAdmin(ApiKeys key, int version, ApiMessage request) {
        broker.actAs("admin");
        try {
            return call(key, version, request);
        } finally {
            broker.actAs("alice");
        }
    }

    private static OffsetCommitRequestData commitBoth(String group) {
        OffsetCommitRequestData request = commit(group, "", -1, "orders", 0, 5);
        request.topics().add(commit(group, "", -1, "secret", 0, 7).topics().getFirst());
        return request;
    }

    private long committed(String group, String topic) {
        OffsetFetchResponseData response = asAdmin(ApiKeys.OFFSET_FETCH, 8, fetch(group, topic, 0));
        return response.groups().getFirst().topics().getFirst().partitions().getFirst().committedOffset();
    }

    // ---- FindCoordinator --------------------------------------------------------------------------------------------

    @Test
    void findCoordinatorV4RefusesAGroupKeyWithoutDescribeOnTheGroupWithNoNodeAndNoMessage() {
        FindCoordinatorResponseData response = call(ApiKeys.FIND_COORDINATOR, 4,
                new FindCoordinatorRequestData().setKeyType(CoordinatorType.GROUP.id()).setCoordinatorKeys(List.of("g")));

        assertThat(response.coordinators()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("g");
            assertThat(c.errorCode()).isEqualTo(GROUP_DENIED);
            assertThat(c.errorMessage()).isNull();
            assertThat(c.nodeId()).isEqualTo(-1);
            assertThat(c.host()).isEmpty();
            assertThat(c.port()).isEqualTo(-1);
        });
    }

    @Test
    void findCoordinatorV4AuthorizesEachKeyOnItsOwn() {
        allow(GROUP, "g", DESCRIBE);

        FindCoordinatorResponseData response = call(ApiKeys.FIND_COORDINATOR, 4, new FindCoordinatorRequestData()
                .setKeyType(CoordinatorType.GROUP.id()).setCoordinatorKeys(List.of("g", "h")));

        assertThat(response.coordinators()).extracting(FindCoordinatorResponseData.Coordinator::errorCode)
                .containsExactly(Errors.NONE.code(), GROUP_DENIED);
        assertThat(response.coordinators().getFirst().port()).isEqualTo(9092);
    }

    @Test
    void findCoordinatorV3RefusesTheWholeResponseWithTheDefaultMessage() {
        FindCoordinatorResponseData response = call(ApiKeys.FIND_COORDINATOR, 3,
                new FindCoordinatorRequestData().setKeyType(CoordinatorType.GROUP.id()).setKey("g"));

        assertThat(response.errorCode()).isEqualTo(GROUP_DENIED);
        assertThat(response.errorMessage()).isEqualTo("Group authorization failed.");
        assertThat(response.nodeId()).isEqualTo(-1);
        assertThat(response.host()).isEmpty();
        assertThat(response.port()).isEqualTo(-1);
    }

    @Test
    void findCoordinatorRefusesATransactionKeyWithoutDescribeOnTheTransactionalId() {
        FindCoordinatorResponseData response = call(ApiKeys.FIND_COORDINATOR, 4, new FindCoordinatorRequestData()
                .setKeyType(CoordinatorType.TRANSACTION.id()).setCoordinatorKeys(List.of("tx")));

        assertThat(response.coordinators().getFirst().errorCode())
                .isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
    }

    @Test
    void findCoordinatorFindsATransactionKeyWithDescribeOnTheTransactionalId() {
        allow(TRANSACTIONAL_ID, "tx", DESCRIBE);

        FindCoordinatorResponseData response = call(ApiKeys.FIND_COORDINATOR, 4, new FindCoordinatorRequestData()
                .setKeyType(CoordinatorType.TRANSACTION.id()).setCoordinatorKeys(List.of("tx")));

        assertThat(response.coordinators().getFirst().errorCode()).isEqualTo(Errors.NONE.code());
    }

    // ---- classic membership -----------------------------------------------------------------------------------------

    @Test
    void joinGroupWithoutReadOnTheGroupIsRefusedWithNoMemberAndANullProtocolFromV7() {
        JoinGroupResponseData response = call(ApiKeys.JOIN_GROUP, 7, join("g", ""));

        assertThat(response.errorCode()).isEqualTo(GROUP_DENIED);
        assertThat(response.generationId()).isEqualTo(-1);
        assertThat(response.memberId()).isEmpty();
        assertThat(response.leader()).isEmpty();
        assertThat(response.protocolName()).isNull();
        assertThat(response.members()).isEmpty();
    }

    @Test
    void joinGroupBeforeV7RefusedWithAnEmptyProtocolName() {
        JoinGroupResponseData response = call(ApiKeys.JOIN_GROUP, 6, join("g", ""));

        assertThat(response.errorCode()).isEqualTo(GROUP_DENIED);
        assertThat(response.protocolName()).isEmpty();
    }

    @Test
    void joinGroupWithReadOnTheGroupReachesTheCoordinator() {
        allow(GROUP, "g", READ);

        JoinGroupResponseData response = call(ApiKeys.JOIN_GROUP, 7, join("g", ""));

        assertThat(response.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
    }

    @Test
    void syncGroupWithoutReadOnTheGroupIsRefusedWithAnEmptyAssignment() {
        SyncGroupResponseData response = call(ApiKeys.SYNC_GROUP, 4, sync("g", "m", 1, Map.of()));

        assertThat(response.errorCode()).isEqualTo(GROUP_DENIED);
        assertThat(response.assignment()).isEmpty();
    }

    @Test
    void syncGroupV5WithoutProtocolTypeAndNameIsInconsistentBeforeItIsAuthorized() {
        SyncGroupRequestData request = sync("g", "m", 1, Map.of()).setProtocolType(null).setProtocolName(null);

        SyncGroupResponseData response = call(ApiKeys.SYNC_GROUP, 5, request);

        assertThat(response.errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
    }

    @Test
    void heartbeatWithoutReadOnTheGroupIsRefused() {
        HeartbeatResponseData response = call(ApiKeys.HEARTBEAT, 4, heartbeat("g", "m", 1));

        assertThat(response.errorCode()).isEqualTo(GROUP_DENIED);
    }

    @Test
    void heartbeatWithReadOnTheGroupReachesTheCoordinator() {
        allow(GROUP, "g", READ);

        HeartbeatResponseData response = call(ApiKeys.HEARTBEAT, 4, heartbeat("g", "m", 1));

        assertThat(response.errorCode()).isNotEqualTo(GROUP_DENIED);
    }

    @Test
    void leaveGroupWithoutReadOnTheGroupIsRefusedAtTopLevelWithNoMembers() {
        LeaveGroupResponseData response = call(ApiKeys.LEAVE_GROUP, 5, new LeaveGroupRequestData().setGroupId("g")
                .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("m"))));

        assertThat(response.errorCode()).isEqualTo(GROUP_DENIED);
        assertThat(response.members()).isEmpty();
    }

    // ---- offsets ----------------------------------------------------------------------------------------------------

    @Test
    void offsetCommitWithoutReadOnTheGroupRefusesEveryPartition() {
        OffsetCommitResponseData response = call(ApiKeys.OFFSET_COMMIT, 8, commitBoth("g"));

        assertThat(response.topics()).extracting(OffsetCommitResponseData.OffsetCommitResponseTopic::name)
                .containsExactly("orders", "secret");
        assertThat(response.topics()).allSatisfy(t -> assertThat(t.partitions()).singleElement()
                .satisfies(p -> assertThat(p.errorCode()).isEqualTo(GROUP_DENIED)));
        assertThat(committed("g", "orders")).isEqualTo(-1);
    }

    @Test
    void offsetCommitRefusesTopicsWithoutReadFirstAndCommitsTheOthers() {
        allow(GROUP, "g", READ);
        allow(TOPIC, "orders", READ);

        OffsetCommitResponseData response = call(ApiKeys.OFFSET_COMMIT, 8, commitBoth("g"));

        assertThat(response.topics()).extracting(OffsetCommitResponseData.OffsetCommitResponseTopic::name)
                .containsExactly("secret", "orders");
        assertThat(response.topics().get(0).partitions().getFirst().errorCode()).isEqualTo(TOPIC_DENIED);
        assertThat(response.topics().get(1).partitions().getFirst().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(committed("g", "orders")).isEqualTo(5);
        assertThat(committed("g", "secret")).isEqualTo(-1);
    }

    @Test
    void offsetCommitByTopicIdAuthorizesTheTopicsName() {
        allow(GROUP, "g", READ);
        OffsetCommitRequestData request = commit("g", "", -1, "secret", 0, 7);
        request.topics().getFirst().setName("").setTopicId(topicId("secret"));

        OffsetCommitResponseData response = call(ApiKeys.OFFSET_COMMIT, 10, request);

        assertThat(response.topics().getFirst().partitions().getFirst().errorCode()).isEqualTo(TOPIC_DENIED);
    }

    private org.apache.kafka.common.Uuid topicId(String name) {
        org.apache.kafka.common.message.MetadataResponseData metadata = asAdmin(ApiKeys.METADATA, 12,
                new org.apache.kafka.common.message.MetadataRequestData().setTopics(List.of(
                        new org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic().setName(name))));
        return metadata.topics().find(name).topicId();
    }

    @Test
    void offsetFetchWithoutDescribeOnTheGroupIsATopLevelErrorWithNoTopics() {
        OffsetFetchResponseData response = call(ApiKeys.OFFSET_FETCH, 7, new OffsetFetchRequestData().setGroupId("g")
                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("orders")
                        .setPartitionIndexes(List.of(0)))));

        assertThat(response.errorCode()).isEqualTo(GROUP_DENIED);
        assertThat(response.topics()).isEmpty();
    }

    @Test
    void offsetFetchV1WithoutDescribeOnTheGroupMarksEveryAskedPartition() {
        OffsetFetchResponseData response = call(ApiKeys.OFFSET_FETCH, 1, new OffsetFetchRequestData().setGroupId("g")
                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("orders")
                        .setPartitionIndexes(List.of(0, 1)))));

        assertThat(response.topics()).singleElement().satisfies(t -> assertThat(t.partitions()).hasSize(2)
                .allSatisfy(p -> {
                    assertThat(p.errorCode()).isEqualTo(GROUP_DENIED);
                    assertThat(p.committedOffset()).isEqualTo(-1);
                }));
    }

    @Test
    void offsetFetchV8AnswersEachGroupOnItsOwn() {
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commit("g", "", -1, "orders", 0, 5));
        allow(GROUP, "g", DESCRIBE);
        allow(TOPIC, "orders", DESCRIBE);
        OffsetFetchRequestData request = fetch("g", "orders", 0);
        request.groups().add(fetch("h", "orders", 0).groups().getFirst());

        OffsetFetchResponseData response = call(ApiKeys.OFFSET_FETCH, 8, request);

        assertThat(response.groups()).extracting(OffsetFetchResponseData.OffsetFetchResponseGroup::errorCode)
                .containsExactly(Errors.NONE.code(), GROUP_DENIED);
        assertThat(response.groups().getFirst().topics().getFirst().partitions().getFirst().committedOffset())
                .isEqualTo(5);
        assertThat(response.groups().get(1).topics()).isEmpty();
    }

    @Test
    void offsetFetchRefusesAskedTopicsWithoutDescribeAfterTheOthers() {
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("g"));
        allow(GROUP, "g", DESCRIBE);
        allow(TOPIC, "orders", DESCRIBE);
        OffsetFetchRequestData request = fetch("g", "secret", 0);
        request.groups().getFirst().topics().add(fetch("g", "orders", 0).groups().getFirst().topics().getFirst());

        OffsetFetchResponseData response = call(ApiKeys.OFFSET_FETCH, 8, request);

        List<OffsetFetchResponseData.OffsetFetchResponseTopics> topics = response.groups().getFirst().topics();
        assertThat(topics).extracting(OffsetFetchResponseData.OffsetFetchResponseTopics::name)
                .containsExactly("orders", "secret");
        assertThat(topics.get(0).partitions().getFirst().committedOffset()).isEqualTo(5);
        assertThat(topics.get(1).partitions().getFirst().errorCode()).isEqualTo(TOPIC_DENIED);
        assertThat(topics.get(1).partitions().getFirst().committedOffset()).isEqualTo(-1);
    }

    @Test
    void offsetFetchOfAllTopicsLeavesOutTopicsWithoutDescribe() {
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("g"));
        allow(GROUP, "g", DESCRIBE);
        allow(TOPIC, "orders", DESCRIBE);

        OffsetFetchResponseData response = call(ApiKeys.OFFSET_FETCH, 8, fetch("g", null));

        assertThat(response.groups().getFirst().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.groups().getFirst().topics())
                .extracting(OffsetFetchResponseData.OffsetFetchResponseTopics::name).containsExactly("orders");
    }

    private static OffsetDeleteRequestData offsetDelete(String group, String... topics) {
        OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId(group);
        for (String topic : topics) {
            request.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(topic)
                    .setPartitions(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
        }
        return request;
    }

    @Test
    void offsetDeleteWithoutDeleteOnTheGroupIsATopLevelError() {
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("g"));
        allow(GROUP, "g", READ);

        OffsetDeleteResponseData response = call(ApiKeys.OFFSET_DELETE, 0, offsetDelete("g", "orders"));

        assertThat(response.errorCode()).isEqualTo(GROUP_DENIED);
        assertThat(response.topics()).isEmpty();
        assertThat(committed("g", "orders")).isEqualTo(5);
    }

    @Test
    void offsetDeleteRefusesTopicsWithoutReadFirstAndDeletesTheOthers() {
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("g"));
        allow(GROUP, "g", DELETE);
        allow(TOPIC, "orders", READ);

        OffsetDeleteResponseData response = call(ApiKeys.OFFSET_DELETE, 0, offsetDelete("g", "orders", "secret"));

        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.topics()).extracting(OffsetDeleteResponseData.OffsetDeleteResponseTopic::name)
                .containsExactly("secret", "orders");
        assertThat(response.topics().find("secret").partitions().find(0).errorCode()).isEqualTo(TOPIC_DENIED);
        assertThat(response.topics().find("orders").partitions().find(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(committed("g", "orders")).isEqualTo(-1);
        assertThat(committed("g", "secret")).isEqualTo(7);
    }

    // ---- administration ---------------------------------------------------------------------------------------------

    @Test
    void describeGroupsListsGroupsWithoutDescribeFirstWithNothingButTheError() {
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("g"));
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("hidden"));
        allow(GROUP, "g", DESCRIBE);

        DescribeGroupsResponseData response = call(ApiKeys.DESCRIBE_GROUPS, 5,
                new DescribeGroupsRequestData().setGroups(List.of("g", "hidden")));

        assertThat(response.groups()).extracting(DescribeGroupsResponseData.DescribedGroup::groupId)
                .containsExactly("hidden", "g");
        DescribeGroupsResponseData.DescribedGroup hidden = response.groups().getFirst();
        assertThat(hidden.errorCode()).isEqualTo(GROUP_DENIED);
        assertThat(hidden.groupState()).isEmpty();
        assertThat(hidden.protocolType()).isEmpty();
        assertThat(hidden.protocolData()).isEmpty();
        assertThat(hidden.members()).isEmpty();
        assertThat(hidden.authorizedOperations()).isEqualTo(Integer.MIN_VALUE);
        assertThat(response.groups().get(1).groupState()).isEqualTo("Empty");
    }

    @Test
    void describeGroupsReportsTheGroupOperationsTheClientMayPerformWhenAsked() {
        allow(GROUP, "g", READ);

        DescribeGroupsResponseData response = call(ApiKeys.DESCRIBE_GROUPS, 5,
                new DescribeGroupsRequestData().setGroups(List.of("g")).setIncludeAuthorizedOperations(true));

        assertThat(response.groups().getFirst().authorizedOperations()).isEqualTo((1 << 3) | (1 << 8));
    }

    @Test
    void describeGroupsLeavesAuthorizedOperationsUnsetWhenNotAsked() {
        allow(GROUP, "g", READ);

        DescribeGroupsResponseData response = call(ApiKeys.DESCRIBE_GROUPS, 5,
                new DescribeGroupsRequestData().setGroups(List.of("g")));

        assertThat(response.groups().getFirst().authorizedOperations()).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void listGroupsSilentlyLeavesOutGroupsWithoutDescribe() {
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("g"));
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("hidden"));
        allow(GROUP, "g", DESCRIBE);

        ListGroupsResponseData response = call(ApiKeys.LIST_GROUPS, 5, new ListGroupsRequestData());

        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.groups()).extracting(ListGroupsResponseData.ListedGroup::groupId).containsExactly("g");
    }

    @Test
    void listGroupsWithDescribeOnTheClusterListsEveryGroup() {
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("g"));
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("hidden"));
        allow(CLUSTER, "kafka-cluster", DESCRIBE);

        ListGroupsResponseData response = call(ApiKeys.LIST_GROUPS, 5, new ListGroupsRequestData());

        assertThat(response.groups()).extracting(ListGroupsResponseData.ListedGroup::groupId)
                .containsExactly("g", "hidden");
    }

    @Test
    void deleteGroupsRefusesGroupsWithoutDeleteAfterTheOthersOncePerName() {
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("g"));
        asAdmin(ApiKeys.OFFSET_COMMIT, 8, commitBoth("kept"));
        allow(GROUP, "g", DELETE);

        DeleteGroupsResponseData response = call(ApiKeys.DELETE_GROUPS, 3,
                new DeleteGroupsRequestData().setGroupsNames(List.of("kept", "g", "kept")));

        assertThat(response.results()).extracting(DeleteGroupsResponseData.DeletableGroupResult::groupId)
                .containsExactly("g", "kept");
        assertThat(response.results().find("g").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.results().find("kept").errorCode()).isEqualTo(GROUP_DENIED);
        assertThat(response.results().find("kept").errorMessage()).isNull();
        assertThat(committed("kept", "orders")).isEqualTo(5);
    }

    // ---- consumer protocol ------------------------------------------------------------------------------------------

    @Test
    void consumerGroupHeartbeatWithoutReadOnTheGroupIsRefused() {
        ConsumerGroupHeartbeatResponseData response = call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0,
                consumerJoin("g", "", "orders"));

        assertThat(response.errorCode()).isEqualTo(GROUP_DENIED);
        assertThat(response.memberId()).isNull();
    }

    @Test
    void consumerGroupHeartbeatSubscribingToATopicWithoutDescribeIsRefusedUnprocessed() {
        allow(GROUP, "g", READ);
        allow(TOPIC, "orders", DESCRIBE);

        ConsumerGroupHeartbeatResponseData response = call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0,
                consumerJoin("g", "", "orders", "secret"));

        assertThat(response.errorCode()).isEqualTo(TOPIC_DENIED);
        assertThat(response.errorMessage()).isNull();
        assertThat(response.memberId()).isNull();
        ListGroupsResponseData groups = asAdmin(ApiKeys.LIST_GROUPS, 5, new ListGroupsRequestData());
        assertThat(groups.groups()).isEmpty();
    }

    @Test
    void consumerGroupHeartbeatWithReadOnTheGroupAndDescribeOnItsTopicsJoins() {
        allow(GROUP, "g", READ);
        allow(TOPIC, "orders", DESCRIBE);

        ConsumerGroupHeartbeatResponseData response = call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0,
                consumerJoin("g", "", "orders"));

        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.memberEpoch()).isPositive();
    }

    @Test
    void consumerGroupDescribeListsGroupsWithoutDescribeFirst() {
        asAdmin(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, consumerJoin("g", "", "orders"));
        allow(GROUP, "g", DESCRIBE);
        allow(TOPIC, "orders", DESCRIBE);

        ConsumerGroupDescribeResponseData response = call(ApiKeys.CONSUMER_GROUP_DESCRIBE, 0,
                new ConsumerGroupDescribeRequestData().setGroupIds(List.of("g", "hidden"))
                        .setIncludeAuthorizedOperations(true));

        assertThat(response.groups()).extracting(ConsumerGroupDescribeResponseData.DescribedGroup::groupId)
                .containsExactly("hidden", "g");
        assertThat(response.groups().getFirst().errorCode()).isEqualTo(GROUP_DENIED);
        assertThat(response.groups().getFirst().authorizedOperations()).isEqualTo(Integer.MIN_VALUE);
        ConsumerGroupDescribeResponseData.DescribedGroup g = response.groups().get(1);
        assertThat(g.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(g.members()).hasSize(1);
        assertThat(g.authorizedOperations()).isEqualTo(1 << 8);
    }

    @Test
    void consumerGroupDescribeReplacesAGroupAssignedATopicTheClientMayNotDescribe() {
        asAdmin(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, consumerJoin("g", "", "secret"));
        allow(GROUP, "g", DESCRIBE);

        ConsumerGroupDescribeResponseData response = call(ApiKeys.CONSUMER_GROUP_DESCRIBE, 0,
                new ConsumerGroupDescribeRequestData().setGroupIds(List.of("g")).setIncludeAuthorizedOperations(true));

        assertThat(response.groups()).singleElement().satisfies(g -> {
            assertThat(g.errorCode()).isEqualTo(TOPIC_DENIED);
            assertThat(g.errorMessage())
                    .isEqualTo("The group has described topic(s) that the client is not authorized to describe.");
            assertThat(g.members()).isEmpty();
            assertThat(g.authorizedOperations()).isEqualTo(Integer.MIN_VALUE);
        });
    }

    // ---- no authorizer ----------------------------------------------------------------------------------------------

    @Test
    void withoutAnAuthorizerEveryClientUsesGroupsWithEveryGroupOperation() {
        broker.close();
        broker = new AdapterHarness(dir.resolve("plain"));
        broker.createTopic("orders", 1);

        OffsetCommitResponseData committed = call(ApiKeys.OFFSET_COMMIT, 8, commit("g", "", -1, "orders", 0, 5));
        DescribeGroupsResponseData described = call(ApiKeys.DESCRIBE_GROUPS, 5,
                new DescribeGroupsRequestData().setGroups(List.of("g")).setIncludeAuthorizedOperations(true));
        FindCoordinatorResponseData found = call(ApiKeys.FIND_COORDINATOR, 4, new FindCoordinatorRequestData()
                .setKeyType(CoordinatorType.GROUP.id()).setCoordinatorKeys(new ArrayList<>(List.of("g"))));

        assertThat(committed.topics().getFirst().partitions().getFirst().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(described.groups().getFirst().groupState()).isEqualTo("Empty");
        // READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS, ALTER_CONFIGS: every operation a group supports, as Kafka answers
        assertThat(described.groups().getFirst().authorizedOperations())
                .isEqualTo((1 << 3) | (1 << 8) | (1 << 6) | (1 << 10) | (1 << 11));
        assertThat(found.coordinators().getFirst().errorCode()).isEqualTo(Errors.NONE.code());
    }
}

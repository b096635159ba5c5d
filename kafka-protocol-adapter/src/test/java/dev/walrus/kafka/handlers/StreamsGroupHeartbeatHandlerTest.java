package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.StreamsGroupDescribeRequestData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.StreamsGroupDescribeResponse;
import org.apache.kafka.common.requests.StreamsGroupHeartbeatResponse;
import org.apache.kafka.common.requests.StreamsGroupHeartbeatResponse.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heartbeat rules of streams groups (KIP-1071) through the whole adapter: topology initialization, internal topics
 * the broker creates, status codes, task assignment and reconciliation (revoke before assign), standby tasks, epochs,
 * shutdown requests, endpoints, offset commits with member epochs, and the group surviving a restart.
 */
class StreamsGroupHeartbeatHandlerTest {

    private static final short VERSION = 1;

    @TempDir
    Path dir;
    AdapterHarness broker;

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close();
        }
    }

    private void open(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of("node.id", "1"));
        all.putAll(properties);
        broker = new AdapterHarness(dir, all);
    }

    // ---- requests -----------------------------------------------------------------------------------------------

    /** A topology of one subtopology reading {@code source} and counting into a store with a changelog. */
    private static StreamsGroupHeartbeatRequestData.Topology countTopology(String source, String changelog) {
        StreamsGroupHeartbeatRequestData.Subtopology s = new StreamsGroupHeartbeatRequestData.Subtopology()
                .setSubtopologyId("0")
                .setSourceTopics(List.of(source));
        if (changelog != null) {
            s.setStateChangelogTopics(List.of(new StreamsGroupHeartbeatRequestData.TopicInfo().setName(changelog)
                    .setTopicConfigs(List.of(new StreamsGroupHeartbeatRequestData.KeyValue()
                            .setKey("cleanup.policy").setValue("compact")))));
        }
        return new StreamsGroupHeartbeatRequestData.Topology().setEpoch(0).setSubtopologies(List.of(s));
    }

    private static StreamsGroupHeartbeatRequestData join(String group, String member, String process,
                                                        StreamsGroupHeartbeatRequestData.Topology topology) {
        return new StreamsGroupHeartbeatRequestData()
                .setGroupId(group).setMemberId(member).setMemberEpoch(0).setEndpointInformationEpoch(-1)
                .setRebalanceTimeoutMs(30_000).setProcessId(process).setTopology(topology)
                .setActiveTasks(List.of()).setStandbyTasks(List.of()).setWarmupTasks(List.of())
                .setClientTags(List.of());
    }

    /** A heartbeat reporting the tasks the member owns (null: unchanged since the last heartbeat). */
    private static StreamsGroupHeartbeatRequestData beat(String group, String member, int epoch, List<Integer> active,
                                                        List<Integer> standby) {
        StreamsGroupHeartbeatRequestData r = new StreamsGroupHeartbeatRequestData()
                .setGroupId(group).setMemberId(member).setMemberEpoch(epoch).setEndpointInformationEpoch(-1);
        if (active != null) {
            r.setActiveTasks(tasks(active)).setStandbyTasks(tasks(standby == null ? List.of() : standby))
                    .setWarmupTasks(List.of());
        }
        return r;
    }

    private static List<StreamsGroupHeartbeatRequestData.TaskIds> tasks(List<Integer> partitions) {
        return partitions.isEmpty() ? List.of()
                : List.of(new StreamsGroupHeartbeatRequestData.TaskIds().setSubtopologyId("0").setPartitions(partitions));
    }

    private StreamsGroupHeartbeatResponseData send(StreamsGroupHeartbeatRequestData request) {
        StreamsGroupHeartbeatResponse response = broker.send(ApiKeys.STREAMS_GROUP_HEARTBEAT, VERSION, request);
        return response.data();
    }

    private static List<Integer> active(StreamsGroupHeartbeatResponseData r) {
        return partitions(r.activeTasks());
    }

    private static List<Integer> standby(StreamsGroupHeartbeatResponseData r) {
        return partitions(r.standbyTasks());
    }

    private static List<Integer> partitions(List<StreamsGroupHeartbeatResponseData.TaskIds> tasks) {
        if (tasks == null) {
            return null;
        }
        List<Integer> all = new ArrayList<>();
        tasks.forEach(t -> all.addAll(t.partitions()));
        return all;
    }

    private static List<Byte> statuses(StreamsGroupHeartbeatResponseData r) {
        return r.status().stream().map(StreamsGroupHeartbeatResponseData.Status::statusCode).toList();
    }

    private StreamsGroupDescribeResponseData.DescribedGroup describe(String group) {
        StreamsGroupDescribeResponse response = broker.send(ApiKeys.STREAMS_GROUP_DESCRIBE, VERSION,
                new StreamsGroupDescribeRequestData().setGroupIds(List.of(group)));
        return response.data().groups().getFirst();
    }

    private int partitionsOf(String topic) {
        MetadataResponse response = broker.send(ApiKeys.METADATA, (short) 12, new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic)))
                .setAllowAutoTopicCreation(false));
        var t = response.data().topics().find(topic);
        return t.errorCode() == Errors.NONE.code() ? t.partitions().size() : -1;
    }

    // ---- tests --------------------------------------------------------------------------------------------------

    @Test
    void shouldInitializeTheTopologyCreateTheChangelogAndGiveTheFirstMemberEveryTask() {
        open(Map.of());
        broker.createTopic("words", 3);

        StreamsGroupHeartbeatResponseData r = send(join("app", "m-1", "p-1", countTopology("words", "app-counts-changelog")));

        assertThat(Errors.forCode(r.errorCode())).isEqualTo(Errors.NONE);
        assertThat(r.memberEpoch()).isEqualTo(1);
        assertThat(r.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(r.acceptableRecoveryLag()).isEqualTo(10_000L);
        assertThat(statuses(r)).isEmpty();
        assertThat(active(r)).containsExactly(0, 1, 2);
        assertThat(standby(r)).isEmpty();
        assertThat(partitionsOf("app-counts-changelog")).as("changelog partitions follow the source topic").isEqualTo(3);
        DescribeConfigsResponse configs = broker.send(ApiKeys.DESCRIBE_CONFIGS, (short) 4, new DescribeConfigsRequestData()
                .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType((byte) 2).setResourceName("app-counts-changelog")
                        .setConfigurationKeys(List.of("cleanup.policy")))));
        DescribeConfigsResponseData.DescribeConfigsResourceResult policy =
                configs.data().results().getFirst().configs().getFirst();
        assertThat(policy.value()).isEqualTo("compact");
        assertThat(describe("app").groupState()).isEqualTo("Stable");
    }

    @Test
    void shouldAnswerMissingSourceTopicsUntilTheTopicExists() {
        open(Map.of());
        StreamsGroupHeartbeatResponseData r = send(join("app", "m-1", "p-1", countTopology("later", null)));

        assertThat(statuses(r)).containsExactly(Status.MISSING_SOURCE_TOPICS.code());
        assertThat(r.status().getFirst().statusDetail()).isEqualTo("Source topics later are missing.");
        assertThat(active(r)).isEmpty();
        assertThat(describe("app").groupState()).isEqualTo("NotReady");

        broker.createTopic("later", 2);
        StreamsGroupHeartbeatResponseData next = send(beat("app", "m-1", r.memberEpoch(), null, null));
        assertThat(statuses(next)).isEmpty();
        assertThat(next.memberEpoch()).isGreaterThan(r.memberEpoch());
        assertThat(active(next)).containsExactly(0, 1);
    }

    @Test
    void shouldAnswerIncorrectlyPartitionedTopicsForCopartitionedSourcesOfDifferentSizes() {
        open(Map.of());
        broker.createTopic("left", 2);
        broker.createTopic("right", 3);
        StreamsGroupHeartbeatRequestData.Topology join = new StreamsGroupHeartbeatRequestData.Topology().setEpoch(0)
                .setSubtopologies(List.of(new StreamsGroupHeartbeatRequestData.Subtopology().setSubtopologyId("0")
                        .setSourceTopics(List.of("left", "right"))
                        .setCopartitionGroups(List.of(new StreamsGroupHeartbeatRequestData.CopartitionGroup()
                                .setSourceTopics(List.of((short) 0, (short) 1))))));

        StreamsGroupHeartbeatResponseData r = send(join("app", "m-1", "p-1", join));

        assertThat(statuses(r)).containsExactly(Status.INCORRECTLY_PARTITIONED_TOPICS.code());
        assertThat(active(r)).isEmpty();
    }

    @Test
    void shouldRevokeTasksBeforeTheNewMemberGetsThem() {
        open(Map.of());
        broker.createTopic("words", 4);
        send(join("app", "m-1", "p-1", countTopology("words", null)));

        StreamsGroupHeartbeatResponseData second = send(join("app", "m-2", "p-2", countTopology("words", null)));
        assertThat(second.memberEpoch()).isEqualTo(2);
        assertThat(active(second)).as("m-1 still runs every task").isEmpty();

        StreamsGroupHeartbeatResponseData revoke = send(beat("app", "m-1", 1, List.of(0, 1, 2, 3), List.of()));
        assertThat(revoke.memberEpoch()).as("the epoch waits for the revocation").isEqualTo(1);
        List<Integer> kept = active(revoke);
        assertThat(kept).hasSize(2);
        assertThat(describe("app").groupState()).isEqualTo("Reconciling");

        StreamsGroupHeartbeatResponseData stillWaiting = send(beat("app", "m-2", 2, List.of(), List.of()));
        assertThat(active(stillWaiting)).isNull();

        StreamsGroupHeartbeatResponseData released = send(beat("app", "m-1", 1, kept, List.of()));
        assertThat(released.memberEpoch()).isEqualTo(2);
        StreamsGroupHeartbeatResponseData granted = send(beat("app", "m-2", 2, List.of(), List.of()));
        List<Integer> all = new ArrayList<>(kept);
        all.addAll(active(granted));
        assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(describe("app").groupState()).isEqualTo("Stable");
    }

    @Test
    void shouldFenceAMemberThatKeepsItsTasksPastItsRebalanceTimeoutWhileItHeartbeats() throws InterruptedException {
        // Kafka fences a member that has not revoked by its rebalance timeout, however recently it heartbeated; the
        // session timeout (45 s here) must not hold that deadline back.
        open(Map.of());
        broker.createTopic("words", 4);
        send(join("app", "m-1", "p-1", countTopology("words", null)).setRebalanceTimeoutMs(300));
        send(join("app", "m-2", "p-2", countTopology("words", null)));
        StreamsGroupHeartbeatResponseData revoke = send(beat("app", "m-1", 1, List.of(0, 1, 2, 3), List.of()));
        assertThat(active(revoke)).as("m-1 is asked to give up two tasks").hasSize(2);

        long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        StreamsGroupHeartbeatResponseData stillOwning;
        do {
            Thread.sleep(100);
            stillOwning = send(beat("app", "m-1", 1, List.of(0, 1, 2, 3), List.of()));
        } while (stillOwning.errorCode() == Errors.NONE.code() && System.nanoTime() < giveUp);
        assertThat(Errors.forCode(stillOwning.errorCode())).as("m-1 fenced by its rebalance timeout, long before its "
                + "session could expire").isIn(Errors.FENCED_MEMBER_EPOCH, Errors.UNKNOWN_MEMBER_ID);
        StreamsGroupHeartbeatResponseData m2 = send(beat("app", "m-2", 2, List.of(), List.of()));
        assertThat(active(m2)).as("m-2 gets the tasks m-1 held").isNotEmpty();
    }

    @Test
    void shouldPlaceStandbyTasksOnAnotherProcess() {
        open(Map.of("group.streams.num.standby.replicas", "1"));
        broker.createTopic("words", 2);
        StreamsGroupHeartbeatResponseData first = send(join("app", "m-1", "p-1", countTopology("words", "app-c-changelog")));
        assertThat(standby(first)).as("no other process yet").isEmpty();
        send(join("app", "m-2", "p-2", countTopology("words", "app-c-changelog")));
        StreamsGroupHeartbeatResponseData revoke = send(beat("app", "m-1", 1, List.of(0, 1), List.of()));
        send(beat("app", "m-1", revoke.memberEpoch(), active(revoke), List.of()));
        StreamsGroupHeartbeatResponseData m1 = send(beat("app", "m-1", 2, active(revoke), List.of()));
        StreamsGroupHeartbeatResponseData m2 = send(beat("app", "m-2", 2, List.of(), List.of()));

        StreamsGroupDescribeResponseData.DescribedGroup group = describe("app");
        for (StreamsGroupDescribeResponseData.Member m : group.members()) {
            List<Integer> own = partitions2(m.assignment().activeTasks());
            List<Integer> standbys = partitions2(m.assignment().standbyTasks());
            assertThat(own).hasSize(1);
            assertThat(standbys).as("the other member's active task, as a standby").hasSize(1).doesNotContainAnyElementsOf(own);
        }
        assertThat(Errors.forCode(m1.errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(m2.errorCode())).isEqualTo(Errors.NONE);
    }

    private static List<Integer> partitions2(List<StreamsGroupDescribeResponseData.TaskIds> tasks) {
        List<Integer> all = new ArrayList<>();
        tasks.forEach(t -> all.addAll(t.partitions()));
        return all;
    }

    @Test
    void shouldDelayTheFirstAssignmentOfAnEmptyGroupByTheInitialRebalanceDelay() throws InterruptedException {
        open(Map.of("group.streams.initial.rebalance.delay.ms", "300"));
        broker.createTopic("words", 2);

        StreamsGroupHeartbeatResponseData first = send(join("app", "m-1", "p-1", countTopology("words", null)));
        assertThat(statuses(first)).containsExactly(Status.ASSIGNMENT_DELAYED.code());
        assertThat(first.status().getFirst().statusDetail())
                .isEqualTo("Assignment delayed due to the configured initial rebalance delay.");
        assertThat(active(first)).isEmpty();
        StreamsGroupHeartbeatResponseData second = send(join("app", "m-2", "p-2", countTopology("words", null)));
        assertThat(statuses(second)).containsExactly(Status.ASSIGNMENT_DELAYED.code());

        assertThat(first.memberEpoch()).as("a member waits at an epoch of its own, with no tasks").isEqualTo(1);
        assertThat(second.memberEpoch()).isEqualTo(2);

        // heartbeat until the delay has passed: then both members share the tasks of the first assignment
        List<Integer> all = new ArrayList<>();
        Map<String, Integer> epochs = new HashMap<>(Map.of("m-1", first.memberEpoch(), "m-2", second.memberEpoch()));
        for (String member : List.of("m-1", "m-2")) {
            StreamsGroupHeartbeatResponseData r;
            do {
                Thread.sleep(50);
                r = send(beat("app", member, epochs.get(member), List.of(), List.of()));
                assertThat(Errors.forCode(r.errorCode())).isEqualTo(Errors.NONE);
                epochs.put(member, r.memberEpoch());
            } while (!statuses(r).isEmpty() || active(r) == null);
            assertThat(active(r)).hasSize(1);
            all.addAll(active(r));
        }
        assertThat(all).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void shouldFenceWrongEpochsAndUnknownMembers() {
        open(Map.of());
        broker.createTopic("words", 1);
        send(join("app", "m-1", "p-1", countTopology("words", null)));

        assertThat(Errors.forCode(send(beat("app", "m-1", 5, null, null)).errorCode())).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(Errors.forCode(send(beat("app", "nobody", 1, null, null)).errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        StreamsGroupHeartbeatResponseData noTopology = send(join("app", "m-2", "p-2", null));
        assertThat(Errors.forCode(noTopology.errorCode())).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(noTopology.errorMessage()).isEqualTo("Topology must be non-null when (re-)joining.");
        StreamsGroupHeartbeatResponseData other = send(join("app", "m-3", "p-3", countTopology("words", "app-x-changelog")));
        assertThat(Errors.forCode(other.errorCode())).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(other.errorMessage()).isEqualTo("Topology updates are not supported yet.");
        assertThat(describe("app").members()).hasSize(1);
        StreamsGroupHeartbeatResponseData unknownTask = send(beat("app", "m-1", 1, List.of(0, 1), List.of()));
        assertThat(Errors.forCode(unknownTask.errorCode())).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(unknownTask.errorMessage())
                .isEqualTo("Task 1 for subtopology 0 is invalid. Number of tasks for this subtopology: 1");
    }

    @Test
    void shouldGiveARejoiningMemberItsTasksBackWithoutANewEpoch() {
        open(Map.of());
        broker.createTopic("words", 2);
        StreamsGroupHeartbeatResponseData first = send(join("app", "m-1", "p-1", countTopology("words", null)));
        assertThat(Errors.forCode(send(beat("app", "m-1", 7, null, null)).errorCode())).isEqualTo(Errors.FENCED_MEMBER_EPOCH);

        StreamsGroupHeartbeatResponseData rejoined = send(join("app", "m-1", "p-1", countTopology("words", null)));

        assertThat(Errors.forCode(rejoined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(rejoined.memberEpoch()).isEqualTo(first.memberEpoch());
        assertThat(active(rejoined)).containsExactly(0, 1);
        assertThat(describe("app").groupEpoch()).isEqualTo(first.memberEpoch());
    }

    @Test
    void shouldTellEveryMemberThatOneAskedTheApplicationToShutDown() {
        open(Map.of());
        broker.createTopic("words", 2);
        send(join("app", "m-1", "p-1", countTopology("words", null)));
        send(join("app", "m-2", "p-2", countTopology("words", null)));

        StreamsGroupHeartbeatResponseData asked = send(beat("app", "m-2", 2, null, null).setShutdownApplication(true));
        StreamsGroupHeartbeatResponseData told = send(beat("app", "m-1", 1, null, null));

        assertThat(statuses(asked)).contains(Status.SHUTDOWN_APPLICATION.code());
        assertThat(statuses(told)).contains(Status.SHUTDOWN_APPLICATION.code());
        assertThat(told.status().stream().filter(s -> s.statusCode() == Status.SHUTDOWN_APPLICATION.code()).findFirst()
                .orElseThrow().statusDetail()).contains("m-2");
    }

    @Test
    void shouldGiveEndpointsTheirPartitionsForInteractiveQueries() {
        open(Map.of());
        broker.createTopic("words", 2);
        StreamsGroupHeartbeatResponseData r = send(join("app", "m-1", "p-1", countTopology("words", null))
                .setUserEndpoint(new StreamsGroupHeartbeatRequestData.Endpoint().setHost("app-host").setPort(7070)));

        assertThat(r.partitionsByUserEndpoint()).singleElement().satisfies(e -> {
            assertThat(e.userEndpoint().host()).isEqualTo("app-host");
            assertThat(e.userEndpoint().port()).isEqualTo(7070);
            assertThat(e.activePartitions()).singleElement().satisfies(tp -> {
                assertThat(tp.topic()).isEqualTo("words");
                assertThat(tp.partitions()).containsExactly(0, 1);
            });
        });
        StreamsGroupHeartbeatResponseData same = send(beat("app", "m-1", r.memberEpoch(), null, null)
                .setEndpointInformationEpoch(r.endpointInformationEpoch()));
        assertThat(same.partitionsByUserEndpoint()).as("unchanged since the epoch the member has").isNull();
    }

    @Test
    void shouldCommitOffsetsOnlyWithTheMembersEpoch() {
        open(Map.of());
        broker.createTopic("words", 1);
        StreamsGroupHeartbeatResponseData r = send(join("app", "m-1", "p-1", countTopology("words", null)));

        assertThat(commit("app", "m-1", r.memberEpoch())).isEqualTo(Errors.NONE);
        assertThat(commit("app", "m-1", r.memberEpoch() + 1)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(commit("app", "nobody", r.memberEpoch())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit("app", "", -1)).as("the admin client may not commit while the group has members")
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    private Errors commit(String group, String member, int epoch) {
        OffsetCommitResponse response = broker.send(ApiKeys.OFFSET_COMMIT, (short) 9, new OffsetCommitRequestData()
                .setGroupId(group).setMemberId(member).setGenerationIdOrMemberEpoch(epoch)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("words")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(10))))));
        return Errors.forCode(response.data().topics().getFirst().partitions().getFirst().errorCode());
    }

    @Test
    void shouldKeepTheGroupTopologyAndMembersAcrossARestartAndRemoveALeavingMember() {
        open(Map.of());
        broker.createTopic("words", 2);
        StreamsGroupHeartbeatResponseData r = send(join("app", "m-1", "p-1", countTopology("words", "app-counts-changelog")));

        broker.restart();

        StreamsGroupDescribeResponseData.DescribedGroup group = describe("app");
        assertThat(group.errorCode()).isZero();
        assertThat(group.groupEpoch()).isEqualTo(1);
        assertThat(group.topology().subtopologies()).singleElement()
                .satisfies(s -> assertThat(s.sourceTopics()).containsExactly("words"));
        assertThat(group.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo("m-1");
            assertThat(m.processId()).isEqualTo("p-1");
            assertThat(partitions2(m.assignment().activeTasks())).containsExactly(0, 1);
        });
        ListGroupsResponse listed = broker.send(ApiKeys.LIST_GROUPS, (short) 5,
                new ListGroupsRequestData().setTypesFilter(List.of("Streams")));
        assertThat(listed.data().groups()).singleElement().satisfies(g -> {
            assertThat(g.groupId()).isEqualTo("app");
            assertThat(g.groupType()).isEqualTo("streams");
            assertThat(g.protocolType()).isEqualTo("streams");
        });

        StreamsGroupHeartbeatResponseData stay = send(beat("app", "m-1", r.memberEpoch(), null, null));
        assertThat(Errors.forCode(stay.errorCode())).isEqualTo(Errors.NONE);
        StreamsGroupHeartbeatResponseData left = send(beat("app", "m-1", -1, null, null));
        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(describe("app").groupState()).isEqualTo("Empty");
    }
}

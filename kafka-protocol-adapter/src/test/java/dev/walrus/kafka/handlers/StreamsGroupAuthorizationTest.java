package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.StreamsGroupDescribeRequestData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.requests.StreamsGroupDescribeResponse;
import org.apache.kafka.common.requests.StreamsGroupHeartbeatResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streams group APIs (KIP-1071) under Kafka's StandardAuthorizer: User:alice with the ACLs a test grants, the
 * super user User:admin setting the scene. READ on the group for the heartbeat, DESCRIBE on the topology's topics,
 * CREATE (cluster or topic) for the internal topics the broker would create, DESCRIBE on the group to describe it.
 */
class StreamsGroupAuthorizationTest {

    private static final byte TOPIC = 2;
    private static final byte GROUP = 3;
    private static final byte READ = 3;
    private static final byte CREATE = 5;
    private static final byte DESCRIBE = 8;

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir, Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:admin"));
        broker.actAs("admin");
        broker.createTopic("words", 2);
        broker.actAs("alice");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private void allow(byte resourceType, String name, byte operation) {
        broker.actAs("admin");
        CreateAclsResponse response = broker.send(ApiKeys.CREATE_ACLS, (short) 3, new CreateAclsRequestData().setCreations(List.of(
                new CreateAclsRequestData.AclCreation().setResourceType(resourceType).setResourceName(name)
                        .setResourcePatternType((byte) 3).setPrincipal("User:alice").setHost("*")
                        .setOperation(operation).setPermissionType((byte) 3))));
        CreateAclsResponseData data = response.data();
        assertThat(data.results()).singleElement().satisfies(r -> assertThat(r.errorCode()).isZero());
        broker.actAs("alice");
    }

    private static StreamsGroupHeartbeatRequestData join(String changelog) {
        return new StreamsGroupHeartbeatRequestData()
                .setGroupId("app").setMemberId("m-1").setMemberEpoch(0).setEndpointInformationEpoch(-1)
                .setRebalanceTimeoutMs(30_000).setProcessId("p-1")
                .setActiveTasks(List.of()).setStandbyTasks(List.of()).setWarmupTasks(List.of())
                .setTopology(new StreamsGroupHeartbeatRequestData.Topology().setEpoch(0).setSubtopologies(List.of(
                        new StreamsGroupHeartbeatRequestData.Subtopology().setSubtopologyId("0")
                                .setSourceTopics(List.of("words"))
                                .setStateChangelogTopics(List.of(new StreamsGroupHeartbeatRequestData.TopicInfo()
                                        .setName(changelog))))));
    }

    private StreamsGroupHeartbeatResponseData heartbeat(StreamsGroupHeartbeatRequestData request) {
        StreamsGroupHeartbeatResponse response = broker.send(ApiKeys.STREAMS_GROUP_HEARTBEAT, (short) 1, request);
        return response.data();
    }

    private boolean existsForAdmin(String topic) {
        broker.actAs("admin");
        try {
            return broker.topicExists(topic);
        } finally {
            broker.actAs("alice");
        }
    }

    @Test
    void heartbeatNeedsReadOnTheGroup() {
        assertThat(Errors.forCode(heartbeat(join("app-c-changelog")).errorCode())).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
    }

    @Test
    void joiningNeedsDescribeOnEveryTopicOfTheTopology() {
        allow(GROUP, "app", READ);
        allow(TOPIC, "words", DESCRIBE);

        assertThat(Errors.forCode(heartbeat(join("app-c-changelog")).errorCode())).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
    }

    @Test
    void aTopologyNamingAnInternalTopicIsInvalid() {
        allow(GROUP, "app", READ);

        StreamsGroupHeartbeatResponseData r = heartbeat(join("__consumer_offsets"));

        assertThat(Errors.forCode(r.errorCode())).isEqualTo(Errors.STREAMS_INVALID_TOPOLOGY);
        assertThat(r.errorMessage()).isEqualTo("Use of Kafka internal topics __consumer_offsets in a Kafka Streams topology is prohibited.");
    }

    @Test
    void internalTopicsAreNotCreatedWithoutCreateAndTheStatusSaysWhy() {
        allow(GROUP, "app", READ);
        allow(TOPIC, "words", DESCRIBE);
        allow(TOPIC, "app-c-changelog", DESCRIBE);

        StreamsGroupHeartbeatResponseData r = heartbeat(join("app-c-changelog"));

        assertThat(Errors.forCode(r.errorCode())).isEqualTo(Errors.NONE);
        assertThat(r.status()).singleElement().satisfies(s -> {
            assertThat(s.statusCode()).isEqualTo(StreamsGroupHeartbeatResponse.Status.MISSING_INTERNAL_TOPICS.code());
            assertThat(s.statusDetail()).isEqualTo(
                    "Internal topics are missing: app-c-changelog; Unauthorized to CREATE on topics app-c-changelog.");
        });
        assertThat(existsForAdmin("app-c-changelog")).isFalse();

        allow(TOPIC, "app-c-changelog", CREATE);
        StreamsGroupHeartbeatResponseData again = heartbeat(new StreamsGroupHeartbeatRequestData().setGroupId("app")
                .setMemberId("m-1").setMemberEpoch(r.memberEpoch()).setEndpointInformationEpoch(-1));
        assertThat(again.status()).isEmpty();
        assertThat(existsForAdmin("app-c-changelog")).isTrue();
    }

    @Test
    void describeNeedsDescribeOnTheGroup() {
        StreamsGroupDescribeResponse denied = broker.send(ApiKeys.STREAMS_GROUP_DESCRIBE, (short) 1,
                new StreamsGroupDescribeRequestData().setGroupIds(List.of("app")));
        assertThat(denied.data().groups()).singleElement().satisfies(g ->
                assertThat(Errors.forCode(g.errorCode())).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED));

        allow(GROUP, "app", DESCRIBE);
        StreamsGroupDescribeResponse unknown = broker.send(ApiKeys.STREAMS_GROUP_DESCRIBE, (short) 1,
                new StreamsGroupDescribeRequestData().setGroupIds(List.of("app")));
        StreamsGroupDescribeResponseData.DescribedGroup group = unknown.data().groups().getFirst();
        assertThat(Errors.forCode(group.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.authz.Authorizer;
import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.requests.DescribeClientQuotasResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.apache.kafka.common.requests.ElectLeadersResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topic and cluster checks of the data path, Metadata and the admin APIs under the StandardAuthorizer, and the
 * ACL APIs themselves, through the real adapter: {@code User:admin} is a super user, {@code User:alice} has only the
 * ACLs a test gives her.
 */
class TopicAndClusterAuthorizationTest {

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir, Map.of("authorizer.class.name", Authorizer.STANDARD_AUTHORIZER,
                "super.users", "User:admin"));
        broker.actAs("admin");
        broker.createTopic("orders", 1);
        broker.createTopic("secret", 1);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldRefuseProduceFetchAndListOffsetsWithoutTopicAcls() {
        broker.actAs("alice");
        ProduceResponse produced = broker.send(ApiKeys.PRODUCE, (short) 12,
                Requests.produce("orders", 0, Batches.of("v"), (short) 1));
        assertThat(produced.data().responses().iterator().next().partitionResponses().getFirst().errorCode())
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        // a topic that does not exist is refused the same way: its existence is not disclosed
        ProduceResponse unknown = broker.send(ApiKeys.PRODUCE, (short) 12,
                Requests.produce("no-such-topic", 0, Batches.of("v"), (short) 1));
        assertThat(unknown.data().responses().iterator().next().partitionResponses().getFirst().errorCode())
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        FetchResponse fetched = broker.send(ApiKeys.FETCH, (short) 12, Requests.fetch("orders", Uuid.ZERO_UUID, 0, 0));
        assertThat(fetched.data().responses().getFirst().partitions().getFirst().errorCode())
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        ListOffsetsResponse offsets = broker.send(ApiKeys.LIST_OFFSETS, (short) 7, Requests.listOffsets("orders", 0, -1));
        assertThat(offsets.data().topics().getFirst().partitions().getFirst().errorCode())
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    @Test
    void shouldWriteEachDenialToKafkasAuditLogger() {
        allowAlice(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ);
        broker.actAs("alice");
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            broker.send(ApiKeys.PRODUCE, (short) 12, Requests.produce("orders", 0, Batches.of("v"), (short) 1));
        } finally {
            System.setErr(err);
        }
        // slf4j-simple writes kafka.authorizer.logger's INFO lines to standard error
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("kafka.authorizer.logger",
                "Principal = User:alice is Denied operation = WRITE from host = 127.0.0.1 on resource = "
                        + "Topic:LITERAL:orders based on rule DefaultDeny");
    }

    @Test
    void shouldServeProduceAndFetchOnceAllowed() {
        allowAlice(ResourceType.TOPIC, "ord", PatternType.PREFIXED, AclOperation.WRITE);
        allowAlice(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ);
        broker.actAs("alice");
        ProduceResponse produced = broker.send(ApiKeys.PRODUCE, (short) 12,
                Requests.produce("orders", 0, Batches.of("v"), (short) 1));
        assertThat(produced.data().responses().iterator().next().partitionResponses().getFirst().errorCode()).isZero();
        FetchResponse fetched = broker.send(ApiKeys.FETCH, (short) 12, Requests.fetch("orders", Uuid.ZERO_UUID, 0, 0));
        assertThat(Batches.values(fetched.data().responses().getFirst().partitions().getFirst().records()))
                .containsExactly("v");
        // READ implies DESCRIBE: ListOffsets works
        ListOffsetsResponse offsets = broker.send(ApiKeys.LIST_OFFSETS, (short) 7, Requests.listOffsets("orders", 0, -1));
        assertThat(offsets.data().topics().getFirst().partitions().getFirst().offset()).isEqualTo(1);
    }

    @Test
    void shouldHideTopicsAClientMayNotDescribeInMetadata() {
        allowAlice(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ);
        broker.actAs("alice");
        MetadataResponse all = broker.send(ApiKeys.METADATA, (short) 12, new MetadataRequestData()
                .setTopics(null).setIncludeTopicAuthorizedOperations(true));
        assertThat(all.data().topics()).extracting(MetadataResponseTopic::name).containsExactly("orders");
        assertThat(all.data().topics().find("orders").topicAuthorizedOperations())
                .isEqualTo((1 << AclOperation.READ.code()) | (1 << AclOperation.DESCRIBE.code()));

        MetadataResponse named = broker.send(ApiKeys.METADATA, (short) 12, new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("secret")))
                .setAllowAutoTopicCreation(true));
        MetadataResponseTopic secret = named.data().topics().find("secret");
        assertThat(secret.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(secret.topicId()).isEqualTo(Uuid.ZERO_UUID);
        assertThat(secret.partitions()).isEmpty();
    }

    @Test
    void shouldAutoCreateOnlyWithCreatePermission() {
        allowAlice(ResourceType.TOPIC, "auto-", PatternType.PREFIXED, AclOperation.DESCRIBE);
        broker.actAs("alice");
        MetadataResponse denied = broker.send(ApiKeys.METADATA, (short) 12, new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("auto-a")))
                .setAllowAutoTopicCreation(true));
        assertThat(denied.data().topics().find("auto-a").errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        broker.actAs("admin");
        allowAlice(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.CREATE);
        broker.actAs("alice");
        MetadataResponse created = broker.send(ApiKeys.METADATA, (short) 12, new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("auto-a")))
                .setAllowAutoTopicCreation(true));
        assertThat(created.data().topics().find("auto-a").errorCode()).isZero();
        assertThat(created.data().topics().find("auto-a").partitions()).hasSize(1);
    }

    @Test
    void shouldCheckCreateDeleteAndAlterOnTopics() {
        allowAlice(ResourceType.TOPIC, "mine-", PatternType.PREFIXED, AclOperation.CREATE);
        broker.actAs("alice");
        CreateTopicsResponse created = broker.send(ApiKeys.CREATE_TOPICS, (short) 7, new CreateTopicsRequestData()
                .setTopics(new CreateTopicsRequestData.CreatableTopicCollection(List.of(
                        new CreateTopicsRequestData.CreatableTopic().setName("mine-1").setNumPartitions(1).setReplicationFactor((short) 1),
                        new CreateTopicsRequestData.CreatableTopic().setName("orders").setNumPartitions(1).setReplicationFactor((short) 1)).iterator())));
        assertThat(created.data().topics().find("mine-1").errorCode()).isZero();
        // created, but without DESCRIBE_CONFIGS its configs are withheld
        assertThat(created.data().topics().find("mine-1").topicConfigErrorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(created.data().topics().find("mine-1").configs()).isEmpty();
        // an existing topic without CREATE: the authorization error, not TOPIC_ALREADY_EXISTS
        assertThat(created.data().topics().find("orders").errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(created.data().topics().find("orders").errorMessage()).isEqualTo("Authorization failed.");

        CreatePartitionsResponse grown = broker.send(ApiKeys.CREATE_PARTITIONS, (short) 3, new CreatePartitionsRequestData()
                .setTopics(new CreatePartitionsRequestData.CreatePartitionsTopicCollection(List.of(
                        new CreatePartitionsRequestData.CreatePartitionsTopic().setName("mine-1").setCount(2)).iterator())));
        assertThat(grown.data().results().getFirst().errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());

        DeleteTopicsResponse deleted = broker.send(ApiKeys.DELETE_TOPICS, (short) 6, new DeleteTopicsRequestData()
                .setTopics(List.of(new DeleteTopicsRequestData.DeleteTopicState().setName("mine-1"))));
        assertThat(deleted.data().responses().find("mine-1").errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        broker.actAs("admin");
        assertThat(broker.topicExists("mine-1")).isTrue();
    }

    @Test
    void shouldCheckDescribeConfigsPerResourceBeforeLookingItUp() {
        broker.actAs("alice");
        DescribeConfigsResponse described = broker.send(ApiKeys.DESCRIBE_CONFIGS, (short) 4, new DescribeConfigsRequestData()
                .setResources(List.of(
                        new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id())
                                .setResourceName("no-such-topic"),
                        new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(ConfigResource.Type.BROKER.id())
                                .setResourceName("1"))));
        assertThat(described.data().results()).extracting(r -> Errors.forCode(r.errorCode()))
                .containsExactly(Errors.TOPIC_AUTHORIZATION_FAILED, Errors.CLUSTER_AUTHORIZATION_FAILED);
        assertThat(described.data().results().getFirst().errorMessage()).isEqualTo("Topic authorization failed.");
    }

    @Test
    void shouldRefuseClusterOperationsWithoutClusterAcls() {
        broker.actAs("alice");
        ElectLeadersResponse elected = broker.send(ApiKeys.ELECT_LEADERS, (short) 2, new ElectLeadersRequestData()
                .setTopicPartitions(null));
        assertThat(elected.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        DescribeLogDirsResponse dirs = broker.send(ApiKeys.DESCRIBE_LOG_DIRS, (short) 4, new DescribeLogDirsRequestData().setTopics(null));
        assertThat(dirs.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(dirs.data().results()).isEmpty();
        DescribeClientQuotasResponse quotas = broker.send(ApiKeys.DESCRIBE_CLIENT_QUOTAS, (short) 1,
                new DescribeClientQuotasRequestData().setComponents(List.of()));
        assertThat(quotas.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(quotas.data().errorMessage()).isNull();
        DescribeAclsResponse acls = broker.send(ApiKeys.DESCRIBE_ACLS, (short) 3, anyAcl());
        assertThat(acls.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    }

    @Test
    void shouldValidateEachNewAclWithKafkasMessages() {
        broker.actAs("admin");
        CreateAclsResponse response = broker.send(ApiKeys.CREATE_ACLS, (short) 3, new CreateAclsRequestData().setCreations(List.of(
                creation(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:alice", "*"),
                creation(ResourceType.CLUSTER, "other", PatternType.LITERAL, "User:alice", "*"),
                creation(ResourceType.TOPIC, "", PatternType.LITERAL, "User:alice", "*"),
                creation(ResourceType.TOPIC, "t", PatternType.LITERAL, "alice", "*"),
                creation(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:alice", "10.0.0.0/99"))));
        assertThat(response.data().results()).extracting(r -> r.errorCode(), r -> r.errorMessage()).containsExactly(
                // success carries the schema's default message, as Kafka's broker sends it
                org.assertj.core.groups.Tuple.tuple((short) 0, new CreateAclsResponseData.AclCreationResult().errorMessage()),
                org.assertj.core.groups.Tuple.tuple(Errors.INVALID_REQUEST.code(), "The only valid name for the CLUSTER resource is kafka-cluster"),
                org.assertj.core.groups.Tuple.tuple(Errors.INVALID_REQUEST.code(), "Invalid empty resource name"),
                org.assertj.core.groups.Tuple.tuple(Errors.INVALID_REQUEST.code(), "Could not parse principal from `alice` "
                        + "(no colon is present separating the principal type from the principal name)"),
                org.assertj.core.groups.Tuple.tuple(Errors.INVALID_REQUEST.code(),
                        "Invalid CIDR notation '10.0.0.0/99': expected an IP address, a slash and a prefix length"));
        DescribeAclsResponse listed = broker.send(ApiKeys.DESCRIBE_ACLS, (short) 3, anyAcl());
        assertThat(listed.data().resources()).hasSize(1);
        assertThat(listed.data().resources().getFirst().resourceName()).isEqualTo("t");
    }

    @Test
    void shouldKeepAclsAcrossARestartUntilDeleted() {
        allowAlice(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ);
        broker.restart();
        broker.actAs("alice");
        ListOffsetsResponse allowed = broker.send(ApiKeys.LIST_OFFSETS, (short) 7, Requests.listOffsets("orders", 0, -1));
        assertThat(allowed.data().topics().getFirst().partitions().getFirst().errorCode()).isZero();

        broker.actAs("admin");
        DeleteAclsResponse deleted = broker.send(ApiKeys.DELETE_ACLS, (short) 3, new DeleteAclsRequestData().setFilters(List.of(
                new DeleteAclsRequestData.DeleteAclsFilter().setResourceTypeFilter(ResourceType.ANY.code())
                        .setResourceNameFilter(null).setPrincipalFilter(null).setHostFilter(null)
                        .setPatternTypeFilter(PatternType.ANY.code()).setOperation(AclOperation.ANY.code())
                        .setPermissionType(AclPermissionType.ANY.code()))));
        assertThat(deleted.data().filterResults().getFirst().matchingAcls()).hasSize(1);
        broker.restart();
        broker.actAs("alice");
        ListOffsetsResponse denied = broker.send(ApiKeys.LIST_OFFSETS, (short) 7, Requests.listOffsets("orders", 0, -1));
        assertThat(denied.data().topics().getFirst().partitions().getFirst().errorCode())
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    @Test
    void alteringConfigsShouldRefuseAMalformedRequestBeforeCheckingPermissionAsKafkaDoes() {
        broker.actAs("alice");   // no ALTER_CONFIGS anywhere
        IncrementalAlterConfigsRequestData.AlterConfigsResource twiceNamed = new IncrementalAlterConfigsRequestData
                .AlterConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("orders");
        twiceNamed.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("1"));
        twiceNamed.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("2"));
        IncrementalAlterConfigsRequestData.AlterConfigsResource wellFormed = new IncrementalAlterConfigsRequestData
                .AlterConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("secret");
        wellFormed.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("1"));
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData();
        request.resources().add(twiceNamed);
        request.resources().add(wellFormed);
        IncrementalAlterConfigsResponse incremental = broker.send(ApiKeys.INCREMENTAL_ALTER_CONFIGS, (short) 1, request);
        assertThat(incremental.data().responses()).extracting(r -> r.resourceName(), r -> Errors.forCode(r.errorCode()))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", Errors.INVALID_REQUEST),
                        org.assertj.core.groups.Tuple.tuple("secret", Errors.TOPIC_AUTHORIZATION_FAILED));

        AlterConfigsRequestData legacy = new AlterConfigsRequestData();
        for (int i = 0; i < 2; i++) {
            AlterConfigsRequestData.AlterConfigsResource same = new AlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("orders");
            same.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("1"));
            legacy.resources().add(same);
        }
        AlterConfigsRequestData.AlterConfigsResource logger = new AlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.BROKER_LOGGER.id()).setResourceName("1");
        legacy.resources().add(logger);
        AlterConfigsResponse altered = broker.send(ApiKeys.ALTER_CONFIGS, (short) 2, legacy);
        assertThat(altered.data().responses()).extracting(r -> Errors.forCode(r.errorCode()), r -> r.errorMessage())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Errors.INVALID_REQUEST, "Each resource must appear at most once."),
                        org.assertj.core.groups.Tuple.tuple(Errors.INVALID_REQUEST, "Each resource must appear at most once."),
                        org.assertj.core.groups.Tuple.tuple(Errors.INVALID_REQUEST, "Unknown resource type 8"));
    }

    private void allowAlice(ResourceType type, String name, PatternType pattern, AclOperation operation) {
        broker.actAs("admin");
        CreateAclsResponse response = broker.send(ApiKeys.CREATE_ACLS, (short) 3, new CreateAclsRequestData().setCreations(List.of(
                creation(type, name, pattern, "User:alice", "*").setOperation(operation.code()))));
        assertThat(response.data().results().getFirst().errorCode()).isZero();
    }

    private static AclCreation creation(ResourceType type, String name, PatternType pattern, String principal, String host) {
        return new AclCreation().setResourceType(type.code()).setResourceName(name).setResourcePatternType(pattern.code())
                .setPrincipal(principal).setHost(host).setOperation(AclOperation.READ.code())
                .setPermissionType(AclPermissionType.ALLOW.code());
    }

    private static DescribeAclsRequestData anyAcl() {
        return new DescribeAclsRequestData().setResourceTypeFilter(ResourceType.ANY.code())
                .setResourceNameFilter(null).setPrincipalFilter(null).setHostFilter(null)
                .setPatternTypeFilter(PatternType.ANY.code()).setOperation(AclOperation.ANY.code())
                .setPermissionType(AclPermissionType.ANY.code());
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.MetadataHarness;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.quota.MutationRateQuota;
import dev.walrus.kafka.quota.QuotaEntity;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CreateTopicsHandlerTest {

    private static final short LATEST = ApiKeys.CREATE_TOPICS.latestVersion();

    @TempDir
    Path dir;

    private MetadataHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private static CreatableTopic topic(String name, int partitions, int replicationFactor, String... configs) {
        CreatableTopic topic = new CreatableTopic().setName(name).setNumPartitions(partitions)
                .setReplicationFactor((short) replicationFactor);
        for (int i = 0; i < configs.length; i += 2) {
            topic.configs().add(new CreatableTopicConfig().setName(configs[i]).setValue(configs[i + 1]));
        }
        return topic;
    }

    private CreatableTopicResult create(CreatableTopic topic, boolean validateOnly, short version) {
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(5000).setValidateOnly(validateOnly);
        request.topics().add(topic);
        CreateTopicsResponseData response = harness.call(request, version);
        return response.topics().iterator().next();
    }

    private CreatableTopicResult create(CreatableTopic topic) {
        return create(topic, false, LATEST);
    }

    @Test
    void shouldCreateATopicAndAnswerItsIdShapeAndConfigs() {
        harness = MetadataHarness.open(dir);

        CreatableTopicResult result = create(topic("orders", 3, 1, "retention.ms", "1000", "cleanup.policy", "compact"));

        TopicInfo orders = harness.registry().byName("orders").orElseThrow();
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.errorMessage()).isNull();
        assertThat(result.topicId()).isEqualTo(orders.id());
        assertThat(result.numPartitions()).isEqualTo(3);
        assertThat(result.replicationFactor()).isEqualTo((short) 1);
        assertThat(orders.partitions()).isEqualTo(3);
        assertThat(orders.configs()).isEqualTo(Map.of("retention.ms", "1000", "cleanup.policy", "compact"));
        CreatableTopicConfigs retention = result.configs().stream().filter(c -> c.name().equals("retention.ms")).findFirst().orElseThrow();
        assertThat(retention.value()).isEqualTo("1000");
        assertThat(retention.configSource()).isEqualTo(ConfigSource.TOPIC_CONFIG.id());
        CreatableTopicConfigs segment = result.configs().stream().filter(c -> c.name().equals("segment.bytes")).findFirst().orElseThrow();
        assertThat(segment.value()).isEqualTo("1073741824");
        assertThat(segment.configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
    }

    @Test
    void shouldUseTheBrokerDefaultsForMinusOne() {
        harness = MetadataHarness.open(dir, Map.of("num.partitions", "5"));

        CreatableTopicResult result = create(topic("orders", -1, -1));

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.numPartitions()).isEqualTo(5);
        assertThat(harness.registry().byName("orders").orElseThrow().partitions()).isEqualTo(5);
    }

    @Test
    void shouldKeepACreatedTopicAcrossRestarts() {
        harness = MetadataHarness.open(dir);
        Uuid id = create(topic("orders", 2, 1, "max.message.bytes", "5000")).topicId();

        harness.restart();

        assertThat(harness.registry().byName("orders")).contains(new TopicInfo("orders", id, 2, Map.of("max.message.bytes", "5000")));
    }

    @Test
    void shouldOnlyCheckWhenValidateOnly() {
        harness = MetadataHarness.open(dir);

        CreatableTopicResult result = create(topic("orders", 3, 1), true, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.numPartitions()).isEqualTo(3);
        assertThat(harness.registry().byName("orders")).isEmpty();
    }

    @Test
    void shouldRefuseAnExistingTopic() {
        harness = MetadataHarness.open(dir);
        create(topic("orders", 1, 1));

        CreatableTopicResult result = create(topic("orders", 1, 1));

        assertThat(result.errorCode()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS.code());
        assertThat(result.errorMessage()).isEqualTo("Topic 'orders' already exists.");
        assertThat(result.numPartitions()).isEqualTo(-1);
        assertThat(result.topicId()).isEqualTo(Uuid.ZERO_UUID);
    }

    @Test
    void shouldRefuseAnIllegalName() {
        harness = MetadataHarness.open(dir);

        CreatableTopicResult result = create(topic("bad name", 1, 1));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(result.errorMessage()).isEqualTo("Topic name is invalid: 'bad name' contains one or more characters "
                + "other than ASCII alphanumerics, '.', '_' and '-'");
    }

    @Test
    void shouldRefuseANameCollidingWithAnExistingOne() {
        harness = MetadataHarness.open(dir);
        create(topic("ct.1", 1, 1));

        CreatableTopicResult result = create(topic("ct_1", 1, 1));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(result.errorMessage()).isEqualTo("Topic 'ct_1' collides with existing topic: ct.1");
    }

    @Test
    void shouldRefuseAReplicationFactorOneNodeCannotMeet() {
        harness = MetadataHarness.open(dir);

        CreatableTopicResult result = create(topic("orders", 3, 3));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR.code());
        assertThat(result.errorMessage()).startsWith("Unable to replicate the partition 3 time(s)");
        assertThat(harness.registry().all()).isEmpty();
    }

    @Test
    void shouldRefuseAZeroReplicationFactor() {
        harness = MetadataHarness.open(dir);

        assertThat(create(topic("orders", 1, 0)).errorCode()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR.code());
    }

    @Test
    void shouldRefuseANonPositivePartitionCount() {
        harness = MetadataHarness.open(dir);

        CreatableTopicResult result = create(topic("orders", 0, 1));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code());
        assertThat(result.errorMessage()).isEqualTo("Number of partitions was set to an invalid non-positive value.");
    }

    @Test
    void shouldRefuseABadConfigWithKafkasMessage() {
        harness = MetadataHarness.open(dir);

        CreatableTopicResult result = create(topic("orders", 1, 1, "retention.ms", "abc"));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(result.errorMessage()).isEqualTo("Invalid value abc for configuration retention.ms: Not a number of type LONG");
        assertThat(harness.registry().all()).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownConfig() {
        harness = MetadataHarness.open(dir);

        CreatableTopicResult result = create(topic("orders", 1, 1, "nosuch.cfg", "1"));

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(result.errorMessage()).isEqualTo("Unknown topic config name: nosuch.cfg");
    }

    @Test
    void shouldCreateFromReplicaAssignmentsNamingThisNode() {
        harness = MetadataHarness.open(dir);
        CreatableTopic topic = topic("orders", -1, -1);
        topic.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(1)));
        topic.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(1).setBrokerIds(List.of(1)));

        CreatableTopicResult result = create(topic);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(harness.registry().byName("orders").orElseThrow().partitions()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAnAssignmentNamingAnotherBroker() {
        harness = MetadataHarness.open(dir);
        CreatableTopic topic = topic("orders", -1, -1);
        topic.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(2)));

        CreatableTopicResult result = create(topic);

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(result.errorMessage()).contains("broker 2");
    }

    @Test
    void shouldRefuseAnAssignmentNamingThisNodeTwice() {
        harness = MetadataHarness.open(dir);
        CreatableTopic topic = topic("orders", -1, -1);
        topic.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(1, 1)));

        CreatableTopicResult result = create(topic);

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(result.errorMessage()).isEqualTo("The manual partition assignment includes the broker 1 more than once.");
    }

    @Test
    void shouldRefuseAssignmentsThatSkipAPartition() {
        harness = MetadataHarness.open(dir);
        CreatableTopic topic = topic("orders", -1, -1);
        topic.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(1)));
        topic.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(2).setBrokerIds(List.of(1)));

        CreatableTopicResult result = create(topic);

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(result.errorMessage()).isEqualTo("partitions should be a consecutive 0-based integer sequence");
    }

    @Test
    void shouldRefuseAssignmentsTogetherWithACount() {
        harness = MetadataHarness.open(dir);
        CreatableTopic topic = topic("orders", 2, -1);
        topic.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(1)));

        CreatableTopicResult result = create(topic);

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(result.errorMessage()).isEqualTo("A manual partition assignment was specified, but numPartitions was not set to -1.");
    }

    @Test
    void shouldRefuseANameGivenTwiceInOneRequest() {
        harness = MetadataHarness.open(dir);
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(5000);
        request.topics().add(topic("orders", 1, 1));
        request.topics().add(topic("orders", 2, 1));

        CreateTopicsResponseData response = harness.call(request, LATEST);

        assertThat(response.topics()).extracting(CreatableTopicResult::errorCode, CreatableTopicResult::errorMessage)
                .containsExactly(org.assertj.core.api.Assertions.tuple(Errors.INVALID_REQUEST.code(), "Duplicate topic name."));
        assertThat(harness.registry().all()).isEmpty();
    }

    @Test
    void shouldAnswerEveryVersionTheMessageClassesDefine() {
        harness = MetadataHarness.open(dir);

        for (short version = ApiKeys.CREATE_TOPICS.oldestVersion(); version <= LATEST; version++) {
            CreatableTopicResult result = create(topic("topic-" + version, 2, 1), false, version);

            assertThat(result.errorCode()).as("v%d", version).isEqualTo(Errors.NONE.code());
            assertThat(harness.registry().byName("topic-" + version)).as("v%d", version).isPresent();
            assertThat(result.configs().isEmpty()).as("v%d configs", version).isEqualTo(version < 5);
        }
    }

    @Test
    void shouldAnswerAnErrorAtEveryVersion() {
        harness = MetadataHarness.open(dir);

        for (short version = ApiKeys.CREATE_TOPICS.oldestVersion(); version <= LATEST; version++) {
            CreatableTopicResult result = create(topic("bad name", 1, 1), false, version);

            assertThat(result.errorCode()).as("v%d", version).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
    }

    /** controller_mutation_rate 2 for the harness's client: a bucket of 22 partitions (KIP-599). */
    private void limitMutations() {
        harness.registry().changeClientQuotas(new QuotaEntity(Map.of(QuotaEntity.CLIENT_ID, "harness")),
                Map.of(MutationRateQuota.KEY, 2.0));
    }

    private CreateTopicsResponseData createTwo(short version, boolean validateOnly) {
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(5000).setValidateOnly(validateOnly);
        request.topics().add(topic("first", 30, 1));
        request.topics().add(topic("second", 30, 1));
        return harness.call(request, version);
    }

    @Test
    void shouldRefuseATopicOverTheMutationQuotaFromVersion6() {
        harness = MetadataHarness.open(dir);
        limitMutations();
        CreateTopicsResponseData response = createTwo(LATEST, false);
        assertThat(response.topics()).extracting(CreatableTopicResult::name, r -> Errors.forCode(r.errorCode()))
                .containsExactly(tuple("first", Errors.NONE), tuple("second", Errors.THROTTLING_QUOTA_EXCEEDED));
        assertThat(response.topics().find("second").errorMessage()).isEqualTo("The throttling quota has been exceeded.");
        assertThat(response.throttleTimeMs()).as("8 partitions at 2 a second").isBetween(1, 4000);
        assertThat(harness.registry().byName("first")).isPresent();
        assertThat(harness.registry().byName("second")).isEmpty();
    }

    @Test
    void shouldCreateEveryTopicBeforeVersion6AndThrottleTheAnswer() {
        harness = MetadataHarness.open(dir);
        limitMutations();
        CreateTopicsResponseData response = createTwo((short) 5, false);
        assertThat(response.topics()).extracting(r -> Errors.forCode(r.errorCode()))
                .containsExactly(Errors.NONE, Errors.NONE);
        assertThat(response.throttleTimeMs()).as("38 partitions at 2 a second").isBetween(15_000, 19_000);
        assertThat(harness.registry().byName("second")).isPresent();
    }

    @Test
    void shouldCountAValidateOnlyCreationAgainstTheMutationQuota() {
        harness = MetadataHarness.open(dir);
        limitMutations();
        CreateTopicsResponseData checked = createTwo(LATEST, true);
        assertThat(checked.topics()).extracting(r -> Errors.forCode(r.errorCode()))
                .containsExactly(Errors.NONE, Errors.THROTTLING_QUOTA_EXCEEDED);
        assertThat(harness.registry().byName("first")).as("only checked").isEmpty();
        assertThat(Errors.forCode(create(topic("third", 1, 1)).errorCode())).isEqualTo(Errors.THROTTLING_QUOTA_EXCEEDED);
    }
}

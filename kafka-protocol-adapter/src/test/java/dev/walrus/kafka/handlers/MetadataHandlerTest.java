package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.MetadataHarness;
import dev.walrus.kafka.metadata.TopicInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetadataHandlerTest {

    private static final short LATEST = ApiKeys.METADATA.latestVersion();

    @TempDir
    Path dir;

    private MetadataHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private TopicInfo create(String name, int partitions) {
        TopicInfo topic = harness.registry().create(name, partitions, Map.of(), false).value();
        harness.registry().durable().join();
        return topic;
    }

    private static MetadataRequestData ask(boolean allowAutoCreation, String... names) {
        MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(allowAutoCreation);
        List<MetadataRequestTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new MetadataRequestTopic().setName(name));
        }
        return request.setTopics(topics);
    }

    private MetadataResponseData call(MetadataRequestData request, short version) {
        return harness.call(request, version);
    }

    @Test
    void shouldReportThisNodeAsTheOnlyBrokerAndTheController() {
        harness = MetadataHarness.open(dir, Map.of("node.id", "7", "broker.rack", "r1"));

        MetadataResponseData response = call(ask(false), LATEST);

        assertThat(response.brokers()).hasSize(1);
        MetadataResponseData.MetadataResponseBroker broker = response.brokers().iterator().next();
        assertThat(broker.nodeId()).isEqualTo(7);
        assertThat(broker.host()).isEqualTo(MetadataHarness.HOST);
        assertThat(broker.port()).isEqualTo(MetadataHarness.PORT);
        assertThat(broker.rack()).isEqualTo("r1");
        assertThat(response.controllerId()).isEqualTo(7);
        assertThat(response.clusterId()).isEqualTo(harness.module().clusterId());
    }

    @Test
    void shouldDescribeEveryPartitionWithThisNodeAsLeaderReplicaAndInSyncReplica() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 3);

        MetadataResponseData response = call(ask(false, "orders"), LATEST);

        MetadataResponseTopic topic = response.topics().find("orders");
        assertThat(topic.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(topic.topicId()).isEqualTo(orders.id());
        assertThat(topic.isInternal()).isFalse();
        assertThat(topic.partitions()).extracting(MetadataResponsePartition::partitionIndex).containsExactly(0, 1, 2);
        for (MetadataResponsePartition partition : topic.partitions()) {
            assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(partition.leaderId()).isEqualTo(1);
            assertThat(partition.leaderEpoch()).isZero();
            assertThat(partition.replicaNodes()).containsExactly(1);
            assertThat(partition.isrNodes()).containsExactly(1);
            assertThat(partition.offlineReplicas()).isEmpty();
        }
    }

    @Test
    void shouldListEveryTopicWhenTopicsAreNull() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);
        create("audit", 2);

        MetadataResponseData response = call(new MetadataRequestData().setTopics(null), LATEST);

        assertThat(response.topics()).extracting(MetadataResponseTopic::name).containsExactly("audit", "orders");
    }

    @Test
    void shouldListEveryTopicForAnEmptyListAtVersionZero() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);

        MetadataResponseData response = call(ask(true), (short) 0);

        assertThat(response.topics()).extracting(MetadataResponseTopic::name).containsExactly("orders");
    }

    @Test
    void shouldListNoTopicForAnEmptyListFromVersionOne() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);

        MetadataResponseData response = call(ask(true), (short) 1);

        assertThat(response.topics()).isEmpty();
    }

    @Test
    void shouldAutoCreateAnUnknownTopicAndAnswerItAtOnce() {
        harness = MetadataHarness.open(dir, Map.of("num.partitions", "2"));

        MetadataResponseData response = call(ask(true, "clicks"), LATEST);

        MetadataResponseTopic topic = response.topics().find("clicks");
        assertThat(topic.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(topic.partitions()).hasSize(2);
        assertThat(harness.registry().byName("clicks")).get().extracting(TopicInfo::id).isEqualTo(topic.topicId());
    }

    @Test
    void shouldKeepAnAutoCreatedTopicAcrossRestarts() {
        harness = MetadataHarness.open(dir);
        Uuid id = call(ask(true, "clicks"), LATEST).topics().find("clicks").topicId();

        harness.restart();

        assertThat(harness.registry().byName("clicks")).get().extracting(TopicInfo::id).isEqualTo(id);
    }

    @Test
    void shouldAnswerUnknownTopicWhenTheRequestDisallowsAutoCreation() {
        harness = MetadataHarness.open(dir);

        MetadataResponseData response = call(ask(false, "clicks"), LATEST);

        assertThat(response.topics().find("clicks").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(harness.registry().all()).isEmpty();
    }

    @Test
    void shouldAnswerUnknownTopicWhenTheBrokerDisablesAutoCreation() {
        harness = MetadataHarness.open(dir, Map.of("auto.create.topics.enable", "false"));

        MetadataResponseData response = call(ask(true, "clicks"), LATEST);

        assertThat(response.topics().find("clicks").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(harness.registry().all()).isEmpty();
    }

    @Test
    void shouldAnswerInvalidTopicForAnIllegalName() {
        harness = MetadataHarness.open(dir);

        MetadataResponseData response = call(ask(true, "bad name"), LATEST);

        assertThat(response.topics().find("bad name").errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(harness.registry().all()).isEmpty();
    }

    @Test
    void shouldNotAutoCreateKafkasInternalTopics() {
        harness = MetadataHarness.open(dir);

        MetadataResponseData response = call(ask(true, "__consumer_offsets"), LATEST);

        MetadataResponseTopic topic = response.topics().find("__consumer_offsets");
        assertThat(topic.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(topic.isInternal()).isTrue();
    }

    @Test
    void shouldLookUpTopicsById() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 1);
        Uuid unknown = Uuid.randomUuid();
        MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(false).setTopics(List.of(
                new MetadataRequestTopic().setName(null).setTopicId(orders.id()),
                new MetadataRequestTopic().setName(null).setTopicId(unknown)));

        MetadataResponseData response = call(request, LATEST);

        List<MetadataResponseTopic> topics = new ArrayList<>(response.topics());
        assertThat(topics.get(0).name()).isEqualTo("orders");
        assertThat(topics.get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(topics.get(1).topicId()).isEqualTo(unknown);
        assertThat(topics.get(1).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    @Test
    void shouldLookUpByIdAndIgnoreNamesOnceAnyTopicIsAskedForById() {
        // Kafka's consumer (KIP-848) resolves assigned topic IDs with an empty name beside the ID
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 1);
        MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(false).setTopics(List.of(
                new MetadataRequestTopic().setName("").setTopicId(orders.id())));

        MetadataResponseData response = call(request, LATEST);

        assertThat(response.topics()).hasSize(1);
        MetadataResponseTopic topic = response.topics().iterator().next();
        assertThat(topic.name()).isEqualTo("orders");
        assertThat(topic.topicId()).isEqualTo(orders.id());
        assertThat(topic.errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void shouldReportAuthorizedOperationsOnlyWhenAsked() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);

        MetadataResponseData asked = call(ask(false, "orders").setIncludeTopicAuthorizedOperations(true)
                .setIncludeClusterAuthorizedOperations(true), (short) 8);
        MetadataResponseData notAsked = call(ask(false, "orders"), (short) 8);

        assertThat(asked.topics().find("orders").topicAuthorizedOperations()).isEqualTo(3576);
        assertThat(asked.clusterAuthorizedOperations()).isEqualTo(8096);
        assertThat(notAsked.topics().find("orders").topicAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void shouldAnswerEveryVersionTheMessageClassesDefine() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 2);

        for (short version = ApiKeys.METADATA.oldestVersion(); version <= LATEST; version++) {
            MetadataResponseData response = call(ask(true, "orders", "new-" + version), version);

            assertThat(response.topics().find("orders").partitions()).as("v%d", version).hasSize(2);
            assertThat(response.topics().find("new-" + version).errorCode()).as("v%d", version).isEqualTo(Errors.NONE.code());
            assertThat(response.topics().find("orders").topicId()).as("v%d", version)
                    .isEqualTo(version >= 10 ? orders.id() : Uuid.ZERO_UUID);
            assertThat(response.clusterId()).as("v%d", version).isEqualTo(version >= 2 ? harness.module().clusterId() : null);
        }
    }
}

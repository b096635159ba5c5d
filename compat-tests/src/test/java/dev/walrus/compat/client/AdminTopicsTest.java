package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Admin client: create, describe, delete topics; create partitions; describe topic and broker configs. */
@ExtendWith(BrokerExtension.class)
class AdminTopicsTest {

    private TargetBroker broker;
    private Admin admin;

    @BeforeEach
    void openAdmin(TargetBroker broker) {
        this.broker = broker;
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void shouldCreateATopicThatDescribeShowsWithItsPartitionsAndThisNodeAsLeader() throws Exception {
        String topic = TestTopics.unique("admin-create");
        CreateTopicsResult created = admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)));
        created.all().get(30, TimeUnit.SECONDS);
        assertThat(created.numPartitions(topic).get()).isEqualTo(3);
        assertThat(created.replicationFactor(topic).get()).isEqualTo(1);
        Uuid id = created.topicId(topic).get();
        assertThat(id).isNotEqualTo(Uuid.ZERO_UUID);

        TopicDescription description = describe(topic);
        int nodeId = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();
        assertThat(description.name()).isEqualTo(topic);
        assertThat(description.topicId()).isEqualTo(id);
        assertThat(description.isInternal()).isFalse();
        assertThat(description.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2);
        assertThat(description.partitions()).allSatisfy(p -> {
            assertThat(p.leader().id()).isEqualTo(nodeId);
            assertThat(p.replicas()).extracting(n -> n.id()).containsExactly(nodeId);
            assertThat(p.isr()).extracting(n -> n.id()).containsExactly(nodeId);
        });
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
    }

    @Test
    void shouldValidateWithoutCreating() throws Exception {
        String topic = TestTopics.unique("admin-validate-only");
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)), new CreateTopicsOptions().validateOnly(true))
            .all().get(30, TimeUnit.SECONDS);

        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(topic);
    }

    @Test
    void shouldRefuseToCreateATopicThatExists() {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "admin-exists", 1);

        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS))
            .cause().isInstanceOf(TopicExistsException.class);
    }

    @Test
    void shouldReportAnUnknownTopicOnDescribe() {
        assertThatThrownBy(() -> describe(TestTopics.unique("admin-never-created")))
            .cause().isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void shouldDeleteATopicByName() throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "admin-delete-name", 2);

        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);

        assertGone(topic);
    }

    @Test
    void shouldDeleteATopicById() throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "admin-delete-id", 1);
        Uuid id = describe(topic).topicId();

        admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get(30, TimeUnit.SECONDS);

        assertGone(topic);
    }

    @Test
    void shouldReportAnUnknownTopicOnDelete() {
        assertThatThrownBy(() -> admin.deleteTopics(List.of(TestTopics.unique("admin-delete-unknown"))).all()
                .get(30, TimeUnit.SECONDS))
            .cause().isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void shouldAddPartitionsThatAcceptRecords() throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "admin-partitions", 1);

        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get(30, TimeUnit.SECONDS);

        assertThat(describe(topic).partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            assertThat(producer.send(new ProducerRecord<>(topic, 2, "k", "v")).get(30, TimeUnit.SECONDS).offset()).isZero();
        }
    }

    @Test
    void shouldRefuseToShrinkPartitions() {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "admin-partitions-shrink", 3);

        assertThatThrownBy(() -> admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2))).all()
                .get(30, TimeUnit.SECONDS))
            .cause().isInstanceOf(InvalidPartitionsException.class);
    }

    @Test
    void shouldDescribeTopicConfigsWithDefaultsAndOverrides() throws Exception {
        String topic = TestTopics.unique("admin-configs");
        TestTopics.create(admin, topic, 1, Map.of("retention.ms", "123456789", "cleanup.policy", "delete"));

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);

        ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.value()).isEqualTo("123456789");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(retention.isDefault()).isFalse();
        ConfigEntry segment = config.get("max.message.bytes");
        assertThat(segment).as("max.message.bytes is described").isNotNull();
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(config.get("message.timestamp.type")).as("message.timestamp.type is described").isNotNull();
        if (broker.startedBySuite()) {
            ConfigEntry compression = config.get("compression.type");
            assertThat(compression.value()).isEqualTo("producer");
            assertThat(compression.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(compression.isDefault()).isTrue();
            assertThat(config.get("max.message.bytes").value()).isEqualTo("1048588");
            assertThat(config.get("message.timestamp.type").value()).isEqualTo("CreateTime");
        }
    }

    @Test
    void shouldDescribeTheBrokersConfigs() throws Exception {
        Assumptions.assumeTrue(broker.startedBySuite(), "an external broker's configuration is its own");
        String nodeId = String.valueOf(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, nodeId);

        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);

        ConfigEntry maxBytes = config.get("message.max.bytes");
        assertThat(maxBytes.value()).isEqualTo("1048588");
        assertThat(maxBytes.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("true");
        assertThat(config.get("socket.request.max.bytes").value()).isEqualTo("104857600");
    }

    private TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }

    /** Deletion is acknowledged by the controller; the broker's metadata may follow a moment later. */
    private void assertGone(String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Set<String> names;
        do {
            names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } while (names.contains(topic) && System.nanoTime() < deadline && sleep());
        assertThat(names).doesNotContain(topic);
        assertThatThrownBy(() -> describe(topic)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }
}

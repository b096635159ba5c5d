package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Admin client calls the other Admin* tests leave out: topic IDs, offset specs, group offsets, listGroups, features. */
@ExtendWith(BrokerExtension.class)
class AdminSweepTest {

    private static final long T = 30;
    /** Record timestamps are BASE + 1000, 3000, 2000: recent, so no broker refuses them as too old. */
    private static final long BASE = System.currentTimeMillis() - 600_000;

    private TargetBroker broker;
    private String bootstrap;
    private Admin admin;

    @BeforeEach
    void openAdmin(TargetBroker broker) {
        this.broker = broker;
        bootstrap = broker.bootstrapServers();
        admin = Clients.admin(bootstrap);
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    // ---- topics by ID, authorized operations, internal topics

    @Test
    void shouldDescribeTopicsByTheirIds() throws Exception {
        String a = TestTopics.createUnique(bootstrap, "sweep-id-a", 2);
        String b = TestTopics.createUnique(bootstrap, "sweep-id-b", 3);
        Uuid idA = describe(a).topicId();
        Uuid idB = describe(b).topicId();

        Map<Uuid, TopicDescription> byId = admin.describeTopics(TopicCollection.ofTopicIds(List.of(idA, idB)))
            .allTopicIds().get(T, TimeUnit.SECONDS);

        assertThat(byId).containsOnlyKeys(idA, idB);
        assertThat(byId.get(idA).name()).isEqualTo(a);
        assertThat(byId.get(idA).partitions()).hasSize(2);
        assertThat(byId.get(idB).name()).isEqualTo(b);
        assertThat(byId.get(idB).partitions()).hasSize(3);
    }

    @Test
    void shouldReportAnUnknownTopicIdOnDescribe() {
        assertThatThrownBy(() -> admin.describeTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid())))
                .allTopicIds().get(T, TimeUnit.SECONDS))
            .cause().isInstanceOf(UnknownTopicIdException.class);
    }

    @Test
    void shouldReportAnUnknownTopicIdOnDelete() {
        assertThatThrownBy(() -> admin.deleteTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid())))
                .all().get(T, TimeUnit.SECONDS))
            .cause().isInstanceOf(UnknownTopicIdException.class);
    }

    @Test
    void shouldDescribeEveryTopicOperationAsAuthorizedWithoutAnAuthorizer() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-authops", 1);

        TopicDescription description = admin.describeTopics(List.of(topic),
                new DescribeTopicsOptions().includeAuthorizedOperations(true))
            .allTopicNames().get(T, TimeUnit.SECONDS).get(topic);

        assertThat(description.authorizedOperations()).containsExactlyInAnyOrder(AclOperation.READ, AclOperation.WRITE,
            AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    }

    @Test
    void shouldLeaveOutAuthorizedOperationsUnlessAsked() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-authops-no", 1);

        assertThat(describe(topic).authorizedOperations()).isNull();
    }

    @Test
    void shouldListTheOffsetsTopicWhenInternalTopicsAreAskedFor() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-internal", 1);
        commitOffsets("sweep-internal-" + UUID.randomUUID(), Map.of(new TopicPartition(topic, 0), 0L));

        assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true)).listings().get(T, TimeUnit.SECONDS))
            .filteredOn(l -> l.name().equals("__consumer_offsets")).singleElement()
            .satisfies(l -> assertThat(l.isInternal()).isTrue());
        assertThat(describe("__consumer_offsets").isInternal()).isTrue();
    }

    @Test
    void shouldLeaveInternalTopicsOutOfAPlainListing() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-internal-plain", 1);
        commitOffsets("sweep-internal-plain-" + UUID.randomUUID(), Map.of(new TopicPartition(topic, 0), 0L));

        assertThat(admin.listTopics().names().get(T, TimeUnit.SECONDS)).contains(topic).doesNotContain("__consumer_offsets");
        assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(T, TimeUnit.SECONDS))
            .contains(topic);
    }

    @Test
    void shouldDescribeClusterWithEveryClusterOperationAuthorizedWithoutAnAuthorizer() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true));

        assertThat(cluster.authorizedOperations().get(T, TimeUnit.SECONDS)).containsExactlyInAnyOrder(
            AclOperation.CREATE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE);
        int nodeId = cluster.nodes().get(T, TimeUnit.SECONDS).iterator().next().id();
        assertThat(cluster.controller().get(T, TimeUnit.SECONDS).id()).isEqualTo(nodeId);
        assertThat(admin.describeCluster().authorizedOperations().get(T, TimeUnit.SECONDS)).isNull();
    }

    // ---- createTopics / createPartitions variants

    @Test
    void shouldReturnTheConfigsOfACreatedTopic() throws Exception {
        String topic = TestTopics.unique("sweep-create-configs");
        CreateTopicsResult created = admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
            .configs(Map.of("retention.ms", "7200000"))));
        Config config = created.config(topic).get(T, TimeUnit.SECONDS);

        assertThat(config.get("retention.ms").value()).isEqualTo("7200000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(config.get("cleanup.policy").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void shouldUseTheBrokerDefaultsForPartitionsAndReplicationFactor() throws Exception {
        String topic = TestTopics.unique("sweep-create-defaults");
        CreateTopicsResult created = admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())));
        created.all().get(T, TimeUnit.SECONDS);

        assertThat(created.numPartitions(topic).get()).isEqualTo(1);
        assertThat(created.replicationFactor(topic).get()).isEqualTo(1);
        assertThat(describe(topic).partitions()).hasSize(1);
    }

    @Test
    void shouldCreateATopicWithAManualReplicaAssignment() throws Exception {
        int nodeId = nodeId();
        String topic = TestTopics.unique("sweep-create-assign");
        admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(nodeId), 1, List.of(nodeId)))))
            .all().get(T, TimeUnit.SECONDS);

        assertThat(describe(topic).partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1);
    }

    @Test
    void shouldRefuseAReplicationFactorAboveTheBrokerCount() {
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(TestTopics.unique("sweep-rf3"), 1, (short) 3)))
                .all().get(T, TimeUnit.SECONDS))
            .cause().isInstanceOf(InvalidReplicationFactorException.class)
            .hasMessage("Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be "
                + "reached because only 1 broker(s) are registered or some brokers have all their log directories cordoned.");
    }

    @Test
    void shouldRefuseAnInvalidConfigValueEvenWhenOnlyValidating() {
        String topic = TestTopics.unique("sweep-create-badcfg");
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "nonsense"))), new CreateTopicsOptions().validateOnly(true))
                .all().get(T, TimeUnit.SECONDS))
            .cause().isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void shouldRefuseATopicWhoseNameCollidesWithAnExistingOne() {
        String base = TestTopics.unique("sweep_collide");
        TestTopics.create(admin, base, 1);
        String colliding = base.replace('_', '.');

        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(colliding, 1, (short) 1)))
                .all().get(T, TimeUnit.SECONDS))
            .cause().isInstanceOf(InvalidTopicException.class)
            .hasMessage("Topic '" + colliding + "' collides with existing topic: " + base);
    }

    @Test
    void shouldRefuseATopicNameOver249Characters() {
        String name = "n".repeat(250);
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(name, 1, (short) 1)))
                .all().get(T, TimeUnit.SECONDS))
            .cause().isInstanceOf(InvalidTopicException.class);
    }

    @Test
    void shouldValidateNewPartitionsWithoutAddingThem() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-partitions-validate", 1);

        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4)), new CreatePartitionsOptions().validateOnly(true))
            .all().get(T, TimeUnit.SECONDS);

        assertThat(describe(topic).partitions()).hasSize(1);
    }

    @Test
    void shouldRefuseToCreatePartitionsToTheSameCount() {
        String topic = TestTopics.createUnique(bootstrap, "sweep-partitions-same", 2);

        assertThatThrownBy(() -> admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2))).all()
                .get(T, TimeUnit.SECONDS))
            .cause().isInstanceOf(InvalidPartitionsException.class)
            .hasMessage("Topic already has 2 partition(s).");
    }

    // ---- describeConfigs options

    @Test
    void shouldDescribeConfigsWithTheirDocumentationOnlyWhenAsked() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-doc", 1);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);

        Config withDoc = admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeDocumentation(true))
            .all().get(T, TimeUnit.SECONDS).get(resource);
        Config withoutDoc = admin.describeConfigs(List.of(resource)).all().get(T, TimeUnit.SECONDS).get(resource);

        assertThat(withDoc.get("retention.ms").documentation()).startsWith("This configuration controls the maximum time");
        assertThat(withDoc.get("retention.ms").type()).isEqualTo(ConfigEntry.ConfigType.LONG);
        assertThat(withoutDoc.get("retention.ms").documentation()).isNull();
    }

    @Test
    void shouldDescribeTheSynonymsOfAnOverriddenTopicConfig() throws Exception {
        String topic = TestTopics.unique("sweep-synonyms");
        TestTopics.create(admin, topic, 1, Map.of("retention.ms", "3600000"));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);

        ConfigEntry entry = admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
            .all().get(T, TimeUnit.SECONDS).get(resource).get("retention.ms");

        assertThat(entry.synonyms()).extracting(s -> s.name() + "=" + s.value() + ":" + s.source())
            .containsExactly("retention.ms=3600000:DYNAMIC_TOPIC_CONFIG");
    }

    // ---- listOffsets with each OffsetSpec

    @Test
    void shouldListOffsetsForTimestampsAndTheMaxTimestamp() throws Exception {
        TopicPartition tp = topicWithTimestamps("sweep-offsets-ts");

        assertThat(offset(tp, OffsetSpec.forTimestamp(BASE + 1_500))).isEqualTo(1);
        assertThat(timestamp(tp, OffsetSpec.forTimestamp(BASE + 1_500))).isEqualTo(BASE + 3_000);
        assertThat(offset(tp, OffsetSpec.forTimestamp(BASE + 3_000))).isEqualTo(1);
        assertThat(offset(tp, OffsetSpec.forTimestamp(BASE + 9_000))).isEqualTo(-1);
        assertThat(offset(tp, OffsetSpec.maxTimestamp())).isEqualTo(1);
        assertThat(timestamp(tp, OffsetSpec.maxTimestamp())).isEqualTo(BASE + 3_000);
    }

    @Test
    void shouldListTheEarliestLocalOffsetAsTheLogStart() throws Exception {
        TopicPartition tp = topicWithTimestamps("sweep-offsets-local");

        ListOffsetsResultInfo info = listOffset(tp, OffsetSpec.earliestLocal());
        assertThat(info.offset()).isZero();
        assertThat(info.leaderEpoch()).contains(0);
    }

    @Test
    void shouldListNoLatestTieredOffsetWithoutTieredStorage() throws Exception {
        TopicPartition tp = topicWithTimestamps("sweep-offsets-tiered");

        ListOffsetsResultInfo info = listOffset(tp, OffsetSpec.latestTiered());
        assertThat(info.offset()).isEqualTo(-1);
        assertThat(info.timestamp()).isEqualTo(-1);
    }

    @Test
    void shouldListNoEarliestPendingUploadOffsetWithoutTieredStorage() throws Exception {
        TopicPartition tp = topicWithTimestamps("sweep-offsets-pending");

        ListOffsetsResultInfo info = listOffset(tp, OffsetSpec.earliestPendingUpload());
        assertThat(info.offset()).isEqualTo(-1);
        assertThat(info.timestamp()).isEqualTo(-1);
    }

    @Test
    void shouldListOffsetsOfSeveralTopicsAndSpecsInOneCall() throws Exception {
        TopicPartition a = topicWithTimestamps("sweep-offsets-multi-a");
        String b = TestTopics.createUnique(bootstrap, "sweep-offsets-multi-b", 2);
        TopicPartition b1 = new TopicPartition(b, 1);

        Map<TopicPartition, ListOffsetsResultInfo> all = admin.listOffsets(Map.of(a, OffsetSpec.latest(),
            b1, OffsetSpec.earliest(), new TopicPartition(b, 0), OffsetSpec.maxTimestamp())).all().get(T, TimeUnit.SECONDS);

        assertThat(all.get(a).offset()).isEqualTo(3);
        assertThat(all.get(b1).offset()).isZero();
        assertThat(all.get(new TopicPartition(b, 0)).offset()).isEqualTo(-1);
    }

    @Test
    void shouldTimeOutListingOffsetsOfAPartitionThatDoesNotExist() {
        String topic = TestTopics.createUnique(bootstrap, "sweep-offsets-unknown", 1);

        assertThatThrownBy(() -> admin.listOffsets(Map.of(new TopicPartition(topic, 5), OffsetSpec.latest()),
                    new org.apache.kafka.clients.admin.ListOffsetsOptions().timeoutMs(5_000))
                .all().get(T, TimeUnit.SECONDS))
            .cause().isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }

    // ---- consumer group offsets

    @Test
    void shouldAlterTheOffsetsOfAGroupWithoutMembers() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-alter-offsets", 2);
        String group = "sweep-alter-" + UUID.randomUUID();
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);

        admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(2), p1, new OffsetAndMetadata(5, "meta")))
            .all().get(T, TimeUnit.SECONDS);

        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get(T, TimeUnit.SECONDS);
        assertThat(offsets).containsOnlyKeys(p0, p1);
        assertThat(offsets.get(p0).offset()).isEqualTo(2);
        assertThat(offsets.get(p0).metadata()).isEmpty();
        assertThat(offsets.get(p1).offset()).isEqualTo(5);
        assertThat(offsets.get(p1).metadata()).isEqualTo("meta");
    }

    @Test
    void shouldListTheOffsetsOfSeveralGroupsAtOnce() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-multi-groups", 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        String g1 = "sweep-g1-" + UUID.randomUUID();
        String g2 = "sweep-g2-" + UUID.randomUUID();
        String g3 = "sweep-g3-" + UUID.randomUUID();
        commitOffsets(g1, Map.of(p0, 1L, p1, 2L));
        commitOffsets(g2, Map.of(p0, 7L));

        Map<String, Map<TopicPartition, OffsetAndMetadata>> all = admin.listConsumerGroupOffsets(Map.of(
                g1, new ListConsumerGroupOffsetsSpec(),
                g2, new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(p0, p1)),
                g3, new ListConsumerGroupOffsetsSpec()))
            .all().get(T, TimeUnit.SECONDS);

        assertThat(all).containsOnlyKeys(g1, g2, g3);
        assertThat(offsets(all.get(g1))).isEqualTo(Map.of(p0, 1L, p1, 2L));
        assertThat(all.get(g2).get(p0).offset()).isEqualTo(7);
        assertThat(all.get(g2)).containsKey(p1);
        assertThat(all.get(g2).get(p1)).isNull();
        assertThat(all.get(g3)).isEmpty();
    }

    @Test
    void shouldDeleteOneCommittedOffsetOfAGroupAndKeepTheOther() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-delete-offsets", 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        String group = "sweep-del-" + UUID.randomUUID();
        commitOffsets(group, Map.of(p0, 3L, p1, 4L));

        admin.deleteConsumerGroupOffsets(group, Set.of(p0)).all().get(T, TimeUnit.SECONDS);

        assertThat(offsets(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(T, TimeUnit.SECONDS)))
            .isEqualTo(Map.of(p1, 4L));
    }

    @Test
    void shouldReportAnUnknownGroupOnDeleteOffsets() {
        String topic = TestTopics.createUnique(bootstrap, "sweep-delete-offsets-unknown", 1);
        assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets("sweep-nogroup-" + UUID.randomUUID(),
                Set.of(new TopicPartition(topic, 0))).all().get(T, TimeUnit.SECONDS))
            .cause().isInstanceOf(GroupIdNotFoundException.class);
    }

    @Test
    void shouldRefuseToDeleteTheOffsetsOfATopicAnActiveMemberConsumes() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-delete-offsets-active", 1);
        String group = "sweep-active-" + UUID.randomUUID();
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> member = activeMember(group, topic, Map.of())) {
            member.commitSync(Map.of(p0, new OffsetAndMetadata(0)));

            assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets(group, Set.of(p0)).all().get(T, TimeUnit.SECONDS))
                .cause().isInstanceOf(GroupSubscribedToTopicException.class);
        }
    }

    @Test
    void shouldRefuseToAlterTheOffsetsOfAGroupWithAnActiveMember() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-alter-active", 1);
        String group = "sweep-alter-active-" + UUID.randomUUID();
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> member = activeMember(group, topic, Map.of())) {
            assertThatThrownBy(() -> admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(1)))
                    .all().get(T, TimeUnit.SECONDS))
                .cause().isInstanceOf(UnknownMemberIdException.class);
        }
    }

    @Test
    void shouldRemoveAStaticMemberThatLeftWithoutLeaving() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-remove-static", 1);
        String group = "sweep-static-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> member = activeMember(group, topic,
                Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-1"))) {
            // closing a static member does not leave the group
        }
        assertThat(describeGroup(group).members()).extracting(m -> m.groupInstanceId().orElse(null))
            .containsExactly("instance-1");

        admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(
            List.of(new MemberToRemove("instance-1")))).all().get(T, TimeUnit.SECONDS);

        ConsumerGroupDescription after = describeGroup(group);
        assertThat(after.members()).isEmpty();
        assertThat(after.groupState()).isEqualTo(GroupState.EMPTY);
    }

    @Test
    void shouldReportAnUnknownStaticMemberOnRemove() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-remove-unknown", 1);
        String group = "sweep-remove-unknown-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> member = activeMember(group, topic, Map.of())) {
            assertThatThrownBy(() -> admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(
                    List.of(new MemberToRemove("nobody")))).all().get(T, TimeUnit.SECONDS))
                .cause().isInstanceOf(UnknownMemberIdException.class);
        }
    }

    // ---- groups

    @Test
    void shouldDescribeAGroupWithOnlyCommittedOffsetsAsAnEmptyClassicGroup() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-simple-group", 1);
        String group = "sweep-simple-" + UUID.randomUUID();
        commitOffsets(group, Map.of(new TopicPartition(topic, 0), 1L));

        ConsumerGroupDescription description = describeGroup(group);

        assertThat(description.groupState()).isEqualTo(GroupState.EMPTY);
        assertThat(description.type()).isEqualTo(GroupType.CLASSIC);
        assertThat(description.isSimpleConsumerGroup()).isTrue();
        assertThat(description.members()).isEmpty();
        assertThat(description.partitionAssignor()).isEmpty();
    }

    @Test
    void shouldReportAnUnknownGroupOnDescribe() {
        assertThatThrownBy(() -> describeGroup("sweep-never-" + UUID.randomUUID()))
            .cause().isInstanceOf(GroupIdNotFoundException.class);
    }

    @Test
    void shouldListGroupsByTypeAndState() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-list-groups", 1);
        String empty = "sweep-list-empty-" + UUID.randomUUID();
        String consumer = "sweep-list-consumer-" + UUID.randomUUID();
        commitOffsets(empty, Map.of(new TopicPartition(topic, 0), 0L));
        try (KafkaConsumer<String, String> member = activeMember(consumer, topic,
                Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"))) {
            Map<String, GroupListing> all = groups(new ListGroupsOptions());
            assertThat(all.get(empty).type()).contains(GroupType.CLASSIC);
            assertThat(all.get(empty).groupState()).contains(GroupState.EMPTY);
            assertThat(all.get(empty).protocol()).isEmpty();
            assertThat(all.get(consumer).type()).contains(GroupType.CONSUMER);
            assertThat(all.get(consumer).groupState()).contains(GroupState.STABLE);
            assertThat(all.get(consumer).protocol()).isEqualTo("consumer");

            assertThat(groups(new ListGroupsOptions().withTypes(Set.of(GroupType.CLASSIC)))).containsKey(empty)
                .doesNotContainKey(consumer);
            assertThat(groups(new ListGroupsOptions().withTypes(Set.of(GroupType.CONSUMER)))).containsKey(consumer)
                .doesNotContainKey(empty);
            assertThat(groups(new ListGroupsOptions().inGroupStates(Set.of(GroupState.EMPTY)))).containsKey(empty)
                .doesNotContainKey(consumer);
            assertThat(groups(ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.STABLE))))
                .containsKey(consumer).doesNotContainKey(empty);
            assertThat(groups(new ListGroupsOptions().withProtocolTypes(Set.of("consumer")))).containsKey(consumer)
                .doesNotContainKey(empty);
        }
    }

    // ---- features, producers

    @Test
    void shouldDescribeTheFinalizedFeaturesClientsNegotiate() throws Exception {
        FeatureMetadata features = admin.describeFeatures().featureMetadata().get(T, TimeUnit.SECONDS);

        assertThat(features.finalizedFeatures()).containsKeys("metadata.version", "group.version", "transaction.version");
        assertThat(features.finalizedFeatures().get("group.version").maxVersionLevel()).isEqualTo((short) 1);
        assertThat(features.finalizedFeatures().get("transaction.version").maxVersionLevel()).isEqualTo((short) 2);
        assertThat(features.finalizedFeaturesEpoch()).isPresent();
    }

    @Test
    void shouldDescribeTheSupportedFeatures() throws Exception {
        FeatureMetadata features = admin.describeFeatures().featureMetadata().get(T, TimeUnit.SECONDS);

        assertThat(features.supportedFeatures()).containsKeys("metadata.version", "group.version", "transaction.version");
        assertThat(features.supportedFeatures().get("group.version").maxVersion()).isEqualTo((short) 1);
        assertThat(features.supportedFeatures().get("transaction.version").maxVersion()).isEqualTo((short) 2);
    }

    @Test
    void shouldDescribeTheProducersOfSeveralPartitionsAtOnce() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-producers", 3);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "a")).get(T, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 1, "k", "b")).get(T, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 1, "k", "c")).get(T, TimeUnit.SECONDS);
        }
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        TopicPartition p2 = new TopicPartition(topic, 2);

        var all = admin.describeProducers(List.of(p0, p1, p2)).all().get(T, TimeUnit.SECONDS);

        assertThat(all.get(p0).activeProducers()).extracting(ProducerState::lastSequence).containsExactly(0);
        assertThat(all.get(p1).activeProducers()).extracting(ProducerState::lastSequence).containsExactly(1);
        assertThat(all.get(p2).activeProducers()).isEmpty();
        assertThat(all.get(p0).activeProducers().getFirst().producerId())
            .isEqualTo(all.get(p1).activeProducers().getFirst().producerId());
    }

    @Test
    void shouldFilterListedTransactionsByProducerIdDurationAndIdPattern() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-txn-filter", 1);
        String txnId = "sweep-txn-filter-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap, txnId)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get(T, TimeUnit.SECONDS);
            long producerId = admin.describeTransactions(List.of(txnId)).description(txnId).get(T, TimeUnit.SECONDS)
                .producerId();

            assertThat(txnIds(new ListTransactionsOptions().filterProducerIds(List.of(producerId)))).containsExactly(txnId);
            assertThat(txnIds(new ListTransactionsOptions().filterProducerIds(List.of(producerId + 1_000_000))))
                .doesNotContain(txnId);
            assertThat(txnIds(new ListTransactionsOptions().filterOnTransactionalIdPattern(
                java.util.regex.Pattern.quote(txnId.substring(0, 30)) + ".*"))).containsExactly(txnId);
            assertThat(txnIds(new ListTransactionsOptions().filterOnDuration(600_000))).doesNotContain(txnId);
            assertThat(txnIds(new ListTransactionsOptions().filterOnDuration(0))).contains(txnId);
            producer.abortTransaction();
        }
    }

    @Test
    void shouldPageThroughTheDescriptionOfAManyPartitionTopic() throws Exception {
        String big = TestTopics.createUnique(bootstrap, "sweep-paging-big", 7);
        String small = TestTopics.createUnique(bootstrap, "sweep-paging-small", 2);

        Map<String, TopicDescription> described = admin.describeTopics(List.of(big, small),
                new DescribeTopicsOptions().partitionSizeLimitPerResponse(3))
            .allTopicNames().get(T, TimeUnit.SECONDS);

        assertThat(described.get(big).partitions()).extracting(TopicPartitionInfo::partition)
            .containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(described.get(small).partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1);
    }

    @Test
    void shouldRefuseAReplicaAssignmentToAnUnknownBroker() {
        String topic = TestTopics.unique("sweep-assign-unknown");
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(nodeId() + 100)))))
                .all().get(T, TimeUnit.SECONDS))
            .cause().isInstanceOf(org.apache.kafka.common.errors.InvalidReplicaAssignmentException.class);
    }

    @Test
    void shouldDeleteSeveralGroupsAndReportTheUnknownAndTheActiveOne() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-delete-groups", 1);
        String emptyGroup = "sweep-delete-empty-" + UUID.randomUUID();
        String unknownGroup = "sweep-delete-unknown-" + UUID.randomUUID();
        String activeGroup = "sweep-delete-active-" + UUID.randomUUID();
        commitOffsets(emptyGroup, Map.of(new TopicPartition(topic, 0), 1L));
        try (KafkaConsumer<String, String> member = activeMember(activeGroup, topic, Map.of())) {
            var result = admin.deleteConsumerGroups(List.of(emptyGroup, unknownGroup, activeGroup)).deletedGroups();

            result.get(emptyGroup).get(T, TimeUnit.SECONDS);
            assertThatThrownBy(() -> result.get(unknownGroup).get(T, TimeUnit.SECONDS))
                .cause().isInstanceOf(GroupIdNotFoundException.class);
            assertThatThrownBy(() -> result.get(activeGroup).get(T, TimeUnit.SECONDS))
                .cause().isInstanceOf(org.apache.kafka.common.errors.GroupNotEmptyException.class);
        }
        assertThat(groups(new ListGroupsOptions())).doesNotContainKey(emptyGroup);
    }

    @Test
    void shouldDescribeAClassicGroupWithItsProtocolAndMembers() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "sweep-classic-describe", 2);
        String group = "sweep-classic-describe-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> member = activeMember(group, topic, Map.of())) {
            var description = admin.describeClassicGroups(List.of(group)).all().get(T, TimeUnit.SECONDS).get(group);

            assertThat(description.protocol()).isEqualTo("consumer");
            assertThat(description.protocolData()).isEqualTo("range");
            assertThat(description.isSimpleConsumerGroup()).isFalse();
            assertThat(description.state()).isEqualTo(org.apache.kafka.common.ClassicGroupState.STABLE);
            assertThat(description.members()).hasSize(1);
            assertThat(description.coordinator().id()).isEqualTo(nodeId());
        }
    }

    // ---- helpers

    private Set<String> txnIds(ListTransactionsOptions options) throws Exception {
        return admin.listTransactions(options).all().get(T, TimeUnit.SECONDS).stream()
            .map(org.apache.kafka.clients.admin.TransactionListing::transactionalId).collect(Collectors.toSet());
    }

    private TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(T, TimeUnit.SECONDS).get(topic);
    }

    private int nodeId() throws Exception {
        return admin.describeCluster().nodes().get(T, TimeUnit.SECONDS).iterator().next().id();
    }

    private ConsumerGroupDescription describeGroup(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get(T, TimeUnit.SECONDS).get(group);
    }

    private Map<String, GroupListing> groups(ListGroupsOptions options) throws Exception {
        return admin.listGroups(options).all().get(T, TimeUnit.SECONDS).stream()
            .collect(Collectors.toMap(GroupListing::groupId, l -> l));
    }

    private void commitOffsets(String group, Map<TopicPartition, Long> offsets) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            offsets.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
            consumer.commitSync(commit);
        }
    }

    private static Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<TopicPartition, Long> out = new HashMap<>();
        committed.forEach((tp, om) -> out.put(tp, om == null ? null : om.offset()));
        return out;
    }

    /** A subscribed member that has been assigned its partitions (the caller closes it). */
    private KafkaConsumer<String, String> activeMember(String group, String topic, Map<String, String> overrides) {
        Map<String, Object> config = new HashMap<>(overrides);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, config);
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        assertThat(consumer.assignment()).as("assignment of the member of " + group).isNotEmpty();
        return consumer;
    }

    /** A one-partition topic with three records stamped BASE + 1000, 3000, 2000 (CreateTime). */
    private TopicPartition topicWithTimestamps(String prefix) throws Exception {
        String topic = TestTopics.createUnique(bootstrap, prefix, 1);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, 0, BASE + 1_000L, "k", "a")).get(T, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, BASE + 3_000L, "k", "b")).get(T, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, BASE + 2_000L, "k", "c")).get(T, TimeUnit.SECONDS);
        }
        return new TopicPartition(topic, 0);
    }

    private ListOffsetsResultInfo listOffset(TopicPartition tp, OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get(T, TimeUnit.SECONDS);
    }

    private long offset(TopicPartition tp, OffsetSpec spec) throws Exception {
        return listOffset(tp, spec).offset();
    }

    private long timestamp(TopicPartition tp, OffsetSpec spec) throws Exception {
        return listOffset(tp, spec).timestamp();
    }
}

package dev.walrus.compat.share;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.walrus.compat.share.ShareFixtures.fromEarliest;
import static dev.walrus.compat.share.ShareFixtures.pollCount;
import static dev.walrus.compat.share.ShareFixtures.produce;
import static dev.walrus.compat.share.ShareFixtures.shareConsumer;
import static dev.walrus.compat.share.ShareFixtures.shareOffsets;
import static dev.walrus.compat.share.ShareFixtures.values;
import static dev.walrus.compat.share.ShareFixtures.valuesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Admin client's share group methods (KIP-932): listGroups by type, describeShareGroups, list/alter/delete share
 * group offsets, deleteShareGroups; and a share group id that names a consumer group.
 */
@ExtendWith(BrokerExtension.class)
class ShareGroupAdminTest {

    private String bootstrap;
    private String topic;
    private String group;

    @BeforeEach
    void topic(TargetBroker broker) {
        bootstrap = broker.bootstrapServers();
        topic = TestTopics.createUnique(bootstrap, "share-admin", 2);
        group = "share-admin-" + UUID.randomUUID();
    }

    @Test
    void shouldDescribeEveryGroupOperationAsAuthorizedWithoutAnAuthorizer() throws Exception {
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, values("o-", 2));
        try (Admin admin = Clients.admin(bootstrap);
             KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
            consumer.subscribe(List.of(topic));
            pollCount(consumer, 2);
            ShareGroupDescription d = admin.describeShareGroups(List.of(group),
                            new org.apache.kafka.clients.admin.DescribeShareGroupsOptions().includeAuthorizedOperations(true))
                    .describedGroups().get(group).get(30, TimeUnit.SECONDS);
            assertThat(d.authorizedOperations()).containsExactlyInAnyOrder(org.apache.kafka.common.acl.AclOperation.READ,
                    org.apache.kafka.common.acl.AclOperation.DESCRIBE, org.apache.kafka.common.acl.AclOperation.DELETE,
                    org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS,
                    org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS);
        }
    }

    @Test
    void shouldListAndDescribeAShareGroupWithItsMembersAndAssignment() throws Exception {
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, values("x-", 4));
        try (Admin admin = Clients.admin(bootstrap);
             KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
            consumer.subscribe(List.of(topic));
            pollCount(consumer, 4);

            List<GroupListing> listed = List.copyOf(admin.listGroups(ListGroupsOptions.forShareGroups()).all().get(30, TimeUnit.SECONDS));
            assertThat(listed).anySatisfy(g -> {
                assertThat(g.groupId()).isEqualTo(group);
                assertThat(g.type()).contains(GroupType.SHARE);
                assertThat(g.groupState()).contains(GroupState.STABLE);
                assertThat(g.protocol()).isEqualTo("share");
            });
            assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(30, TimeUnit.SECONDS))
                    .noneMatch(g -> g.groupId().equals(group));

            ShareGroupDescription d = admin.describeShareGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
            assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(d.groupEpoch()).isPositive();
            assertThat(d.targetAssignmentEpoch()).isEqualTo(d.groupEpoch());
            assertThat(d.members()).singleElement().satisfies(m -> {
                assertThat(m.clientId()).isEqualTo("share-consumer-" + group);
                assertThat(m.memberEpoch()).isEqualTo(d.groupEpoch());
                assertThat(m.assignment().topicPartitions())
                        .containsExactlyInAnyOrder(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            });
        }
        try (Admin admin = Clients.admin(bootstrap)) {
            ShareGroupDescription d = admin.describeShareGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
            assertThat(d.groupState()).isEqualTo(GroupState.EMPTY);
            assertThat(d.members()).isEmpty();
        }
    }

    @Test
    void shouldDescribeAnUnknownShareGroupAsDead() throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            String unknown = "no-such-share-group-" + UUID.randomUUID();
            assertThatThrownBy(() -> admin.describeShareGroups(List.of(unknown)).describedGroups().get(unknown).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(GroupIdNotFoundException.class);
        }
    }

    @Test
    void shouldListAlterAndDeleteShareGroupOffsets() throws Exception {
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, values("p0-", 10));
        try (Admin admin = Clients.admin(bootstrap)) {
            try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
                consumer.subscribe(List.of(topic));
                pollCount(consumer, 10);
                consumer.commitSync();
            }
            assertThat(shareOffsets(admin, group)).containsKey(new TopicPartition(topic, 0));
            // everything acknowledged: no lag (the start offset Kafka reports may trail the acknowledgements)
            assertThat(shareOffsets(admin, group).get(new TopicPartition(topic, 0)).lag()).contains(0L);

            admin.alterShareGroupOffsets(group, Map.of(new TopicPartition(topic, 0), 6L)).all().get(30, TimeUnit.SECONDS);
            assertThat(shareOffsets(admin, group).get(new TopicPartition(topic, 0)).startOffset()).isEqualTo(6L);
            assertThat(shareOffsets(admin, group).get(new TopicPartition(topic, 0)).lag()).contains(4L);
            try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
                consumer.subscribe(List.of(topic));
                assertThat(valuesOf(pollCount(consumer, 4))).containsExactly("p0-6", "p0-7", "p0-8", "p0-9");
                consumer.commitSync();
            }

            admin.deleteShareGroupOffsets(group, Set.of(topic)).all().get(30, TimeUnit.SECONDS);
            assertThat(shareOffsets(admin, group)).doesNotContainKey(new TopicPartition(topic, 0));
            // with its state gone, the partition starts again from share.auto.offset.reset (earliest here)
            try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
                consumer.subscribe(List.of(topic));
                assertThat(valuesOf(pollCount(consumer, 10))).containsExactly(values("p0-", 10));
            }
        }
    }

    @Test
    void shouldRefuseToAlterOffsetsOrDeleteAGroupWithActiveMembers() throws Exception {
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, "one");
        try (Admin admin = Clients.admin(bootstrap)) {
            try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
                consumer.subscribe(List.of(topic));
                pollCount(consumer, 1);
                assertThatThrownBy(() -> admin.deleteShareGroups(List.of(group)).all().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(GroupNotEmptyException.class);
                assertThatThrownBy(() -> admin.alterShareGroupOffsets(group, Map.of(new TopicPartition(topic, 0), 0L))
                        .all().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(GroupNotEmptyException.class);
            }
            admin.deleteShareGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listGroups(ListGroupsOptions.forShareGroups()).all().get(30, TimeUnit.SECONDS))
                    .noneMatch(g -> g.groupId().equals(group));
            assertThatThrownBy(() -> admin.describeShareGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(GroupIdNotFoundException.class);
        }
    }

    @Test
    void shouldRefuseAShareConsumerWhoseGroupIdNamesAConsumerGroup() throws Exception {
        produce(bootstrap, topic, "one");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0)));
        }
        try (KafkaShareConsumer<String, String> share = shareConsumer(bootstrap, group)) {
            share.subscribe(List.of(topic));
            Throwable thrown = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (thrown == null && System.nanoTime() < deadline) {
                try {
                    share.poll(Duration.ofMillis(200));
                } catch (RuntimeException e) {
                    thrown = e;
                }
            }
            assertThat(thrown).isInstanceOfAny(GroupIdNotFoundException.class, InconsistentGroupProtocolException.class);
            assertThat(thrown.getMessage()).contains(group);
        }
    }

    @Test
    void shouldRefuseAConsumerWhoseGroupIdNamesAShareGroup() throws Exception {
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, "one");
        try (KafkaShareConsumer<String, String> share = shareConsumer(bootstrap, group)) {
            share.subscribe(List.of(topic));
            pollCount(share, 1);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"))) {
            consumer.subscribe(List.of(topic));
            Throwable thrown = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (thrown == null && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200));
                } catch (RuntimeException e) {
                    thrown = e;
                }
            }
            assertThat(thrown).isInstanceOf(GroupIdNotFoundException.class);
        }
        try (Admin admin = Clients.admin(bootstrap)) {
            // the group is still the share group it was
            assertThat(admin.describeShareGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS)
                    .groupState()).isEqualTo(GroupState.EMPTY);
        }
    }
}

package dev.walrus.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.RawKafkaConnection;
import dev.walrus.compat.TestTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.junit.jupiter.api.Test;

/**
 * Committed offsets and groups expiring as Kafka 4.4's group coordinator expires them, every
 * {@code offsets.retention.check.interval.ms} (500 ms here): an empty group with no offsets is removed at the next
 * check; an offset expires once {@code offsets.retention.minutes} have passed since its commit (a standalone
 * {@code assign()} consumer's, or a topic a live consumer group does not subscribe to) or since its classic group
 * became empty, and then gets a tombstone in {@code __consumer_offsets}; a group whose offsets all expired goes with
 * them; the offsets of the topic a live group reads stay. An offset committed with a retention time of its own
 * (OffsetCommit v2-v4) expires when that runs out, sooner or later than the broker's retention.
 *
 * <p>Kafka's retention has minute grain, so against Kafka the tests that wait for it wait a minute. Against Walrus the broker's
 * own {@code walrus.offsets.retention.ms} makes it 2 seconds; the assertions are the same.
 */
class OffsetExpiryTest extends OwnBrokerTest {

    private static final long T = 30;
    private static final Map<String, Object> CLASSIC = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    private static final Map<String, Object> CONSUMER = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");

    private void startBroker(String name) {
        Map<String, String> properties = new HashMap<>();
        properties.put("offsets.retention.minutes", "1");
        properties.put("offsets.retention.check.interval.ms", "500");
        if (CompatSettings.target() == CompatSettings.Target.EMBEDDED) {
            properties.put("walrus.offsets.retention.ms", "2000");
        }
        broker = ChildBroker.forCurrentTarget(name, "PLAINTEXT", properties, Map.of()).start();
    }

    @Test
    void shouldRemoveEmptyClassicAndConsumerGroupsWithoutOffsetsAtTheNextCheck() throws Exception {
        startBroker("expiry-empty-groups");
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "expiry-empty", 1);
        String classicGroup = "expiry-empty-classic-" + UUID.randomUUID();
        String consumerGroup = "expiry-empty-consumer-" + UUID.randomUUID();

        try (Admin admin = Clients.admin(bootstrap)) {
            try (KafkaConsumer<String, String> classic = member(bootstrap, classicGroup, CLASSIC);
                 KafkaConsumer<String, String> modern = member(bootstrap, consumerGroup, CONSUMER)) {
                classic.subscribe(List.of(topic));
                modern.subscribe(List.of(topic));
                pollUntilAssigned(classic);
                pollUntilAssigned(modern);
                assertThat(groupIds(admin)).as("live groups are kept").contains(classicGroup, consumerGroup);
            } // both leave, committing nothing: two empty groups without offsets

            Await.until(Await.STEP, "both empty groups removed",
                    () -> !containsAny(groupIds(admin), classicGroup, consumerGroup), () -> groupIds(admin).toString());

            assertThat(offsets(admin, classicGroup)).isEmpty();
            assertThat(offsets(admin, consumerGroup)).isEmpty();
        }
    }

    @Test
    void shouldExpireOffsetsNothingHoldsOnToAndKeepThoseOfTheTopicALiveGroupReads() throws Exception {
        startBroker("expiry-offsets");
        String bootstrap = broker.bootstrapServers();
        String read = TestTopics.createUnique(bootstrap, "expiry-read", 1);
        String unread = TestTopics.createUnique(bootstrap, "expiry-unread", 1);
        TopicPartition readPartition = new TopicPartition(read, 0);
        TopicPartition unreadPartition = new TopicPartition(unread, 0);
        String emptyClassic = "expiry-classic-" + UUID.randomUUID();
        String standalone = "expiry-standalone-" + UUID.randomUUID();
        String live = "expiry-live-" + UUID.randomUUID();

        try (Admin admin = Clients.admin(bootstrap);
             KafkaConsumer<String, String> liveMember = member(bootstrap, live, CONSUMER)) {
            liveMember.subscribe(List.of(read));
            pollUntilAssigned(liveMember);
            liveMember.commitSync(Map.of(readPartition, new OffsetAndMetadata(4), unreadPartition, new OffsetAndMetadata(6)));
            try (KafkaConsumer<String, String> classic = member(bootstrap, emptyClassic, CLASSIC)) {
                classic.subscribe(List.of(read));
                pollUntilAssigned(classic);
                classic.commitSync(Map.of(readPartition, new OffsetAndMetadata(5)));
            } // it leaves: the classic group is empty, and its offset ages from now
            assertThat(offsets(admin, emptyClassic)).isEqualTo(Map.of(readPartition, new OffsetAndMetadata(5)));
            try (KafkaConsumer<String, String> assigned = member(bootstrap, standalone, Map.of())) {
                assigned.assign(List.of(readPartition));
                assigned.commitSync(Map.of(readPartition, new OffsetAndMetadata(3)));
            }
            assertThat(offsets(admin, standalone)).isEqualTo(Map.of(readPartition, new OffsetAndMetadata(3)));

            Await.until(Await.STEP, "the retention to pass for every offset nothing holds on to", () -> {
                liveMember.poll(Duration.ofMillis(100));
                return !containsAny(groupIds(admin), emptyClassic, standalone)
                        && !offsets(admin, live).containsKey(unreadPartition);
            }, () -> groupIds(admin) + ", live group's offsets " + offsets(admin, live));

            assertThat(offsets(admin, emptyClassic)).isEmpty();
            assertThat(offsets(admin, standalone)).isEmpty();
            assertThat(offsets(admin, live)).as("the live group's offset of the topic it reads")
                    .isEqualTo(Map.of(readPartition, new OffsetAndMetadata(4)));
            assertThat(groupIds(admin)).contains(live);
            List<OffsetsTopicReader.OffsetCommit> records = OffsetsTopicReader.offsetCommitsOf(bootstrap, admin, standalone);
            assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::offset).as("commit, then its tombstone")
                    .containsExactly(3L, null);
        }
    }

    @Test
    void shouldExpireAnOffsetCommittedWithARetentionTimeOfItsOwnAtItsExpireTimestamp() throws Exception {
        startBroker("expiry-own-retention");
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "expiry-own", 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        String shortLived = "expiry-own-short-" + UUID.randomUUID();
        String longLived = "expiry-own-long-" + UUID.randomUUID();
        String plain = "expiry-own-plain-" + UUID.randomUUID();

        try (Admin admin = Clients.admin(bootstrap);
             RawKafkaConnection connection = RawKafkaConnection.open(bootstrap)) {
            admin.alterConsumerGroupOffsets(plain, Map.of(partition, new OffsetAndMetadata(7))).all().get(T, TimeUnit.SECONDS);
            commitWithRetention(connection, shortLived, topic, 5, 1);
            commitWithRetention(connection, longLived, topic, 6, 3_600_000);

            Await.until(Await.STEP, "the offset committed with 1 ms of retention to expire, and the broker's retention"
                    + " to pass for the one without", () -> !containsAny(groupIds(admin), shortLived, plain),
                    () -> groupIds(admin).toString());

            assertThat(offsets(admin, shortLived)).isEmpty();
            assertThat(offsets(admin, longLived)).as("an hour of retention of its own outlives the broker's")
                    .isEqualTo(Map.of(partition, new OffsetAndMetadata(6)));
            List<OffsetsTopicReader.OffsetCommit> records = OffsetsTopicReader.offsetCommitsOf(bootstrap, admin, shortLived);
            assertThat(records).extracting(OffsetsTopicReader.OffsetCommit::valueVersion)
                    .as("a value of the version with an expire timestamp, then the tombstone").containsExactly((short) 1, null);
            assertThat(records.getFirst().offset()).isEqualTo(5L);
        }
    }

    /** OffsetCommit v2, the last version before KIP-211 that lets a client give its offsets a retention time. */
    private static void commitWithRetention(RawKafkaConnection connection, String group, String topic, long offset,
                                            long retentionMs) {
        OffsetCommitRequestData request = new OffsetCommitRequestData()
                .setGroupId(group)
                .setGenerationIdOrMemberEpoch(-1)
                .setMemberId("")
                .setRetentionTimeMs(retentionMs)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic)
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(offset)))));
        short[] error = {-1};
        Await.until(Await.STEP, "the commit of " + group + " accepted", () -> {
            try {
                OffsetCommitResponse response = connection.roundTrip(ApiKeys.OFFSET_COMMIT, (short) 2, request);
                error[0] = response.data().topics().getFirst().partitions().getFirst().errorCode();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return error[0] == Errors.NONE.code(); // the coordinator may still be loading the group's partition
        }, () -> Errors.forCode(error[0]).name());
    }

    private static KafkaConsumer<String, String> member(String bootstrap, String group, Map<String, Object> protocol) {
        Map<String, Object> config = new HashMap<>(protocol);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return Clients.consumer(bootstrap, config);
    }

    private static void pollUntilAssigned(KafkaConsumer<String, String> consumer) {
        Await.until(Await.STEP, "an assignment", () -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        }, () -> consumer.assignment().toString());
    }

    private static Set<String> groupIds(Admin admin) {
        try {
            return admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(T, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId).collect(Collectors.toSet());
        } catch (Exception e) {
            throw new AssertionError("listGroups failed", e);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Admin admin, String group) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(T, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("listConsumerGroupOffsets of " + group + " failed", e);
        }
    }

    private static boolean containsAny(Set<String> ids, String... wanted) {
        for (String id : wanted) {
            if (ids.contains(id)) {
                return true;
            }
        }
        return false;
    }
}

package dev.walrus.compat.groups;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.walrus.compat.groups.GroupProtocolMigrationTest.CLASSIC;
import static dev.walrus.compat.groups.GroupProtocolMigrationTest.CONSUMER;
import static dev.walrus.compat.groups.GroupProtocolMigrationTest.awaitAssignment;
import static dev.walrus.compat.groups.GroupProtocolMigrationTest.awaitProgress;
import static dev.walrus.compat.groups.GroupProtocolMigrationTest.describe;
import static dev.walrus.compat.groups.GroupProtocolMigrationTest.join;
import static dev.walrus.compat.groups.GroupProtocolMigrationTest.member;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online protocol migration (KIP-848) on a broker of the test's own: a mixed group (a classic and a consumer-protocol
 * member in one consumer group) across a broker restart, and {@code group.consumer.migration.policy=disabled}
 * refusing both directions with Kafka 4.4's errors.
 */
@Tag("slow")
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class GroupProtocolMigrationOwnBrokerTest extends OwnBrokerTest {

    private static final Duration STEP = Await.STEP;

    @Test
    void shouldKeepAMixedGroupMixedAcrossABrokerRestartWithoutLosingARecord() throws Exception {
        broker = ChildBroker.forCurrentTarget("migration-restart").start();
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "migration-restart", 4);
        String group = "migration-restart-" + UUID.randomUUID();
        ConsumedLog log = new ConsumedLog();
        List<GroupMember> members = new ArrayList<>();
        Map<Integer, Long> produced = new HashMap<>();
        try {
            produce(bootstrap, topic, produced, 2_000);
            GroupMember classic = join(members, "classic-" + UUID.randomUUID(), bootstrap, group, topic, CLASSIC, log);
            awaitAssignment(members, 4);
            GroupMember modern = join(members, "modern-" + UUID.randomUUID(), bootstrap, group, topic, CONSUMER, log);
            awaitAssignment(members, 2, 2);
            Await.until(STEP, "the first records consumed", () -> log.distinct() >= 2_000, () -> log.distinct() + " of 2000");

            broker.restart();

            produce(bootstrap, topic, produced, 2_000);
            Await.until(STEP, "every record consumed after the restart", () -> log.distinct() >= 4_000,
                    () -> log.distinct() + " of 4000; " + members.stream().map(m -> m.name() + "=" + m.assignment()
                            + (m.failure() == null ? "" : " failed: " + m.failure())).toList());
            awaitAssignment(members, 2, 2);
            try (Admin admin = Clients.admin(bootstrap)) {
                ConsumerGroupDescription description = describe(admin, group);
                assertThat(description.type()).as(description.toString()).isEqualTo(GroupType.CONSUMER);
                assertThat(description.members()).as(description.toString()).hasSize(2);
                assertThat(member(description, classic.name()).upgraded()).isEqualTo(Optional.of(false));
                assertThat(member(description, modern.name()).upgraded()).isEqualTo(Optional.of(true));
            }
            for (GroupMember m : members) {
                m.close();
                assertThat(m.failure()).as("member %s", m.name()).isNull();
            }
            long duplicates = log.assertNoLossAndOrder(produced);
            System.out.printf("mixed group across a restart: %d records, %d deliveries, %d duplicates%n", 4_000,
                    log.total(), duplicates);
        } finally {
            for (GroupMember m : members) {
                m.close();
            }
        }
    }

    @Test
    void shouldRefuseBothDirectionsWhenTheMigrationPolicyIsDisabled() throws Exception {
        broker = ChildBroker.forCurrentTarget("migration-disabled", "PLAINTEXT",
                Map.of("group.consumer.migration.policy", "disabled"), Map.of()).start();
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "migration-disabled", 2);

        String classicGroup = "migration-disabled-classic-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> classic = consumer(bootstrap, CLASSIC, classicGroup);
             KafkaConsumer<String, String> modern = consumer(bootstrap, CONSUMER, classicGroup)) {
            classic.subscribe(List.of(topic));
            pollUntilAssigned(classic, 2);
            modern.subscribe(List.of(topic));
            Throwable refused = pollUntilThrows(modern, classic);
            assertThat(refused).isInstanceOf(GroupIdNotFoundException.class)
                    .hasMessage("Cannot upgrade classic group " + classicGroup
                            + " to consumer group because online upgrade is disabled.");
        }

        String consumerGroup = "migration-disabled-consumer-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> modern = consumer(bootstrap, CONSUMER, consumerGroup);
             KafkaConsumer<String, String> classic = consumer(bootstrap, CLASSIC, consumerGroup)) {
            modern.subscribe(List.of(topic));
            pollUntilAssigned(modern, 2);
            classic.subscribe(List.of(topic));
            Throwable refused = pollUntilThrows(classic, modern);
            assertThat(refused).isInstanceOf(InconsistentGroupProtocolException.class);
        }
    }

    private static void produce(String bootstrap, String topic, Map<Integer, Long> produced, int count) {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < count; i++) {
                int p = i % 4;
                long n = produced.merge(p, 1L, Long::sum) - 1;
                producer.send(new ProducerRecord<>(topic, p, null, p + ":" + n));
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, Map<String, Object> protocol, String group) {
        Map<String, Object> config = new HashMap<>(protocol);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return Clients.consumer(bootstrap, config);
    }

    private static void pollUntilAssigned(KafkaConsumer<String, String> consumer, int partitions) {
        Await.until(STEP, "assignment of " + partitions + " partitions", () -> {
            consumer.poll(Duration.ofMillis(100));
            return consumer.assignment().size() == partitions;
        }, () -> consumer.assignment().toString());
    }

    /** Polls {@code joining} (and keeps {@code member} alive) until the joining consumer's poll throws. */
    private static Throwable pollUntilThrows(KafkaConsumer<String, String> joining, KafkaConsumer<String, String> member) {
        Throwable[] thrown = new Throwable[1];
        Await.until(STEP, "the joining consumer refused", () -> {
            member.poll(Duration.ofMillis(50));
            try {
                joining.poll(Duration.ofMillis(100));
            } catch (RuntimeException e) {
                thrown[0] = e;
            }
            return thrown[0] != null;
        }, () -> "joining consumer assignment " + joining.assignment());
        return thrown[0];
    }
}

package dev.walrus.compat.groups;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online migration of a live group between the classic protocol and the consumer protocol (KIP-848, Kafka 4.4's
 * default {@code group.consumer.migration.policy=bidirectional}): a rolling upgrade of a classic group to the consumer
 * protocol one member at a time while records keep coming, the rolling downgrade back, and how a mixed group is
 * described (Admin and {@code kafka-consumer-groups --describe --members --verbose}).
 */
@ExtendWith(BrokerExtension.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES) // up to eight steps of Await.STEP each under load
class GroupProtocolMigrationTest {

    static final int PARTITIONS = 6;
    private static final Duration STEP = Await.STEP;
    /** The Java client's classic defaults (range, then cooperative-sticky: eager), with quick heartbeats. */
    static final Map<String, Object> CLASSIC = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
    static final Map<String, Object> CONSUMER = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    static final Map<String, Object> CLASSIC_COOPERATIVE = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500,
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());

    @Test
    void shouldUpgradeAThreeMemberClassicGroupOneMemberAtATimeWithoutLosingOrRereadingRecords(TargetBroker broker)
            throws Exception {
        rollingMigration(broker.bootstrapServers(), "upgrade", CLASSIC, CONSUMER, GroupType.CONSUMER, true);
    }

    @Test
    void shouldUpgradeACooperativeClassicGroupOneMemberAtATimeWithoutLosingOrRereadingRecords(TargetBroker broker)
            throws Exception {
        // cooperative-sticky first: the classic members keep what they own across rejoins and give up partitions
        // one rebalance at a time, which inside the consumer group means revocation before assignment
        // (their commits fail with RebalanceInProgressException while they rebalance, on Kafka 4.4 as well, and the
        // records since are read again: only no loss and order are asserted)
        rollingMigration(broker.bootstrapServers(), "cooperative-upgrade", CLASSIC_COOPERATIVE, CONSUMER, GroupType.CONSUMER,
                false);
    }

    @Test
    void shouldDowngradeAThreeMemberConsumerGroupOneMemberAtATimeWithoutLosingOrRereadingRecords(TargetBroker broker)
            throws Exception {
        // Kafka 4.4: when the last consumer-protocol member leaves, the classic group starts at the group epoch while a
        // classic member may still be at an older generation: its next commit fails (CommitFailedException) and the
        // records since its last commit are read again by whoever gets the partition. Only that may repeat records.
        rollingMigration(broker.bootstrapServers(), "downgrade", CONSUMER, CLASSIC, GroupType.CLASSIC, false);
    }

    /**
     * Three members of the {@code from} protocol, replaced one by one by members of the {@code to} protocol while a
     * producer keeps producing; each step waits for the group to settle on two partitions per member and for the new
     * member to consume. Every acknowledged record is consumed, in order, and (each member committing after each
     * batch) none twice unless a commit failed: committed offsets carry across the conversion. With {@code strict}, no
     * commit may fail either.
     */
    private static void rollingMigration(String bootstrap, String name, Map<String, Object> from, Map<String, Object> to,
                                         GroupType endType, boolean strict) throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "migration-" + name, PARTITIONS);
        String group = "migration-" + name + "-" + UUID.randomUUID();
        ConsumedLog log = new ConsumedLog();
        List<GroupMember> members = new ArrayList<>();
        List<GroupMember> everyone = new ArrayList<>();
        try (ContinuousProducer producer = new ContinuousProducer(bootstrap, topic, PARTITIONS)) {
            for (int i = 1; i <= 3; i++) {
                everyone.add(join(members, "old-" + i, bootstrap, group, topic, from, log));
                awaitProgress(log, members.getLast());
            }
            awaitAssignment(members, 2, 2, 2);
            for (int i = 1; i <= 3; i++) {
                GroupMember old = members.getFirst();
                old.close();
                members.remove(old);
                GroupMember fresh = join(members, "new-" + i, bootstrap, group, topic, to, log);
                everyone.add(fresh);
                awaitAssignment(members, 2, 2, 2);
                awaitProgress(log, fresh);
            }
            try (Admin admin = Clients.admin(bootstrap)) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                        .get(30, TimeUnit.SECONDS).get(group);
                assertThat(description.type()).as(description.toString()).isEqualTo(endType);
                assertThat(description.members()).as(description.toString()).hasSize(3);
            }
            producer.stop();
            assertThat(producer.failure()).as("producer").isNull();
            long acked = producer.ackedTotal();
            Await.until(STEP, "every acknowledged record consumed", () -> log.distinct() >= acked,
                    () -> log.distinct() + " of " + acked);
            for (GroupMember m : members) {
                m.close();
            }
            for (GroupMember m : everyone) {
                assertThat(m.failure()).as("member %s", m.name()).isNull();
            }
            long duplicates = log.assertNoLossAndOrder(producer.ackedPerPartition());
            System.out.printf("rolling %s: %d records acknowledged, %d deliveries, %d duplicates, failed commits %s%n",
                    name, acked, log.total(), duplicates,
                    everyone.stream().map(m -> m.name() + "=" + m.failedCommits() + " " + m.lastCommitFailure()).toList());
            int failedCommits = everyone.stream().mapToInt(GroupMember::failedCommits).sum();
            if (strict) {
                // Kafka 4.4: the classic members carry on inside the consumer group at their generation, so no commit
                // fails and nothing is read twice.
                assertThat(failedCommits).as("failed commits").isZero();
            }
            if (failedCommits == 0) {
                assertThat(duplicates).as("records consumed twice").isZero();
            }
        } finally {
            for (GroupMember m : members) {
                m.close();
            }
        }
    }

    @Test
    void shouldDescribeAMixedGroupAsAConsumerGroupWithClassicAndUpgradedMembers(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "migration-mixed", 4);
        String group = "migration-mixed-" + UUID.randomUUID();
        ConsumedLog log = new ConsumedLog();
        List<GroupMember> members = new ArrayList<>();
        try (ContinuousProducer producer = new ContinuousProducer(bootstrap, topic, 4)) {
            GroupMember classic = join(members, "classic-" + UUID.randomUUID(), bootstrap, group, topic, CLASSIC, log);
            awaitAssignment(members, 4);
            GroupMember modern = join(members, "modern-" + UUID.randomUUID(), bootstrap, group, topic, CONSUMER, log);
            awaitAssignment(members, 2, 2);
            awaitProgress(log, modern);
            awaitProgress(log, classic);

            try (Admin admin = Clients.admin(bootstrap)) {
                Await.until(STEP, "the mixed group Stable", () -> describe(admin, group).groupState() == GroupState.STABLE,
                        () -> describe(admin, group).toString());
                ConsumerGroupDescription description = describe(admin, group);
                assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
                assertThat(description.members()).hasSize(2);
                MemberDescription classicMember = member(description, classic.name());
                MemberDescription modernMember = member(description, modern.name());
                assertThat(classicMember.upgraded()).isEqualTo(Optional.of(false));
                assertThat(modernMember.upgraded()).isEqualTo(Optional.of(true));
                assertThat(classicMember.assignment().topicPartitions()).hasSize(2);
                assertThat(modernMember.assignment().topicPartitions()).hasSize(2);
                assertThat(classicMember.memberEpoch()).isEqualTo(modernMember.memberEpoch());
                assertThat(description.targetAssignmentEpoch()).isEqualTo(description.groupEpoch());
            }

            CommandResult members2 = KafkaCli.run("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
                    "--bootstrap-server", bootstrap, "--describe", "--group", group, "--members", "--verbose");
            assertThat(members2.exitCode()).as(members2.toString()).isZero();
            Map<String, String[]> rows = new TreeMap<>();
            List<String> header = null;
            for (String line : members2.stdoutLines()) {
                String[] cells = line.trim().split("\\s+");
                if (line.contains("CONSUMER-ID")) {
                    header = Arrays.asList(cells);
                } else if (cells.length > 3 && cells[0].equals(group)) {
                    rows.put(cells[3], cells);
                }
            }
            assertThat(header).as(members2.toString()).isNotNull().contains("#PARTITIONS", "CURRENT-EPOCH", "UPGRADED");
            assertThat(rows).as(members2.toString()).containsOnlyKeys(classic.name(), modern.name());
            assertThat(rows.get(classic.name())[4]).isEqualTo("2");
            assertThat(rows.get(modern.name())[4]).isEqualTo("2");
            assertThat(rows.get(classic.name())[rows.get(classic.name()).length - 1]).isEqualTo("false");
            assertThat(rows.get(modern.name())[rows.get(modern.name()).length - 1]).isEqualTo("true");
        } finally {
            for (GroupMember m : members) {
                m.close();
            }
        }
    }

    @Test
    void shouldTurnClassicWhenAClassicStaticMemberTakesOverFromTheLastConsumerProtocolMember(TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "migration-static", 4);
        String group = "migration-static-" + UUID.randomUUID();
        ConsumedLog log = new ConsumedLog();
        List<GroupMember> members = new ArrayList<>();
        try (ContinuousProducer producer = new ContinuousProducer(bootstrap, topic, 4)) {
            GroupMember classic = join(members, "classic-a", bootstrap, group, topic, staticMember(CLASSIC, "a"), log);
            awaitAssignment(members, 4);
            GroupMember modern = join(members, "modern-b", bootstrap, group, topic, staticMember(CONSUMER, "b"), log);
            awaitAssignment(members, 2, 2);
            awaitProgress(log, modern);

            // the consumer-protocol instance b stops (a static member keeps its place) and comes back classic
            modern.close();
            members.remove(modern);
            GroupMember back = join(members, "classic-b", bootstrap, group, topic, staticMember(CLASSIC, "b"), log);
            awaitAssignment(members, 2, 2);
            awaitProgress(log, back);
            awaitProgress(log, classic);

            try (Admin admin = Clients.admin(bootstrap)) {
                ConsumerGroupDescription description = describe(admin, group);
                assertThat(description.type()).as(description.toString()).isEqualTo(GroupType.CLASSIC);
                assertThat(description.members()).extracting(MemberDescription::clientId)
                        .containsExactlyInAnyOrder("classic-a", "classic-b");
            }
            producer.stop();
            long acked = producer.ackedTotal();
            Await.until(STEP, "every acknowledged record consumed", () -> log.distinct() >= acked,
                    () -> log.distinct() + " of " + acked);
            for (GroupMember m : members) {
                m.close();
            }
            for (GroupMember m : List.of(classic, modern, back)) {
                assertThat(m.failure()).as("member %s", m.name()).isNull();
            }
            log.assertNoLossAndOrder(producer.ackedPerPartition());
        } finally {
            for (GroupMember m : members) {
                m.close();
            }
        }
    }

    private static Map<String, Object> staticMember(Map<String, Object> protocol, String instanceId) {
        Map<String, Object> config = new java.util.HashMap<>(protocol);
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        return config;
    }

    static ConsumerGroupDescription describe(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
        } catch (Exception e) {
            throw new AssertionError("describing " + group, e);
        }
    }

    static MemberDescription member(ConsumerGroupDescription description, String clientId) {
        return description.members().stream().filter(m -> m.clientId().equals(clientId)).findFirst()
                .orElseThrow(() -> new AssertionError("no member " + clientId + " in " + description));
    }

    static GroupMember join(List<GroupMember> members, String name, String bootstrap, String group, String topic,
                            Map<String, Object> config, ConsumedLog log) {
        GroupMember member = new GroupMember(name, bootstrap, group, topic, config, log);
        members.add(member);
        return member;
    }

    /** Waits until the live members' assignment sizes are exactly these (in any order). */
    static void awaitAssignment(List<GroupMember> members, Integer... sizes) {
        Await.until(STEP, "assignment sizes " + List.of(sizes), () -> {
            List<Integer> actual = members.stream().map(m -> m.assignment().size()).sorted().toList();
            return actual.equals(Arrays.stream(sizes).sorted().toList());
        }, () -> members.stream().map(m -> m.name() + "=" + m.assignment() + (m.failure() == null ? "" : " failed: " + m.failure()))
                .toList().toString());
    }

    /** Waits until the member has consumed something more: the group works after the change, not just assigned. */
    static void awaitProgress(ConsumedLog log, GroupMember member) {
        long before = log.consumedBy(member.name());
        Await.until(STEP, member.name() + " consuming", () -> log.consumedBy(member.name()) > before + 50,
                () -> member.name() + " consumed " + log.consumedBy(member.name()) + (member.failure() == null ? ""
                        : " failed: " + member.failure()));
    }
}

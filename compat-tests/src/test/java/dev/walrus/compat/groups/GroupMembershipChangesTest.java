package dev.walrus.compat.groups;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three consumers in one group over a 6-partition topic under continuous production; members join one by one, then
 * leave one by one. At the end every acknowledged record was consumed, each partition in order, and every takeover
 * started where the group had got to. Run with the classic protocol (eager range, cooperative-sticky) and with the
 * consumer protocol of KIP-848.
 */
@ExtendWith(BrokerExtension.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES) // eleven steps of up to Await.STEP each under load
class GroupMembershipChangesTest {

    private static final int PARTITIONS = 6;
    private static final Duration STEP = Await.STEP;

    enum Protocol {
        CLASSIC_EAGER(Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName())),
        CLASSIC_COOPERATIVE(Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName())),
        CONSUMER(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));

        final Map<String, Object> config;

        Protocol(Map<String, Object> config) {
            this.config = config;
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldConsumeEveryRecordInOrderWhileMembersJoinAndLeaveOneByOne(Protocol protocol, TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "members-" + protocol.name().toLowerCase(), PARTITIONS);
        String group = "members-" + UUID.randomUUID();
        ConsumedLog log = new ConsumedLog();
        List<GroupMember> members = new ArrayList<>();

        try (ContinuousProducer producer = new ContinuousProducer(bootstrap, topic, PARTITIONS)) {
            GroupMember first = join(members, "m1", bootstrap, group, topic, protocol, log);
            awaitAssignment(members, 6);
            awaitProgress(log, first);

            GroupMember second = join(members, "m2", bootstrap, group, topic, protocol, log);
            awaitAssignment(members, 3, 3);
            awaitProgress(log, second);

            GroupMember third = join(members, "m3", bootstrap, group, topic, protocol, log);
            awaitAssignment(members, 2, 2, 2);
            awaitProgress(log, third);

            leave(members, first);
            awaitAssignment(members, 3, 3);
            awaitProgress(log, second);

            leave(members, second);
            awaitAssignment(members, 6);
            awaitProgress(log, third);

            producer.stop();
            assertThat(producer.failure()).as("producer").isNull();
            long acked = producer.ackedTotal();
            Await.until(STEP, "every acknowledged record consumed", () -> log.distinct() >= acked,
                    () -> log.distinct() + " of " + acked);
            leave(members, third);

            for (GroupMember m : List.of(first, second, third)) {
                assertThat(m.failure()).as("member %s", m.name()).isNull();
            }
            long duplicates = log.assertNoLossAndOrder(producer.ackedPerPartition());
            System.out.printf("%s: %d records acknowledged, %d deliveries, %d duplicates, failed commits %s%n", protocol, acked,
                    log.total(), duplicates, List.of(first, second, third).stream()
                            .map(m -> m.name() + "=" + m.failedCommits() + " " + m.lastCommitFailure()).toList());
        } finally {
            for (GroupMember m : members) {
                m.close();
            }
        }
    }

    private static GroupMember join(List<GroupMember> members, String name, String bootstrap, String group, String topic,
                                    Protocol protocol, ConsumedLog log) {
        GroupMember member = new GroupMember(name, bootstrap, group, topic, protocol.config, log);
        members.add(member);
        return member;
    }

    private static void leave(List<GroupMember> members, GroupMember member) throws InterruptedException {
        member.close();
        members.remove(member);
    }

    /** Waits until the live members' assignment sizes are exactly these (in any order) and cover every partition. */
    private static void awaitAssignment(List<GroupMember> members, Integer... sizes) {
        Await.until(STEP, "assignment sizes " + List.of(sizes), () -> {
            List<Integer> actual = members.stream().map(m -> m.assignment().size()).sorted().toList();
            return actual.equals(java.util.Arrays.stream(sizes).sorted().toList());
        }, () -> members.stream().map(m -> m.name() + "=" + m.assignment() + (m.failure() == null ? "" : " failed: " + m.failure()))
                .toList().toString());
    }

    /** Waits until the member has consumed something more: the group works after the change, not just assigned. */
    private static void awaitProgress(ConsumedLog log, GroupMember member) {
        long before = log.consumedBy(member.name());
        Await.until(STEP, member.name() + " consuming", () -> log.consumedBy(member.name()) > before + 50,
                () -> member.name() + " consumed " + log.consumedBy(member.name()));
    }
}

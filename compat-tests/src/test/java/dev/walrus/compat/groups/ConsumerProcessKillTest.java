package dev.walrus.compat.groups;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.ChildJvm;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member process killed with SIGKILL sends no LeaveGroup: the group rebalances only once its session timeout has
 * passed, and the survivors take its partitions over from the last offsets it committed.
 */
@ExtendWith(BrokerExtension.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES) // five steps of up to Await.STEP each under load
class ConsumerProcessKillTest {

    private static final int PARTITIONS = 6;
    private static final int SESSION_TIMEOUT_MS = 6_000;

    @Test
    void shouldRebalanceAfterTheSessionTimeoutAndResumeFromCommittedOffsets(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "kill-member", PARTITIONS);
        String group = "kill-member-" + UUID.randomUUID();
        Path work = CompatSettings.newWorkDir("kill-member");
        Path childOutput = work.resolve("consumed.txt");
        Map<String, Object> survivorConfig = Map.of(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000);
        ConsumedLog log = new ConsumedLog();

        try (ContinuousProducer producer = new ContinuousProducer(bootstrap, topic, PARTITIONS);
             Admin admin = Clients.admin(bootstrap)) {
            Process child = ChildJvm.withTestClasspath()
                    .jvmOption("-Xmx256m")
                    .jvmOption("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                    .mainClass(GroupConsumerProcess.class.getName())
                    .args(bootstrap, group, topic, String.valueOf(SESSION_TIMEOUT_MS), childOutput.toString())
                    .start(work.resolve("child.log"));
            try (GroupMember a = new GroupMember("a", bootstrap, group, topic, survivorConfig, log);
                 GroupMember b = new GroupMember("b", bootstrap, group, topic, survivorConfig, log)) {
                Await.until(Await.STEP, "three members with two partitions each",
                        () -> assignmentSizes(admin, group).equals(List.of(2, 2, 2)), () -> describe(admin, group));
                Await.until(Await.STEP, "the child consuming", () -> lines(childOutput) > 100,
                        () -> lines(childOutput) + " lines");
                // Read just before the kill: what the child owns when it dies (a loaded machine may have rebalanced since).
                Set<TopicPartition> childPartitions = childAssignment(admin, group);

                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                long killedAt = System.nanoTime();
                int readBeforeKill = log.snapshot().size();
                Map<TopicPartition, OffsetAndMetadata> committedAtKill = settledOffsets(admin, group, childPartitions);

                Await.until(Await.STEP, "the survivors to own every partition",
                        () -> a.assignment().size() + b.assignment().size() == PARTITIONS, () -> a.assignment() + " " + b.assignment());
                long rebalancedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                assertThat(rebalancedAfterMs).as("no rebalance before the killed member's session expired")
                        .isGreaterThanOrEqualTo(SESSION_TIMEOUT_MS - 1_500L);

                Await.until(Await.STEP, "survivors reading the child's partitions",
                        () -> childPartitions.stream().allMatch(tp -> firstTakeover(log, readBeforeKill, tp) != null), () -> "");
                for (TopicPartition tp : childPartitions) {
                    assertThat(firstTakeover(log, readBeforeKill, tp)).as("takeover of %s starts at the committed offset", tp)
                            .isEqualTo(committedAtKill.get(tp).offset());
                }

                producer.stop();
                long acked = producer.ackedTotal();
                Await.until(Await.STEP, "everything consumed", () -> consumedOffsets(log, childOutput).size() >= acked,
                        () -> consumedOffsets(log, childOutput).size() + " of " + acked);
                Set<String> consumed = consumedOffsets(log, childOutput);
                producer.ackedPerPartition().forEach((p, n) -> {
                    for (long o = 0; o < n; o++) {
                        assertThat(consumed).as("record %d:%d", p, o).contains(p + ":" + o);
                    }
                });
                assertThat(a.failure()).isNull();
                assertThat(b.failure()).isNull();
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static List<Integer> assignmentSizes(Admin admin, String group) {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
            return d.members().stream().map(m -> m.assignment().topicPartitions().size()).sorted().toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    private static String describe(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS).toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static Set<TopicPartition> childAssignment(Admin admin, String group) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
        for (MemberDescription m : d.members()) {
            if (m.clientId().equals("child-consumer")) {
                return new HashSet<>(m.assignment().topicPartitions());
            }
        }
        throw new AssertionError("no child member in " + d);
    }

    /** The first offset a survivor read of this partition after the kill. */
    private static Long firstTakeover(ConsumedLog log, int readBeforeKill, TopicPartition tp) {
        return log.snapshot().stream().skip(readBeforeKill).filter(c -> c.partition() == tp.partition())
                .map(ConsumedLog.Consumed::offset).findFirst().orElse(null);
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Values ({@code p:n}) read by anyone: the survivors' log and the killed child's file. */
    private static Set<String> consumedOffsets(ConsumedLog log, Path childOutput) {
        Set<String> values = new HashSet<>();
        log.snapshot().forEach(c -> values.add(c.value()));
        try {
            for (String line : Files.readAllLines(childOutput)) {
                String[] parts = line.split(" ");
                if (parts.length == 3) {
                    values.add(parts[2]);
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return values;
    }

    /**
     * The group's committed offsets of {@code partitions} once they stop changing: the killed child's last commit may
     * still be on its way through the broker (sent before the kill, answered after it), on Kafka as here. Nobody else
     * commits them before the child's session times out, so two equal reads 300 ms apart are its last word.
     */
    private static Map<TopicPartition, OffsetAndMetadata> settledOffsets(Admin admin, String group,
                                                                        Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> previous = null;
        for (int read = 0; read < 10; read++) {
            Map<TopicPartition, OffsetAndMetadata> now = new HashMap<>(admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
            now.keySet().retainAll(partitions);
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
            Thread.sleep(300);
        }
        return previous;
    }
}

package dev.walrus.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.ChildJvm;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * KIP-848 group configs applied to a consumer group: {@code consumer.session.timeout.ms} set on the group (4 s, where
 * the broker's default is 45 s; the broker's minimum lowered to allow it) decides when a killed member is fenced and
 * its partition handed to the member that is left.
 */
class ConsumerGroupConfigsTest extends OwnBrokerTest {

    private static final int GROUP_SESSION_TIMEOUT_MS = 4_000;
    private static final int BROKER_DEFAULT_SESSION_TIMEOUT_MS = 45_000;

    @Test
    void shouldFenceAKilledMemberAfterTheGroupsOwnSessionTimeout() throws Exception {
        broker = ChildBroker.forCurrentTarget("group-configs", "PLAINTEXT", Map.of(
                "group.consumer.min.session.timeout.ms", "1000",
                "group.consumer.min.heartbeat.interval.ms", "500"), Map.of()).start();
        String bootstrap = broker.bootstrapServers();
        String group = "group-configs-" + System.nanoTime();
        Path work = CompatSettings.newWorkDir("group-configs");
        Path childOutput = work.resolve("consumed.txt");
        try (Admin admin = Clients.admin(bootstrap)) {
            String topic = TestTopics.create(admin, TestTopics.unique("group-configs"), 2);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(
                    new AlterConfigOp(new ConfigEntry("consumer.session.timeout.ms",
                            String.valueOf(GROUP_SESSION_TIMEOUT_MS)), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("consumer.heartbeat.interval.ms", "1000"),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);

            Process child = ChildJvm.withTestClasspath()
                    .jvmOption("-Xmx256m")
                    .jvmOption("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                    .mainClass(GroupConsumerProcess.class.getName())
                    .args(bootstrap, group, topic, "0", childOutput.toString(), "consumer")
                    .start(work.resolve("child.log"));
            try (GroupMember survivor = new GroupMember("survivor", bootstrap, group, topic,
                    Map.of("group.protocol", "consumer", "auto.offset.reset", "earliest"), new ConsumedLog())) {
                Await.until(Await.STEP, "two members with a partition each",
                        () -> assignmentSizes(admin, group).equals(List.of(1, 1)), () -> describe(admin, group));

                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                long killedAt = System.nanoTime();
                Await.until(Duration.ofSeconds(BROKER_DEFAULT_SESSION_TIMEOUT_MS / 1000), "the survivor to own both partitions",
                        () -> survivor.assignment().size() == 2, () -> describe(admin, group));
                long fencedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                assertThat(fencedAfterMs).as("the killed member was fenced by the group's session timeout, not before it")
                        .isGreaterThanOrEqualTo(GROUP_SESSION_TIMEOUT_MS - 1_500L)
                        .isLessThan(BROKER_DEFAULT_SESSION_TIMEOUT_MS);
            }
        } finally {
            Files.deleteIfExists(childOutput);
        }
    }

    private static List<Integer> assignmentSizes(Admin admin, String group) {
        ConsumerGroupDescription d = describeGroup(admin, group);
        return d == null ? List.of() : d.members().stream().map(m -> m.assignment().topicPartitions().size()).sorted().toList();
    }

    private static String describe(Admin admin, String group) {
        ConsumerGroupDescription d = describeGroup(admin, group);
        return d == null ? "(not described)" : d.members().stream().map(MemberDescription::toString).toList().toString();
    }

    private static ConsumerGroupDescription describeGroup(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }
}

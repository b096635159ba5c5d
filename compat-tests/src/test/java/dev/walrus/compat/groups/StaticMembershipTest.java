package dev.walrus.compat.groups;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static membership ({@code group.instance.id}): a member that restarts within its session timeout gets its
 * partitions back and the other member never notices (no revocation, no new assignment).
 */
@ExtendWith(BrokerExtension.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES) // four steps of up to Await.STEP each under load
class StaticMembershipTest {

    private static final int PARTITIONS = 4;

    enum Protocol {
        // Kafka's default session (45 s, as group.consumer.session.timeout.ms for the consumer protocol): the restart,
        // a new KafkaConsumer that must join, fits in it even on a loaded machine. No step waits for it to expire.
        CLASSIC(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000)),
        CONSUMER(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));

        final Map<String, Object> config;

        Protocol(Map<String, Object> config) {
            this.config = config;
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldKeepPartitionsWithoutARebalanceWhenAStaticMemberRestartsWithinItsSession(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "static-" + protocol.name().toLowerCase(), PARTITIONS);
        String group = "static-" + UUID.randomUUID();
        ConsumedLog log = new ConsumedLog();

        try (ContinuousProducer producer = new ContinuousProducer(bootstrap, topic, PARTITIONS);
             GroupMember steady = new GroupMember("steady", bootstrap, group, topic, config(protocol, "instance-steady"), log)) {
            GroupMember restarting = new GroupMember("restarting", bootstrap, group, topic, config(protocol, "instance-restarting"), log);
            Await.until(Await.STEP, "two members with two partitions each",
                    () -> steady.assignment().size() == 2 && restarting.assignment().size() == 2,
                    () -> steady.assignment() + " / " + restarting.assignment());
            Await.until(Await.STEP, "both consuming",
                    () -> log.consumedBy("steady") > 50 && log.consumedBy("restarting") > 50, () -> "");
            Set<?> before = restarting.assignment();
            int steadyRevocations = steady.revocations();
            int steadyAssignments = steady.assignmentsReceived();

            restarting.close();
            GroupMember again = new GroupMember("again", bootstrap, group, topic, config(protocol, "instance-restarting"), log);
            try {
                Await.until(Await.STEP, "the restarted member consuming",
                        () -> log.consumedBy("again") > 50, () -> again.assignment().toString());

                assertThat(again.assignment()).isEqualTo(before);
                assertThat(steady.revocations()).as("revocations seen by the steady member").isEqualTo(steadyRevocations);
                assertThat(steady.assignmentsReceived()).as("assignments seen by the steady member").isEqualTo(steadyAssignments);
                producer.stop();
                long acked = producer.ackedTotal();
                Await.until(Await.STEP, "everything consumed", () -> log.distinct() >= acked,
                        () -> log.distinct() + " of " + acked);
            } finally {
                again.close();
            }
            log.assertNoLossAndOrder(producer.ackedPerPartition());
        }
    }

    private static Map<String, Object> config(Protocol protocol, String instanceId) {
        Map<String, Object> config = new HashMap<>(protocol.config);
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        return config;
    }
}

package dev.walrus.compat.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Dirs;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.StreamsGroupMemberDescription;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

/**
 * {@code group.streams.num.standby.replicas=1} on the broker (KIP-1071: the broker, not the client, decides standbys):
 * two instances of a stateful application each keep a standby of every stateful task the other runs, and none of a
 * task they run themselves.
 */
class StreamsStandbyTasksTest extends OwnBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void shouldKeepAStandbyOfEveryStatefulTaskOnTheOtherInstance() throws Exception {
        broker = ChildBroker.forCurrentTarget("streams-standby", "PLAINTEXT",
                Map.of("group.streams.num.standby.replicas", "1"), Map.of()).start();
        String appId = TestTopics.unique("streams-standby");
        shouldPlaceStandbys(appId);
    }

    /** The same through the group's own config, {@code streams.num.standby.replicas}, the broker's default being 0. */
    @Test
    void shouldKeepStandbysWhenTheGroupConfigAsksForThem() throws Exception {
        broker = ChildBroker.forCurrentTarget("streams-standby-group", "PLAINTEXT", Map.of(), Map.of()).start();
        String appId = TestTopics.unique("streams-standby-group");
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.incrementalAlterConfigs(Map.of(
                    new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.GROUP, appId),
                    List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                            new org.apache.kafka.clients.admin.ConfigEntry("streams.num.standby.replicas", "1"),
                            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
        shouldPlaceStandbys(appId);
    }

    private void shouldPlaceStandbys(String appId) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String input = TestTopics.createUnique(bootstrap, "streams-standby-in", 2);
        String output = TestTopics.createUnique(bootstrap, "streams-standby-out", 1);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.as("per-key"))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        Path stateA = StreamsApps.stateDir();
        Path stateB = StreamsApps.stateDir();
        try (KafkaStreams a = StreamsApps.start(builder.build(), StreamsApps.streamsProtocol(bootstrap, appId, stateA, Map.of()));
             KafkaStreams b = StreamsApps.start(builder.build(), StreamsApps.streamsProtocol(bootstrap, appId, stateB, Map.of()));
             Admin admin = Clients.admin(bootstrap)) {
            boolean placed = StreamsApps.await(() -> {
                Set<String> activeA = StreamsApps.activeTasks(a);
                Set<String> activeB = StreamsApps.activeTasks(b);
                return activeA.size() == 1 && activeB.size() == 1
                        && StreamsApps.standbyTasks(a).equals(activeB) && StreamsApps.standbyTasks(b).equals(activeA);
            }, WAIT);
            assertThat(placed).as("active %s / %s, standby %s / %s", StreamsApps.activeTasks(a), StreamsApps.activeTasks(b),
                    StreamsApps.standbyTasks(a), StreamsApps.standbyTasks(b)).isTrue();

            Set<String> describedStandbys = new HashSet<>();
            for (StreamsGroupMemberDescription m : admin.describeStreamsGroups(List.of(appId)).all()
                    .get(30, TimeUnit.SECONDS).get(appId).members()) {
                m.assignment().standbyTasks().forEach(t -> t.partitions().forEach(p -> describedStandbys.add(t.subtopologyId() + "_" + p)));
            }
            assertThat(describedStandbys).containsExactlyInAnyOrder("0_0", "0_1");
            a.close(Duration.ofSeconds(30));
            b.close(Duration.ofSeconds(30));
        } finally {
            Dirs.deleteRecursively(stateA);
            Dirs.deleteRecursively(stateB);
        }
    }
}

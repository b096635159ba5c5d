package dev.walrus.compat.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Dirs;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Records;
import dev.walrus.compat.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A streams-protocol application (KIP-1071) stops, the broker restarts, the application starts again: the streams
 * group is still there, and the application resumes from the offsets it committed, processing nothing twice.
 */
@Tag("slow")
class StreamsGroupRestartTest extends OwnBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void shouldResumeFromCommittedOffsetsAfterABrokerRestart() throws Exception {
        broker = ChildBroker.forCurrentTarget("streams-restart").start();
        String appId = TestTopics.unique("streams-restart");
        String input = TestTopics.createUnique(broker.bootstrapServers(), "streams-restart-in", 2);
        String output = TestTopics.createUnique(broker.bootstrapServers(), "streams-restart-out", 1);
        Path stateDir = StreamsApps.stateDir();
        try {
            StreamsGroupProtocolTest.produce(broker.bootstrapServers(), input, 2, 0, 50);
            try (KafkaStreams streams = StreamsApps.start(StreamsGroupProtocolTest.upperCase(input, output),
                    StreamsApps.streamsProtocol(broker.bootstrapServers(), appId, stateDir, Map.of()));
                 KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
                consumer.assign(List.of(new TopicPartition(output, 0)));
                assertThat(StreamsGroupProtocolTest.values(Records.pollExactly(consumer, 50, WAIT)))
                        .containsExactlyInAnyOrderElementsOf(StreamsGroupProtocolTest.expectedUpperCase(0, 50));
                streams.close(Duration.ofSeconds(30));
            }

            broker.restart();

            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                // Kafka loads its groups in the background after a restart: the listing may need a moment
                assertThat(StreamsApps.await(() -> listedAsStreamsGroup(admin, appId), WAIT))
                        .as("the streams group is listed after the restart").isTrue();
            }
            StreamsGroupProtocolTest.produce(broker.bootstrapServers(), input, 2, 50, 100);
            try (KafkaStreams streams = StreamsApps.start(StreamsGroupProtocolTest.upperCase(input, output),
                    StreamsApps.streamsProtocol(broker.bootstrapServers(), appId, stateDir, Map.of()));
                 KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
                consumer.assign(List.of(new TopicPartition(output, 0)));
                consumer.seekToBeginning(consumer.assignment());
                // every record once: the first 50 from before the restart, the next 50 from the resumed application
                assertThat(StreamsGroupProtocolTest.values(Records.pollExactly(consumer, 100, WAIT)))
                        .containsExactlyInAnyOrderElementsOf(StreamsGroupProtocolTest.expectedUpperCase(0, 100));
                assertThat(Records.pollFor(consumer, Duration.ofSeconds(2))).as("nothing processed twice").isEmpty();
                streams.close(Duration.ofSeconds(30));
            }
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }

    private static boolean listedAsStreamsGroup(Admin admin, String groupId) {
        try {
            return admin.listGroups(ListGroupsOptions.forStreamsGroups()).all().get(30, TimeUnit.SECONDS).stream()
                    .anyMatch(g -> g.groupId().equals(groupId) && g.type().equals(java.util.Optional.of(GroupType.STREAMS)));
        } catch (Exception e) {
            return false;
        }
    }
}

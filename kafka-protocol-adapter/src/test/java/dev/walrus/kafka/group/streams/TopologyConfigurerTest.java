package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.group.GroupException;
import dev.walrus.kafka.group.TestTopics;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.StreamsGroupHeartbeatResponse.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyConfigurerTest {

    private static StreamsTopology.InternalTopic topic(String name, int partitions) {
        return new StreamsTopology.InternalTopic(name, partitions, (short) 0, Map.of());
    }

    private static StreamsTopology.Subtopology sub(String id, List<String> sources, List<String> sinks,
                                                   List<StreamsTopology.InternalTopic> repartition,
                                                   List<StreamsTopology.InternalTopic> changelogs) {
        return new StreamsTopology.Subtopology(id, sources, sinks, repartition, changelogs, List.of());
    }

    @Test
    void shouldGiveARepartitionChainTheLargestUpstreamPartitionCountAndChangelogsTheirSubtopologysCount() {
        TestTopics topics = new TestTopics();
        topics.create("small", 2);
        topics.create("big", 5);
        StreamsTopology topology = new StreamsTopology(0, List.of(
                sub("0", List.of("small", "big"), List.of("r1"), List.of(), List.of()),
                sub("1", List.of(), List.of("r2"), List.of(topic("r1", 0)), List.of()),
                sub("2", List.of(), List.of(), List.of(topic("r2", 0)), List.of(topic("store-changelog", 0)))));

        ConfiguredTopology configured = TopologyConfigurer.configure(topology, topics);

        assertThat(configured.status()).isEqualTo(Status.MISSING_INTERNAL_TOPICS);
        assertThat(configured.toCreate()).containsOnlyKeys("r1", "r2", "store-changelog");
        assertThat(configured.toCreate().get("r1").partitions()).isEqualTo(5);
        assertThat(configured.toCreate().get("r2").partitions()).isEqualTo(5);
        assertThat(configured.toCreate().get("store-changelog").partitions()).isEqualTo(5);

        topics.create("r1", 5);
        topics.create("r2", 5);
        topics.create("store-changelog", 5);
        ConfiguredTopology ready = TopologyConfigurer.configure(topology, topics);
        assertThat(ready.isReady()).isTrue();
        assertThat(ready.taskCounts()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("0", 5, "1", 5, "2", 5)));
    }

    @Test
    void shouldKeepAFixedRepartitionCountAndRefuseAnExistingTopicWithAnother() {
        TestTopics topics = new TestTopics();
        topics.create("in", 4);
        topics.create("r", 3);
        StreamsTopology topology = new StreamsTopology(0, List.of(
                sub("0", List.of("in"), List.of("r"), List.of(), List.of()),
                sub("1", List.of(), List.of(), List.of(topic("r", 2)), List.of())));

        ConfiguredTopology configured = TopologyConfigurer.configure(topology, topics);

        assertThat(configured.status()).isEqualTo(Status.INCORRECTLY_PARTITIONED_TOPICS);
        assertThat(configured.statusDetail()).isEqualTo("Existing topic r has different number of partitions: expected 2, found 3");
    }

    @Test
    void shouldRefuseARepartitionSourceNoSubtopologyWrites() {
        TestTopics topics = new TestTopics();
        topics.create("in", 1);
        StreamsTopology topology = new StreamsTopology(0, List.of(
                sub("0", List.of("in"), List.of(), List.of(topic("orphan", 0)), List.of())));

        assertThatThrownBy(() -> TopologyConfigurer.configure(topology, topics))
                .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.error()).isEqualTo(Errors.STREAMS_INVALID_TOPOLOGY));
    }
}

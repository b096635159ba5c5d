package dev.walrus.compat.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.Dirs;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.clients.admin.StreamsGroupMemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka Streams 4.4 with {@code group.protocol=streams} (KIP-1071): the broker owns the topology, creates the internal
 * topics, assigns tasks with its sticky assignor and moves them between instances; Admin and
 * {@code kafka-streams-groups.sh} describe the group.
 */
@ExtendWith(BrokerExtension.class)
class StreamsGroupProtocolTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** {@code kafka-streams-groups.sh} */
    private static final String STREAMS_GROUPS_CLI = "org.apache.kafka.tools.streams.StreamsGroupCommand";

    @Test
    void shouldTransformEveryRecordOnceAndListAndDescribeTheStreamsGroup(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String appId = TestTopics.unique("streams-proto-map");
        String input;
        String output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("streams-proto-in"), 2);
            output = TestTopics.create(admin, TestTopics.unique("streams-proto-out"), 1);
        }
        produce(bootstrap, input, 2, 0, 100);

        Path stateDir = StreamsApps.stateDir();
        try (KafkaStreams streams = StreamsApps.start(upperCase(input, output),
                StreamsApps.streamsProtocol(bootstrap, appId, stateDir, Map.of()));
             KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap);
             Admin admin = Clients.admin(bootstrap)) {
            consumer.assign(List.of(new TopicPartition(output, 0)));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, 100, WAIT);
            assertThat(values(got)).containsExactlyInAnyOrderElementsOf(expectedUpperCase(0, 100));
            assertThat(Records.pollFor(consumer, Duration.ofSeconds(1))).as("nothing twice").isEmpty();

            assertThat(StreamsApps.await(() -> StreamsApps.activeTasks(streams).equals(Set.of("0_0", "0_1")), WAIT)).isTrue();
            List<GroupListing> listed = new ArrayList<>(admin.listGroups(ListGroupsOptions.forStreamsGroups())
                    .all().get(30, TimeUnit.SECONDS));
            assertThat(listed).anySatisfy(g -> {
                assertThat(g.groupId()).isEqualTo(appId);
                assertThat(g.type()).contains(GroupType.STREAMS);
            });
            assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(30, TimeUnit.SECONDS))
                    .noneSatisfy(g -> assertThat(g.groupId()).isEqualTo(appId));

            StreamsGroupDescription description = describe(admin, appId);
            assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(description.members()).hasSize(1);
            StreamsGroupMemberDescription member = description.members().iterator().next();
            assertThat(tasks(member)).containsExactlyInAnyOrder("0_0", "0_1");
            assertThat(description.subtopologies()).singleElement()
                    .satisfies(s -> assertThat(s.sourceTopics()).containsExactly(input));
            streams.close(Duration.ofSeconds(30));
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }

    @Test
    void shouldCountThroughRepartitionAndChangelogTopicsTheBrokerCreates(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String appId = TestTopics.unique("streams-proto-count");
        String input;
        String output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("streams-proto-count-in"), 3);
            output = TestTopics.create(admin, TestTopics.unique("streams-proto-count-out"), 1);
        }
        int records = 300;
        int keys = 7;
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(input, i % 3, "in" + i, "colour-" + (i % keys))).get(30, TimeUnit.SECONDS);
            }
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((key, value) -> value, Grouped.with("by-colour", Serdes.String(), Serdes.String()))
                .count(Materialized.as("counts"))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        Path stateDir = StreamsApps.stateDir();
        try (KafkaStreams streams = StreamsApps.start(builder.build(),
                StreamsApps.streamsProtocol(bootstrap, appId, stateDir, Map.of()));
             KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                     Serdes.String().deserializer(), Serdes.Long().deserializer());
             Admin admin = Clients.admin(bootstrap)) {
            consumer.assign(List.of(new TopicPartition(output, 0)));
            consumer.seekToBeginning(consumer.assignment());
            Map<String, Long> latest = new HashMap<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!(latest.size() == keys && latest.values().stream().mapToLong(Long::longValue).sum() == records)
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), r.value());
                }
            }
            Map<String, Long> expected = new HashMap<>();
            for (int i = 0; i < records; i++) {
                expected.merge("colour-" + (i % keys), 1L, Long::sum);
            }
            assertThat(latest).isEqualTo(expected);

            // the broker created both internal topics, with the partition count the topology implies
            String repartition = appId + "-by-colour-repartition";
            String changelog = appId + "-counts-changelog";
            Map<String, TopicDescription> internal = admin.describeTopics(List.of(repartition, changelog))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(internal.get(repartition).partitions()).hasSize(3);
            assertThat(internal.get(changelog).partitions()).hasSize(3);
            ConfigResource changelogConfigs = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
            ConfigEntry policy = admin.describeConfigs(List.of(changelogConfigs)).all().get(30, TimeUnit.SECONDS)
                    .get(changelogConfigs).get("cleanup.policy");
            assertThat(policy.value()).isEqualTo("compact");

            StreamsGroupDescription description = describe(admin, appId);
            assertThat(description.subtopologies()).hasSize(2);
            assertThat(tasks(description.members().iterator().next()))
                    .containsExactlyInAnyOrder("0_0", "0_1", "0_2", "1_0", "1_1", "1_2");
            streams.close(Duration.ofSeconds(30));
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }

    @Test
    void shouldShareTasksBetweenTwoInstancesAndMoveThemWhenOneCloses(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String appId = TestTopics.unique("streams-proto-two");
        String input;
        String output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("streams-proto-two-in"), 4);
            output = TestTopics.create(admin, TestTopics.unique("streams-proto-two-out"), 1);
        }
        Set<String> all = Set.of("0_0", "0_1", "0_2", "0_3");
        Path stateA = StreamsApps.stateDir();
        Path stateB = StreamsApps.stateDir();
        try (KafkaStreams a = StreamsApps.start(upperCase(input, output),
                StreamsApps.streamsProtocol(bootstrap, appId, stateA, Map.of()));
             KafkaStreams b = StreamsApps.start(upperCase(input, output),
                     StreamsApps.streamsProtocol(bootstrap, appId, stateB, Map.of()));
             KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap);
             Admin admin = Clients.admin(bootstrap)) {
            boolean shared = StreamsApps.await(() -> {
                Set<String> ofA = StreamsApps.activeTasks(a);
                Set<String> ofB = StreamsApps.activeTasks(b);
                Set<String> union = new HashSet<>(ofA);
                union.addAll(ofB);
                return a.state() == KafkaStreams.State.RUNNING && b.state() == KafkaStreams.State.RUNNING
                        && !ofA.isEmpty() && !ofB.isEmpty() && union.equals(all) && ofA.size() + ofB.size() == all.size();
            }, WAIT);
            assertThat(shared).as("both instances RUNNING, each with some of the four tasks: %s and %s",
                    StreamsApps.activeTasks(a), StreamsApps.activeTasks(b)).isTrue();

            StreamsGroupDescription description = describe(admin, appId);
            assertThat(description.members()).hasSize(2);
            List<String> described = new ArrayList<>();
            description.members().forEach(m -> described.addAll(tasks(m)));
            assertThat(described).containsExactlyInAnyOrderElementsOf(all);

            CommandResult cli = KafkaCli.run(STREAMS_GROUPS_CLI,
                    "--bootstrap-server", bootstrap, "--describe", "--group", appId, "--members");
            assertThat(cli.exitCode()).as(cli.toString()).isZero();
            assertThat(cli.stdout()).contains(appId);
            for (StreamsGroupMemberDescription m : description.members()) {
                assertThat(cli.stdout()).contains(m.memberId());
            }
            CommandResult list = KafkaCli.run(STREAMS_GROUPS_CLI, "--bootstrap-server", bootstrap, "--list");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.stdoutLines()).anySatisfy(line -> assertThat(line).startsWith(appId));
            CommandResult state = KafkaCli.run(STREAMS_GROUPS_CLI, "--bootstrap-server", bootstrap, "--describe",
                    "--group", appId, "--state");
            assertThat(state.exitCode()).as(state.toString()).isZero();
            assertThat(state.stdoutLines()).anySatisfy(line -> assertThat(line).contains(appId).contains("Stable"));

            produce(bootstrap, input, 4, 0, 200);
            consumer.assign(List.of(new TopicPartition(output, 0)));
            assertThat(values(Records.pollExactly(consumer, 200, WAIT)))
                    .containsExactlyInAnyOrderElementsOf(expectedUpperCase(0, 200));

            b.close(Duration.ofSeconds(30));
            assertThat(StreamsApps.await(() -> StreamsApps.activeTasks(a).equals(all)
                    && a.state() == KafkaStreams.State.RUNNING, WAIT))
                    .as("the remaining instance takes over every task: %s", StreamsApps.activeTasks(a)).isTrue();
            produce(bootstrap, input, 4, 200, 400);
            assertThat(values(Records.pollExactly(consumer, 200, WAIT)))
                    .containsExactlyInAnyOrderElementsOf(expectedUpperCase(200, 400));
            assertThat(describe(admin, appId).members()).hasSize(1);
            a.close(Duration.ofSeconds(30));
        } finally {
            Dirs.deleteRecursively(stateA);
            Dirs.deleteRecursively(stateB);
        }
    }

    @Test
    void shouldMoveStatefulTasksToTheRemainingInstanceWhichRestoresTheirCounts(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String appId = TestTopics.unique("streams-proto-move");
        String input;
        String output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("streams-proto-move-in"), 2);
            output = TestTopics.create(admin, TestTopics.unique("streams-proto-move-out"), 1);
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((key, value) -> value, Grouped.with("by-word", Serdes.String(), Serdes.String()))
                .count(Materialized.as("word-counts"))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        Topology topology = builder.build();
        Map<String, String> eos = Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        Path stateA = StreamsApps.stateDir();
        Path stateB = StreamsApps.stateDir();
        Set<String> all = Set.of("0_0", "0_1", "1_0", "1_1");
        try (KafkaStreams a = StreamsApps.start(topology, StreamsApps.streamsProtocol(bootstrap, appId, stateA, eos));
             KafkaStreams b = StreamsApps.start(topology, StreamsApps.streamsProtocol(bootstrap, appId, stateB, eos));
             KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(
                     Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed"),
                     Serdes.String().deserializer(), Serdes.Long().deserializer())) {
            assertThat(StreamsApps.await(() -> !StreamsApps.activeTasks(a).isEmpty() && !StreamsApps.activeTasks(b).isEmpty()
                    && a.state() == KafkaStreams.State.RUNNING && b.state() == KafkaStreams.State.RUNNING, WAIT))
                    .as("both instances run tasks: %s and %s", StreamsApps.activeTasks(a), StreamsApps.activeTasks(b)).isTrue();
            consumer.assign(List.of(new TopicPartition(output, 0)));
            consumer.seekToBeginning(consumer.assignment()); // not "latest": the first counts may come before the first poll
            Map<String, Long> latest = new HashMap<>();
            produceWords(bootstrap, input, 0, 100);
            awaitCounts(consumer, latest, 100);
            assertThat(latest).isEqualTo(expectedWordCounts(100));

            b.close(Duration.ofSeconds(30));
            assertThat(StreamsApps.await(() -> StreamsApps.activeTasks(a).equals(all)
                    && a.state() == KafkaStreams.State.RUNNING, WAIT))
                    .as("the remaining instance runs every task: %s", StreamsApps.activeTasks(a)).isTrue();
            produceWords(bootstrap, input, 100, 200);
            awaitCounts(consumer, latest, 200);
            assertThat(latest).as("counts go on from the restored state").isEqualTo(expectedWordCounts(200));
            a.close(Duration.ofSeconds(30));
        } finally {
            Dirs.deleteRecursively(stateA);
            Dirs.deleteRecursively(stateB);
        }
    }

    private static final int WORDS = 5;

    private static void produceWords(String bootstrap, String topic, int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "in" + i, "word-" + (i % WORDS))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<String, Long> expectedWordCounts(int records) {
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < records; i++) {
            expected.merge("word-" + (i % WORDS), 1L, Long::sum);
        }
        return expected;
    }

    /** Polls the counts until they add up to {@code total} (the last update of each word wins) or the wait ends. */
    private static void awaitCounts(KafkaConsumer<String, Long> consumer, Map<String, Long> latest, long total) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (latest.values().stream().mapToLong(Long::longValue).sum() < total && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(200))) {
                latest.put(r.key(), r.value());
            }
        }
    }

    @Test
    void shouldShutDownEveryInstanceWhenOneAsksToShutDownTheApplication(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String appId = TestTopics.unique("streams-proto-shutdown");
        String input;
        String output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("streams-proto-shutdown-in"), 2);
            output = TestTopics.create(admin, TestTopics.unique("streams-proto-shutdown-out"), 1);
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(value -> {
                    if (value.equals("poison")) {
                        throw new IllegalStateException("poison record");
                    }
                    return value;
                })
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        Topology topology = builder.build();
        Path stateA = StreamsApps.stateDir();
        Path stateB = StreamsApps.stateDir();
        try (KafkaStreams a = new KafkaStreams(topology, StreamsApps.streamsProtocol(bootstrap, appId, stateA, Map.of()));
             KafkaStreams b = new KafkaStreams(topology, StreamsApps.streamsProtocol(bootstrap, appId, stateB, Map.of()))) {
            for (KafkaStreams streams : List.of(a, b)) {
                streams.setUncaughtExceptionHandler(e -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_APPLICATION);
                streams.start();
            }
            assertThat(StreamsApps.await(() -> !StreamsApps.activeTasks(a).isEmpty() && !StreamsApps.activeTasks(b).isEmpty(), WAIT))
                    .as("both instances run tasks").isTrue();
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
                producer.send(new ProducerRecord<>(input, 0, "bad", "poison")).get(30, TimeUnit.SECONDS);
            }
            assertThat(StreamsApps.await(() -> a.state() == KafkaStreams.State.ERROR && b.state() == KafkaStreams.State.ERROR, WAIT))
                    .as("both instances shut down: %s and %s", a.state(), b.state()).isTrue();
        } finally {
            Dirs.deleteRecursively(stateA);
            Dirs.deleteRecursively(stateB);
        }
    }

    @Test
    void shouldTellEveryInstanceWhichHostRunsWhichPartitionForInteractiveQueries(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String appId = TestTopics.unique("streams-proto-iq");
        String input;
        String output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("streams-proto-iq-in"), 2);
            output = TestTopics.create(admin, TestTopics.unique("streams-proto-iq-out"), 1);
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.as("iq-counts"))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        Topology topology = builder.build();
        Path stateA = StreamsApps.stateDir();
        Path stateB = StreamsApps.stateDir();
        // the endpoints are only advertised, nobody listens on them
        try (KafkaStreams a = StreamsApps.start(topology, StreamsApps.streamsProtocol(bootstrap, appId, stateA,
                     Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, "host-a:7001")));
             KafkaStreams b = StreamsApps.start(topology, StreamsApps.streamsProtocol(bootstrap, appId, stateB,
                     Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, "host-b:7002")))) {
            TopicPartition p0 = new TopicPartition(input, 0);
            TopicPartition p1 = new TopicPartition(input, 1);
            boolean known = StreamsApps.await(() -> {
                for (KafkaStreams streams : List.of(a, b)) {
                    Map<String, Set<TopicPartition>> byHost = new HashMap<>();
                    try {
                        streams.metadataForAllStreamsClients().forEach(m -> byHost.put(
                                m.hostInfo().host() + ":" + m.hostInfo().port(), m.topicPartitions()));
                    } catch (RuntimeException notYet) {
                        return false;
                    }
                    if (!byHost.keySet().equals(Set.of("host-a:7001", "host-b:7002"))
                            || byHost.get("host-a:7001").size() != 1 || byHost.get("host-b:7002").size() != 1) {
                        return false;
                    }
                    Set<TopicPartition> union = new HashSet<>(byHost.get("host-a:7001"));
                    union.addAll(byHost.get("host-b:7002"));
                    if (!union.equals(Set.of(p0, p1))) {
                        return false;
                    }
                }
                return true;
            }, WAIT);
            assertThat(known).as("each instance knows both hosts and their partitions: %s",
                    a.metadataForAllStreamsClients()).isTrue();
            String hostOfKey = a.queryMetadataForKey("iq-counts", "some-key", Serdes.String().serializer()).activeHost().host();
            assertThat(hostOfKey).isIn("host-a", "host-b");
            assertThat(b.queryMetadataForKey("iq-counts", "some-key", Serdes.String().serializer()).activeHost().host())
                    .isEqualTo(hostOfKey);
            a.close(Duration.ofSeconds(30));
            b.close(Duration.ofSeconds(30));
        } finally {
            Dirs.deleteRecursively(stateA);
            Dirs.deleteRecursively(stateB);
        }
    }

    @Test
    void shouldProcessEveryRecordExactlyOnceWithExactlyOnceV2(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String appId = TestTopics.unique("streams-proto-eos");
        String input;
        String output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("streams-proto-eos-in"), 2);
            output = TestTopics.create(admin, TestTopics.unique("streams-proto-eos-out"), 1);
        }
        produce(bootstrap, input, 2, 0, 100);
        Path stateDir = StreamsApps.stateDir();
        try (KafkaStreams streams = StreamsApps.start(upperCase(input, output),
                StreamsApps.streamsProtocol(bootstrap, appId, stateDir,
                        Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)));
             KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of("isolation.level", "read_committed"))) {
            consumer.assign(List.of(new TopicPartition(output, 0)));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, 100, WAIT);
            assertThat(values(got)).containsExactlyInAnyOrderElementsOf(expectedUpperCase(0, 100));
            assertThat(Records.pollFor(consumer, Duration.ofSeconds(1))).isEmpty();
            streams.close(Duration.ofSeconds(30));
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }

    @Test
    void shouldListAlterAndDeleteTheOffsetsOfAStoppedStreamsGroupAndThenTheGroup(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String appId = TestTopics.unique("streams-proto-admin");
        String input;
        String output;
        try (Admin admin = Clients.admin(bootstrap)) {
            input = TestTopics.create(admin, TestTopics.unique("streams-proto-admin-in"), 2);
            output = TestTopics.create(admin, TestTopics.unique("streams-proto-admin-out"), 1);
        }
        produce(bootstrap, input, 2, 0, 40);
        Path stateDir = StreamsApps.stateDir();
        try (Admin admin = Clients.admin(bootstrap)) {
            try (KafkaStreams streams = StreamsApps.start(upperCase(input, output),
                    StreamsApps.streamsProtocol(bootstrap, appId, stateDir, Map.of()));
                 KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
                consumer.assign(List.of(new TopicPartition(output, 0)));
                assertThat(Records.pollExactly(consumer, 40, WAIT)).hasSize(40);
                streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(30)));
            }
            assertThat(StreamsApps.await(() -> stateOf(admin, appId) == GroupState.EMPTY, WAIT))
                    .as("the group is empty once its only member left").isTrue();

            TopicPartition p0 = new TopicPartition(input, 0);
            TopicPartition p1 = new TopicPartition(input, 1);
            assertThat(offsets(admin, appId)).containsOnlyKeys(p0, p1)
                    .satisfies(o -> assertThat(o.get(p0).offset()).isEqualTo(20))
                    .satisfies(o -> assertThat(o.get(p1).offset()).isEqualTo(20));
            admin.alterStreamsGroupOffsets(appId, Map.of(p0, new OffsetAndMetadata(5))).all().get(30, TimeUnit.SECONDS);
            admin.deleteStreamsGroupOffsets(appId, Set.of(p1)).all().get(30, TimeUnit.SECONDS);
            assertThat(offsets(admin, appId)).containsOnlyKeys(p0)
                    .satisfies(o -> assertThat(o.get(p0).offset()).isEqualTo(5));

            admin.deleteStreamsGroups(List.of(appId)).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listGroups(ListGroupsOptions.forStreamsGroups()).all().get(30, TimeUnit.SECONDS))
                    .noneSatisfy(g -> assertThat(g.groupId()).isEqualTo(appId));
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }

    private static GroupState stateOf(Admin admin, String groupId) {
        try {
            return describe(admin, groupId).groupState();
        } catch (Exception e) {
            return null;
        }
    }

    /** The group's committed offsets, without the partitions that have none. */
    private static Map<TopicPartition, OffsetAndMetadata> offsets(Admin admin, String groupId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>(admin.listStreamsGroupOffsets(
                Map.of(groupId, new ListStreamsGroupOffsetsSpec())).partitionsToOffsetAndMetadata(groupId).get(30, TimeUnit.SECONDS));
        all.values().removeIf(java.util.Objects::isNull);
        return all;
    }

    static Topology upperCase(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(value -> value.toUpperCase())
                .filter((key, value) -> !value.isEmpty())
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    /** Records {@code value from} .. {@code value to-1} with keys k<i>, spread over the partitions. */
    static void produce(String bootstrap, String topic, int partitions, int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, "k" + i, "value " + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    static List<String> expectedUpperCase(int from, int to) {
        List<String> expected = new ArrayList<>();
        for (int i = from; i < to; i++) {
            expected.add("k" + i + "=VALUE " + i);
        }
        return expected;
    }

    static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> r.key() + "=" + r.value()).toList();
    }

    static StreamsGroupDescription describe(Admin admin, String groupId) throws Exception {
        return admin.describeStreamsGroups(List.of(groupId)).all().get(30, TimeUnit.SECONDS).get(groupId);
    }

    static List<String> tasks(StreamsGroupMemberDescription member) {
        List<String> tasks = new ArrayList<>();
        member.assignment().activeTasks().forEach(t -> t.partitions().forEach(p -> tasks.add(t.subtopologyId() + "_" + p)));
        return tasks;
    }
}

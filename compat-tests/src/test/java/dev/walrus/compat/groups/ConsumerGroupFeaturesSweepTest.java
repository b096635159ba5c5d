package dev.walrus.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * KafkaConsumer group features applications use every day, with the classic protocol and the consumer protocol
 * (KIP-848): committed offsets with metadata, commitAsync callbacks, auto.offset.reset=none, changing and dropping a
 * subscription, rebalance listener callbacks, leaving on close, max.poll.interval.ms, server-side assignors, a
 * standalone (assign) consumer committing into a group, and a classic group upgraded online by a consumer-protocol
 * member.
 */
@ExtendWith(BrokerExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsumerGroupFeaturesSweepTest {

    enum Protocol {
        CLASSIC(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500)),
        CONSUMER(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));

        final Map<String, Object> config;

        Protocol(Map<String, Object> config) {
            this.config = config;
        }
    }

    private static final Duration STEP = Duration.ofSeconds(60);

    private static KafkaConsumer<String, String> member(String bootstrap, Protocol protocol, String group,
            Map<String, ?> more) {
        Map<String, Object> config = new HashMap<>(protocol.config);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.putAll(more);
        return Clients.consumer(bootstrap, config);
    }

    private static String topicWithRecords(String bootstrap, String prefix, int partitions, int perPartition)
            throws Exception {
        String topic = TestTopics.createUnique(bootstrap, prefix, partitions);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, "k" + i, "p" + p + "-v" + i));
                }
            }
            producer.flush();
        }
        return topic;
    }

    /** Polls until the consumer's assignment equals {@code expected}, keeping the records that came meanwhile. */
    private static List<ConsumerRecord<String, String>> pollUntilAssigned(KafkaConsumer<String, String> consumer,
            Set<TopicPartition> expected) {
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(got::add);
            if (consumer.assignment().equals(expected)) {
                return got;
            }
        }
        throw new AssertionError("assignment " + consumer.assignment() + " never became " + expected);
    }

    private static Set<TopicPartition> partitions(String topic, int count) {
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < count; p++) {
            all.add(new TopicPartition(topic, p));
        }
        return all;
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldReturnTheCommittedOffsetWithItsMetadataAndNullForAnUncommittedPartition(Protocol protocol,
            TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = topicWithRecords(bootstrap, "sweep-meta", 2, 10);
        String group = TestTopics.unique("sweep-meta");
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, group, Map.of())) {
            consumer.subscribe(List.of(topic));
            Records.pollExactly(consumer, 20);
            consumer.commitSync(Map.of(p0, new OffsetAndMetadata(5, "checkpoint-5 \u00e9")));
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.of(p0, p1));
            assertThat(committed.get(p0).offset()).isEqualTo(5);
            assertThat(committed.get(p0).metadata()).isEqualTo("checkpoint-5 \u00e9");
            assertThat(committed.get(p1)).isNull();
        }
        try (KafkaConsumer<String, String> next = member(bootstrap, protocol, group, Map.of())) {
            next.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(next, 15);
            assertThat(got.stream().filter(r -> r.partition() == 0).map(ConsumerRecord::offset))
                    .containsExactly(5L, 6L, 7L, 8L, 9L);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldCallTheCommitAsyncCallbackWithTheCommittedOffsets(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = topicWithRecords(bootstrap, "sweep-async", 1, 4);
        String group = TestTopics.unique("sweep-async");
        TopicPartition p0 = new TopicPartition(topic, 0);
        AtomicReference<Map<TopicPartition, OffsetAndMetadata>> seen = new AtomicReference<>();
        AtomicReference<Exception> error = new AtomicReference<>();
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, group, Map.of())) {
            consumer.subscribe(List.of(topic));
            Records.pollExactly(consumer, 4);
            consumer.commitAsync(Map.of(p0, new OffsetAndMetadata(3, "async")), (offsets, e) -> {
                seen.set(offsets);
                error.set(e);
            });
            long deadline = System.nanoTime() + STEP.toNanos();
            while (seen.get() == null && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            assertThat(error.get()).isNull();
            assertThat(seen.get()).isEqualTo(Map.of(p0, new OffsetAndMetadata(3, "async")));
            // a plain commitAsync() commits the consumed position
            consumer.commitAsync();
            consumer.commitSync(Duration.ofSeconds(30)); // flushes the pending async commit first
            assertThat(consumer.committed(Set.of(p0)).get(p0).offset()).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldThrowNoOffsetForPartitionWhenTheGroupHasNoOffsetAndResetIsNone(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = topicWithRecords(bootstrap, "sweep-none", 1, 3);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, TestTopics.unique("sweep-none"),
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + STEP.toNanos();
            Throwable thrown = null;
            while (thrown == null && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200));
                } catch (RuntimeException e) {
                    thrown = e;
                }
            }
            assertThat(thrown).isInstanceOf(NoOffsetForPartitionException.class);
            assertThat(((NoOffsetForPartitionException) thrown).partitions())
                    .containsExactly(new TopicPartition(topic, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldMoveToTheNewTopicsWhenSubscribingToAnotherList(Protocol protocol, TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String first = topicWithRecords(bootstrap, "sweep-sub-a", 2, 3);
        String second = topicWithRecords(bootstrap, "sweep-sub-b", 2, 4);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, TestTopics.unique("sweep-sub"),
                Map.of())) {
            consumer.subscribe(List.of(first));
            List<ConsumerRecord<String, String>> got = new ArrayList<>(pollUntilAssigned(consumer, partitions(first, 2)));
            while (got.size() < 6) {
                consumer.poll(Duration.ofMillis(100)).forEach(got::add);
            }
            consumer.commitSync();
            consumer.subscribe(List.of(second));
            assertThat(consumer.subscription()).containsExactly(second);
            List<ConsumerRecord<String, String>> fromSecond = new ArrayList<>(
                    pollUntilAssigned(consumer, partitions(second, 2)));
            fromSecond.addAll(Records.pollExactly(consumer, 8 - fromSecond.size()));
            assertThat(fromSecond).allMatch(r -> r.topic().equals(second));
            assertThat(fromSecond).hasSize(8);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldResumeFromTheCommittedOffsetAfterUnsubscribeAndSubscribeAgain(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = topicWithRecords(bootstrap, "sweep-resub", 1, 10);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, TestTopics.unique("sweep-resub"),
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, 4);
            assertThat(got.getLast().offset()).isEqualTo(3);
            consumer.commitSync();
            consumer.unsubscribe();
            assertThat(consumer.assignment()).isEmpty();
            assertThat(consumer.subscription()).isEmpty();
            consumer.subscribe(List.of(topic));
            assertThat(Records.pollExactly(consumer, 6)).extracting(ConsumerRecord::offset)
                    .containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    /** Records each callback as "revoked:[...]", "assigned:[...]", "lost:[...]" with the partitions sorted. */
    static final class RecordingListener implements ConsumerRebalanceListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        private static String names(Collection<TopicPartition> partitions) {
            TreeSet<Integer> sorted = new TreeSet<>();
            partitions.forEach(tp -> sorted.add(tp.partition()));
            return sorted.toString();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            events.add("revoked:" + names(partitions));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            events.add("assigned:" + names(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            events.add("lost:" + names(partitions));
        }
    }

    /**
     * The events without a leading "assigned:[]": a consumer-protocol member is sometimes told an empty assignment
     * when it joins, before its partitions (on Kafka as well, depending on timing).
     */
    private static List<String> settled(List<String> events) {
        List<String> copy = new ArrayList<>(events);
        while (!copy.isEmpty() && copy.getFirst().equals("assigned:[]")) {
            copy.removeFirst();
        }
        return copy;
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldCallTheRebalanceListenerInKafkasOrderWhenASecondMemberJoinsAndThenLeavesOnClose(Protocol protocol,
            TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-listener", 2);
        String group = TestTopics.unique("sweep-listener");
        RecordingListener firstListener = new RecordingListener();
        RecordingListener secondListener = new RecordingListener();
        try (KafkaConsumer<String, String> first = member(bootstrap, protocol, group, Map.of())) {
            first.subscribe(List.of(topic), firstListener);
            pollUntilAssigned(first, partitions(topic, 2));
            assertThat(settled(firstListener.events)).containsExactly("assigned:[0, 1]");

            KafkaConsumer<String, String> second = member(bootstrap, protocol, group, Map.of());
            second.subscribe(List.of(topic), secondListener);
            long deadline = System.nanoTime() + STEP.toNanos();
            while (!(first.assignment().size() == 1 && second.assignment().size() == 1
                    && !first.assignment().equals(second.assignment())) && System.nanoTime() < deadline) {
                first.poll(Duration.ofMillis(50));
                second.poll(Duration.ofMillis(50));
            }
            assertThat(first.assignment()).hasSize(1);
            assertThat(second.assignment()).hasSize(1);
            int kept = first.assignment().iterator().next().partition();
            int moved = 1 - kept;
            if (protocol == Protocol.CLASSIC) {
                // the classic default (range first, eager): everything revoked, then the new share assigned
                assertThat(settled(firstListener.events)).containsExactly("assigned:[0, 1]", "revoked:[0, 1]",
                        "assigned:[" + kept + "]");
            } else {
                // the consumer protocol is incremental: only the moved partition revoked
                assertThat(settled(firstListener.events)).containsExactly("assigned:[0, 1]", "revoked:[" + moved + "]",
                        "assigned:[]");
            }
            List<String> secondJoin = List.of("assigned:[" + moved + "]");
            assertThat(settled(secondListener.events)).containsExactlyElementsOf(secondJoin);

            long closing = System.nanoTime();
            second.close();
            List<String> secondAll = new ArrayList<>(secondJoin);
            secondAll.add("revoked:[" + moved + "]");
            assertThat(settled(secondListener.events)).containsExactlyElementsOf(secondAll);
            pollUntilAssigned(first, partitions(topic, 2));
            // far sooner than the 45 s session: the member left the group on close
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(20));
            if (protocol == Protocol.CLASSIC) {
                List<String> events = settled(firstListener.events);
                assertThat(events.subList(3, events.size()))
                        .containsExactly("revoked:[" + kept + "]", "assigned:[0, 1]");
            } else {
                List<String> events = settled(firstListener.events);
                assertThat(events.subList(3, events.size()))
                        .containsExactly("assigned:[" + moved + "]");
            }
        }
        try (Admin admin = Clients.admin(bootstrap)) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                    .get(30, TimeUnit.SECONDS).get(group);
            assertThat(description.members()).isEmpty();
            assertThat(description.groupState()).isEqualTo(GroupState.EMPTY);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldFailTheCommitOfAMemberThatExceededMaxPollInterval(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = topicWithRecords(bootstrap, "sweep-maxpoll", 1, 3);
        String group = TestTopics.unique("sweep-maxpoll");
        if (protocol == Protocol.CONSUMER) {
            // what the member's commit finds depends on how far its leave has gone after the sleep below: this
            // scenario runs at Kafka's default heartbeat pace, not the shared broker's quick one
            try (Admin admin = Clients.admin(bootstrap)) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(
                        new AlterConfigOp(new ConfigEntry("consumer.heartbeat.interval.ms", "5000"),
                                AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, group,
                Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1_500))) {
            consumer.subscribe(List.of(topic));
            Records.pollExactly(consumer, 3);
            Thread.sleep(4_000);
            TopicPartition p0 = new TopicPartition(topic, 0);
            if (protocol == Protocol.CLASSIC) {
                // the classic member was sent out of the group by its heartbeat thread: the commit fails
                assertThatThrownBy(consumer::commitSync).isInstanceOf(CommitFailedException.class);
                assertThat(consumer.committed(Set.of(p0)).get(p0)).isNull();
            } else {
                // the consumer-protocol member left the group (now empty); Kafka accepts its commit of the position
                consumer.commitSync();
                assertThat(consumer.committed(Set.of(p0)).get(p0).offset()).isEqualTo(3);
            }
        }
    }

    @Test
    void shouldCoPartitionTopicsWithTheRangeServerAssignor(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String a = TestTopics.createUnique(bootstrap, "sweep-range-a", 2);
        String b = TestTopics.createUnique(bootstrap, "sweep-range-b", 2);
        String group = TestTopics.unique("sweep-range");
        Map<String, Object> config = Map.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "range");
        try (KafkaConsumer<String, String> one = member(bootstrap, Protocol.CONSUMER, group, config);
             KafkaConsumer<String, String> two = member(bootstrap, Protocol.CONSUMER, group, config)) {
            one.subscribe(List.of(a, b));
            two.subscribe(List.of(a, b));
            awaitSplit(one, two, 2);
            for (KafkaConsumer<String, String> c : List.of(one, two)) {
                Set<Integer> numbers = new HashSet<>();
                Set<String> topics = new HashSet<>();
                c.assignment().forEach(tp -> {
                    numbers.add(tp.partition());
                    topics.add(tp.topic());
                });
                assertThat(numbers).as("range gives each member the same partition number of each topic").hasSize(1);
                assertThat(topics).containsExactlyInAnyOrder(a, b);
            }
        }
    }

    @Test
    void shouldSpreadPartitionsEvenlyWithTheUniformServerAssignor(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String a = TestTopics.createUnique(bootstrap, "sweep-uniform-a", 3);
        String b = TestTopics.createUnique(bootstrap, "sweep-uniform-b", 1);
        String group = TestTopics.unique("sweep-uniform");
        Map<String, Object> config = Map.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "uniform");
        try (KafkaConsumer<String, String> one = member(bootstrap, Protocol.CONSUMER, group, config);
             KafkaConsumer<String, String> two = member(bootstrap, Protocol.CONSUMER, group, config)) {
            one.subscribe(List.of(a, b));
            two.subscribe(List.of(a, b));
            awaitSplit(one, two, 2);
            Set<TopicPartition> union = new HashSet<>(one.assignment());
            union.addAll(two.assignment());
            Set<TopicPartition> expected = partitions(a, 3);
            expected.addAll(partitions(b, 1));
            assertThat(union).isEqualTo(expected);
        }
    }

    private static void awaitSplit(KafkaConsumer<String, String> one, KafkaConsumer<String, String> two, int each) {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            one.poll(Duration.ofMillis(50));
            two.poll(Duration.ofMillis(50));
            if (one.assignment().size() == each && two.assignment().size() == each
                    && Collections.disjoint(one.assignment(), two.assignment())) {
                return;
            }
        }
        throw new AssertionError("assignments " + one.assignment() + " and " + two.assignment()
                + " never split " + each + " each");
    }

    @Test
    void shouldRefuseAnUnknownServerAssignor(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-bad-assignor", 1);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, Protocol.CONSUMER,
                TestTopics.unique("sweep-bad-assignor"), Map.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "bogus"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + STEP.toNanos();
            Throwable thrown = null;
            while (thrown == null && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200));
                } catch (RuntimeException e) {
                    thrown = e;
                }
            }
            assertThat(thrown).isInstanceOf(UnsupportedAssignorException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldStartAnAssignedConsumerAtTheOffsetItsGroupCommitted(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = topicWithRecords(bootstrap, "sweep-standalone", 1, 10);
        String group = TestTopics.unique("sweep-standalone");
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, group, Map.of())) {
            consumer.assign(List.of(p0));
            Records.pollExactly(consumer, 10);
            consumer.commitSync(Map.of(p0, new OffsetAndMetadata(7)));
        }
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, group, Map.of())) {
            consumer.assign(List.of(p0));
            assertThat(consumer.committed(Set.of(p0)).get(p0).offset()).isEqualTo(7);
            assertThat(Records.pollExactly(consumer, 3)).extracting(ConsumerRecord::offset).containsExactly(7L, 8L, 9L);
            assertThat(consumer.position(p0)).isEqualTo(10);
            consumer.seek(p0, consumer.committed(Set.of(p0)).get(p0));
            assertThat(consumer.position(p0)).isEqualTo(7);
        }
    }

    @Test
    void shouldUpgradeAClassicGroupOnlineWhenAConsumerProtocolMemberJoins(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-upgrade", 2);
        String group = TestTopics.unique("sweep-upgrade");
        try (KafkaConsumer<String, String> classic = member(bootstrap, Protocol.CLASSIC, group, Map.of());
             KafkaConsumer<String, String> modern = member(bootstrap, Protocol.CONSUMER, group, Map.of())) {
            classic.subscribe(List.of(topic));
            pollUntilAssigned(classic, partitions(topic, 2));
            modern.subscribe(List.of(topic));
            awaitSplit(classic, modern, 1);
            try (Admin admin = Clients.admin(bootstrap)) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                        .get(30, TimeUnit.SECONDS).get(group);
                assertThat(description.members()).hasSize(2);
                assertThat(description.type()).isEqualTo(org.apache.kafka.common.GroupType.CONSUMER);
            }
        }
    }

    @Test
    void shouldLetAClassicMemberJoinAConsumerProtocolGroup(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-mixed", 2);
        String group = TestTopics.unique("sweep-mixed");
        try (KafkaConsumer<String, String> modern = member(bootstrap, Protocol.CONSUMER, group, Map.of());
             KafkaConsumer<String, String> classic = member(bootstrap, Protocol.CLASSIC, group, Map.of())) {
            modern.subscribe(List.of(topic));
            pollUntilAssigned(modern, partitions(topic, 2));
            classic.subscribe(List.of(topic));
            awaitSplit(modern, classic, 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldRevokeAndAssignAgainOnEnforceRebalance(Protocol protocol, TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-enforce", 2);
        RecordingListener listener = new RecordingListener();
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, TestTopics.unique("sweep-enforce"),
                Map.of())) {
            consumer.subscribe(List.of(topic), listener);
            pollUntilAssigned(consumer, partitions(topic, 2));
            int generation = consumer.groupMetadata().generationId();
            consumer.enforceRebalance("test");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
                if (settled(listener.events).size() >= 3) {
                    break;
                }
            }
            if (protocol == Protocol.CLASSIC) {
                assertThat(settled(listener.events)).containsExactly("assigned:[0, 1]", "revoked:[0, 1]", "assigned:[0, 1]");
                assertThat(consumer.groupMetadata().generationId()).isEqualTo(generation + 1);
            } else {
                // the consumer protocol ignores enforceRebalance: nothing is revoked
                assertThat(settled(listener.events)).containsExactly("assigned:[0, 1]");
                assertThat(consumer.groupMetadata().generationId()).isEqualTo(generation);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldReportKafkasGenerationAndMemberIdInGroupMetadata(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-generation", 2);
        String group = TestTopics.unique("sweep-generation");
        try (KafkaConsumer<String, String> first = member(bootstrap, protocol, group, Map.of())) {
            first.subscribe(List.of(topic));
            pollUntilAssigned(first, partitions(topic, 2));
            assertThat(first.groupMetadata().groupId()).isEqualTo(group);
            assertThat(first.groupMetadata().memberId()).isNotEmpty();
            int before = first.groupMetadata().generationId();
            if (protocol == Protocol.CLASSIC) {
                assertThat(before).isEqualTo(1);
            } else {
                assertThat(before).isPositive(); // the member epoch: 1 or 2 on Kafka, depending on timing
            }
            try (KafkaConsumer<String, String> second = member(bootstrap, protocol, group, Map.of())) {
                second.subscribe(List.of(topic));
                awaitSplit(first, second, 1);
                if (protocol == Protocol.CLASSIC) {
                    assertThat(second.groupMetadata().generationId()).isEqualTo(2);
                    assertThat(first.groupMetadata().generationId()).isEqualTo(2);
                } else {
                    assertThat(second.groupMetadata().generationId()).isGreaterThan(before);
                    long end = System.nanoTime() + STEP.toNanos();
                    while (first.groupMetadata().generationId() != second.groupMetadata().generationId()
                            && System.nanoTime() < end) {
                        first.poll(Duration.ofMillis(50));
                        second.poll(Duration.ofMillis(50));
                    }
                    assertThat(first.groupMetadata().generationId()).isEqualTo(second.groupMetadata().generationId());
                }
            }
        }
    }

    @Test
    void shouldFollowAClientSidePatternSubscriptionToATopicCreatedLaterWithTheClassicProtocol(TargetBroker broker)
            throws Exception {
        followPattern(Protocol.CLASSIC, broker);
    }

    @Test
    void shouldFollowAClientSidePatternSubscriptionToATopicCreatedLaterWithTheConsumerProtocol(TargetBroker broker)
            throws Exception {
        followPattern(Protocol.CONSUMER, broker);
    }

    @Test
    void shouldJoinWithAPatternThatMatchesNoTopicYetWithTheConsumerProtocol(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String prefix = TestTopics.unique("sweep-nomatch");
        try (KafkaConsumer<String, String> consumer = member(bootstrap, Protocol.CONSUMER, TestTopics.unique("sweep-nomatch"),
                Map.of(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500))) {
            consumer.subscribe(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix) + ".*"));
            assertThat(Records.pollFor(consumer, Duration.ofSeconds(2))).isEmpty();
            String topic = topicWithRecords(bootstrap, prefix + "-x", 1, 2);
            assertThat(Records.pollExactly(consumer, 2)).allMatch(r -> r.topic().equals(topic));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldConsumeATopicCreatedAfterTheMemberSubscribedToIt(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String name = TestTopics.unique("sweep-later");
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, TestTopics.unique("sweep-later"),
                Map.of(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500,
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false))) {
            consumer.subscribe(List.of(name));
            assertThat(Records.pollFor(consumer, Duration.ofSeconds(2))).isEmpty();
            try (Admin admin = Clients.admin(bootstrap)) {
                TestTopics.create(admin, name, 2);
            }
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
                producer.send(new ProducerRecord<>(name, 0, "k", "a")).get(30, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>(name, 1, "k", "b")).get(30, TimeUnit.SECONDS);
            }
            assertThat(Records.pollExactly(consumer, 2)).extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrder("a", "b");
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldConsumeAsAMemberWithClientRack(Protocol protocol, TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = topicWithRecords(bootstrap, "sweep-rack", 2, 3);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, TestTopics.unique("sweep-rack"),
                Map.of(ConsumerConfig.CLIENT_RACK_CONFIG, "rack-a"))) {
            consumer.subscribe(List.of(topic));
            assertThat(Records.pollExactly(consumer, 6)).hasSize(6);
            consumer.commitSync();
        }
    }

    private static void followPattern(Protocol protocol, TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String prefix = TestTopics.unique("sweep-pattern");
        String first = topicWithRecords(bootstrap, prefix, 1, 3);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, TestTopics.unique("sweep-pattern"),
                Map.of(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500))) {
            consumer.subscribe(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix) + ".*"));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, 3);
            assertThat(got).allMatch(r -> r.topic().equals(first));
            consumer.commitSync();
            String later = topicWithRecords(bootstrap, prefix + "-later", 1, 2);
            assertThat(Records.pollExactly(consumer, 2)).allMatch(r -> r.topic().equals(later));
            assertThat(consumer.assignment()).containsExactlyInAnyOrder(new TopicPartition(first, 0),
                    new TopicPartition(later, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldAutoCommitTheConsumedPositionAndOnClose(Protocol protocol, TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = topicWithRecords(bootstrap, "sweep-autocommit", 1, 10);
        String group = TestTopics.unique("sweep-autocommit");
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, group, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true, ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 200,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 6))) {
            consumer.subscribe(List.of(topic));
            Records.pollExactly(consumer, 6);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            OffsetAndMetadata committed = null;
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> { });
                committed = consumer.committed(Set.of(p0)).get(p0);
                if (committed != null && committed.offset() == 10) {
                    break;
                }
            }
            assertThat(committed).isNotNull();
            assertThat(committed.offset()).isEqualTo(10);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "more")).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, group, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true, ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 60_000))) {
            consumer.subscribe(List.of(topic));
            assertThat(Records.pollExactly(consumer, 1).getFirst().offset()).isEqualTo(10);
        }
        try (Admin admin = Clients.admin(bootstrap)) {
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .get(p0).offset()).as("committed on close").isEqualTo(11);
        }
    }

    @Test
    void shouldCommitAConsumerProtocolMembersOffsetsInATransaction(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String input = topicWithRecords(bootstrap, "sweep-eos-in", 2, 5);
        String output = TestTopics.createUnique(bootstrap, "sweep-eos-out", 1);
        String group = TestTopics.unique("sweep-eos");
        try (KafkaConsumer<String, String> consumer = member(bootstrap, Protocol.CONSUMER, group,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
             KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                     TestTopics.unique("sweep-eos"))) {
            producer.initTransactions();
            consumer.subscribe(List.of(input));
            List<ConsumerRecord<String, String>> in = Records.pollExactly(consumer, 10);
            assertThat(consumer.groupMetadata().generationId()).isPositive();
            producer.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<String, String> r : in) {
                producer.send(new ProducerRecord<>(output, 0, r.key(), r.value().toUpperCase()));
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(offsets.keySet(), Duration.ofSeconds(30));
            assertThat(committed.get(new TopicPartition(input, 0)).offset()).isEqualTo(5);
            assertThat(committed.get(new TopicPartition(input, 1)).offset()).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldRefuseToDeleteOrAlterTheOffsetsOfAGroupWithAnActiveMember(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = topicWithRecords(bootstrap, "sweep-busy", 1, 3);
        String group = TestTopics.unique("sweep-busy");
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, group, Map.of());
             Admin admin = Clients.admin(bootstrap)) {
            consumer.subscribe(List.of(topic));
            Records.pollExactly(consumer, 3);
            consumer.commitSync();
            assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.GroupNotEmptyException.class);
            assertThatThrownBy(() -> admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(0)))
                    .all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.UnknownMemberIdException.class);
            assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets(group, Set.of(p0)).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.GroupSubscribedToTopicException.class);
            assertThat(consumer.committed(Set.of(p0)).get(p0).offset()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldDescribeAStableGroupWithItsMemberAssignorAndEpochs(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-describe", 2);
        String group = TestTopics.unique("sweep-describe");
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, group, Map.of());
             Admin admin = Clients.admin(bootstrap)) {
            consumer.subscribe(List.of(topic));
            pollUntilAssigned(consumer, partitions(topic, 2));
            ConsumerGroupDescription d = null;
            long deadline = System.nanoTime() + STEP.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
                d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
                if (d.groupState() == GroupState.STABLE && d.members().size() == 1
                        && d.members().iterator().next().assignment().topicPartitions().size() == 2) {
                    break;
                }
            }
            assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(d.isSimpleConsumerGroup()).isFalse();
            var m = d.members().iterator().next();
            assertThat(m.consumerId()).isEqualTo(consumer.groupMetadata().memberId());
            assertThat(m.clientId()).startsWith("compat-consumer-");
            assertThat(m.host()).contains("127.0.0.1");
            assertThat(m.assignment().topicPartitions()).isEqualTo(partitions(topic, 2));
            if (protocol == Protocol.CLASSIC) {
                assertThat(d.type()).isEqualTo(org.apache.kafka.common.GroupType.CLASSIC);
                assertThat(d.partitionAssignor()).isEqualTo("range");
                assertThat(m.memberEpoch()).isEmpty();
                assertThat(m.upgraded()).isEmpty();
            } else {
                assertThat(d.type()).isEqualTo(org.apache.kafka.common.GroupType.CONSUMER);
                assertThat(d.partitionAssignor()).isEqualTo("uniform");
                assertThat(m.memberEpoch()).hasValue(consumer.groupMetadata().generationId());
                assertThat(m.upgraded()).hasValue(true); // KIP-1099: true for a consumer-protocol member
                assertThat(m.targetAssignment()).isPresent();
                assertThat(m.targetAssignment().get().topicPartitions()).isEqualTo(partitions(topic, 2));
                assertThat(d.groupEpoch()).hasValue(consumer.groupMetadata().generationId());
                assertThat(d.targetAssignmentEpoch()).hasValue(consumer.groupMetadata().generationId());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldAssignAPartitionAddedToASubscribedTopic(Protocol protocol, TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-grow", 1);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, TestTopics.unique("sweep-grow"),
                Map.of(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500));
             Admin admin = Clients.admin(bootstrap)) {
            consumer.subscribe(List.of(topic));
            pollUntilAssigned(consumer, partitions(topic, 1));
            admin.createPartitions(Map.of(topic, org.apache.kafka.clients.admin.NewPartitions.increaseTo(3)))
                    .all().get(30, TimeUnit.SECONDS);
            pollUntilAssigned(consumer, partitions(topic, 3));
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
                producer.send(new ProducerRecord<>(topic, 2, "k", "new-partition")).get(30, TimeUnit.SECONDS);
            }
            ConsumerRecord<String, String> got = Records.pollExactly(consumer, 1).getFirst();
            assertThat(got.partition()).isEqualTo(2);
            consumer.commitSync();
            TopicPartition p2 = new TopicPartition(topic, 2);
            OffsetAndMetadata committed = consumer.committed(Set.of(p2)).get(p2);
            assertThat(committed.offset()).isEqualTo(1);
            assertThat(committed.leaderEpoch()).hasValue(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldDropTheDeletedTopicFromTheAssignmentAndKeepConsumingTheOther(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String kept = TestTopics.createUnique(bootstrap, "sweep-keep", 1);
        String doomed = TestTopics.createUnique(bootstrap, "sweep-doomed", 1);
        try (KafkaConsumer<String, String> consumer = member(bootstrap, protocol, TestTopics.unique("sweep-delete"),
                Map.of(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500, ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false));
             Admin admin = Clients.admin(bootstrap)) {
            consumer.subscribe(List.of(kept, doomed));
            Set<TopicPartition> both = partitions(kept, 1);
            both.addAll(partitions(doomed, 1));
            pollUntilAssigned(consumer, both);
            admin.deleteTopics(List.of(doomed)).all().get(30, TimeUnit.SECONDS);
            pollUntilAssigned(consumer, partitions(kept, 1));
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
                producer.send(new ProducerRecord<>(kept, 0, "k", "still")).get(30, TimeUnit.SECONDS);
            }
            assertThat(Records.pollExactly(consumer, 1).getFirst().value()).isEqualTo("still");
        }
    }

    /** Polls both until one throws or the time is up; returns "first: X" / "second: X" or "none". */
    private static String firstFailure(KafkaConsumer<String, String> first, KafkaConsumer<String, String> second,
            Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                first.poll(Duration.ofMillis(50));
            } catch (RuntimeException e) {
                return "first: " + e.getClass().getSimpleName();
            }
            try {
                second.poll(Duration.ofMillis(50));
            } catch (RuntimeException e) {
                return "second: " + e.getClass().getSimpleName();
            }
        }
        return "none";
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldResolveTwoLiveMembersWithTheSameGroupInstanceIdAsKafkaDoes(Protocol protocol, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "sweep-dup-static", 1);
        String group = TestTopics.unique("sweep-dup-static");
        Map<String, Object> config = Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-1");
        try (KafkaConsumer<String, String> first = member(bootstrap, protocol, group, config);
             KafkaConsumer<String, String> second = member(bootstrap, protocol, group, config)) {
            first.subscribe(List.of(topic));
            pollUntilAssigned(first, partitions(topic, 1));
            second.subscribe(List.of(topic));
            String failure = firstFailure(first, second, Duration.ofSeconds(20));
            if (protocol == Protocol.CLASSIC) {
                // the newcomer takes the instance id over; the old member is fenced
                assertThat(failure).isEqualTo("first: FencedInstanceIdException");
            } else {
                // the consumer protocol refuses the newcomer while the instance id's member is alive
                assertThat(failure).isEqualTo("second: UnreleasedInstanceIdException");
            }
        }
    }
}

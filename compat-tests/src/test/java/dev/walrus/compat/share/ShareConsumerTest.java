package dev.walrus.compat.share;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import static dev.walrus.compat.share.ShareFixtures.explicit;
import static dev.walrus.compat.share.ShareFixtures.fromEarliest;
import static dev.walrus.compat.share.ShareFixtures.pollCount;
import static dev.walrus.compat.share.ShareFixtures.pollFor;
import static dev.walrus.compat.share.ShareFixtures.pollUntil;
import static dev.walrus.compat.share.ShareFixtures.produce;
import static dev.walrus.compat.share.ShareFixtures.shareConsumer;
import static dev.walrus.compat.share.ShareFixtures.shareOffsets;
import static dev.walrus.compat.share.ShareFixtures.values;
import static dev.walrus.compat.share.ShareFixtures.valuesOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka 4.4's {@code KafkaShareConsumer} (KIP-932, share groups): delivery from the share-partition start offset,
 * records shared between members, implicit and explicit acknowledgement (ACCEPT, RELEASE, REJECT), release on close,
 * the acquisition lock timeout and the delivery attempt limit.
 */
@ExtendWith(BrokerExtension.class)
class ShareConsumerTest {

    private String bootstrap;
    private String topic;
    private String group;

    @BeforeEach
    void topic(TargetBroker broker) {
        bootstrap = broker.bootstrapServers();
        topic = TestTopics.createUnique(bootstrap, "share", 1);
        group = "share-" + UUID.randomUUID();
    }

    @Test
    void shouldDeliverRecordsProducedBeforeTheFirstAssignmentWhenTheGroupStartsFromEarliest() throws Exception {
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, values("early-", 10));
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> received = pollCount(consumer, 10);
            assertThat(valuesOf(received)).containsExactly(values("early-", 10));
            assertThat(received).allSatisfy(r -> assertThat(r.deliveryCount()).contains((short) 1));
        }
    }

    @Test
    void shouldStartFromTheLatestOffsetByDefault() throws Exception {
        produce(bootstrap, topic, values("before-", 5));
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
            consumer.subscribe(List.of(topic));
            // share.auto.offset.reset=latest: the start offset is fixed when the group first reads the partition
            awaitAssigned(consumer);
            assertThat(pollFor(consumer, Duration.ofSeconds(2))).isEmpty();
            produce(bootstrap, topic, values("after-", 5));
            List<ConsumerRecord<String, String>> received = pollCount(consumer, 5);
            assertThat(valuesOf(received)).containsExactly(values("after-", 5));
            assertThat(pollFor(consumer, Duration.ofSeconds(1))).isEmpty();
        }
    }

    @Test
    void shouldStartAPartitionAddedLaterAtItsFirstRecordEvenFromLatest() throws Exception {
        try (Admin admin = Clients.admin(bootstrap);
             KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
            consumer.subscribe(List.of(topic));
            awaitAssigned(consumer);
            assertThat(pollFor(consumer, Duration.ofSeconds(1))).isEmpty();
            admin.createPartitions(Map.of(topic, org.apache.kafka.clients.admin.NewPartitions.increaseTo(2)))
                    .all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            TestTopics.awaitLeaders(bootstrap, topic, 2);
            try (var producer = Clients.producer(bootstrap)) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 1, null, "in-new-partition")).get();
            }
            // as Kafka: a partition added to a topic the group reads starts at offset 0, whatever share.auto.offset.reset
            List<ConsumerRecord<String, String>> received = pollCount(consumer, 1);
            assertThat(valuesOf(received)).containsExactly("in-new-partition");
            assertThat(received.get(0).partition()).isEqualTo(1);
        }
    }

    @Test
    void shouldShareOnePartitionBetweenTwoMembersDeliveringEachRecordToOneOfThem() throws Exception {
        fromEarliest(bootstrap, group);
        Map<String, Object> small = Map.of("max.poll.records", 5);
        Map<String, String> receivedBy = new ConcurrentHashMap<>();
        List<String> duplicates = new ArrayList<>();
        try (KafkaShareConsumer<String, String> a = shareConsumer(bootstrap, group, small);
             KafkaShareConsumer<String, String> b = shareConsumer(bootstrap, group, small)) {
            a.subscribe(List.of(topic));
            b.subscribe(List.of(topic));
            int produced = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while ((receivedBy.size() < produced || produced < 200 || !receivedBy.containsValue("a")
                    || !receivedBy.containsValue("b")) && System.nanoTime() < deadline) {
                if (produced < 200) {
                    produce(bootstrap, topic, values("r" + produced + "-", 10));
                    produced += 10;
                }
                for (var r : a.poll(Duration.ofMillis(100))) {
                    if (receivedBy.put(r.value(), "a") != null) {
                        duplicates.add(r.value());
                    }
                }
                for (var r : b.poll(Duration.ofMillis(100))) {
                    if (receivedBy.put(r.value(), "b") != null) {
                        duplicates.add(r.value());
                    }
                }
            }
            assertThat(receivedBy).hasSize(200);
            assertThat(duplicates).as("records delivered twice").isEmpty();
            assertThat(receivedBy.values()).as("both members received records").contains("a", "b");
        }
    }

    @Test
    void shouldAcknowledgeImplicitlyOnCommitAndReleaseTheLastPollOnClose() throws Exception {
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, values("done-", 10));
        try (Admin admin = Clients.admin(bootstrap)) {
            try (KafkaShareConsumer<String, String> first = shareConsumer(bootstrap, group)) {
                first.subscribe(List.of(topic));
                assertThat(valuesOf(pollCount(first, 10))).containsExactly(values("done-", 10));
                // implicit acknowledgement (the default): what poll returned is accepted by the next poll or commit
                assertThat(first.commitSync().values()).allSatisfy(r -> assertThat(r).isEmpty());
                assertThat(shareOffsets(admin, group).values()).singleElement()
                        .satisfies(info -> assertThat(info.lag()).contains(0L));
                produce(bootstrap, topic, "later");
                assertThat(valuesOf(pollCount(first, 1))).containsExactly("later");
                // closed before the next poll: "later" is released, not accepted
            }
            try (KafkaShareConsumer<String, String> second = shareConsumer(bootstrap, group)) {
                second.subscribe(List.of(topic));
                List<ConsumerRecord<String, String>> again = pollCount(second, 1);
                assertThat(valuesOf(again)).containsExactly("later");
                assertThat(again.get(0).deliveryCount()).contains((short) 2);
                assertThat(pollFor(second, Duration.ofSeconds(1))).isEmpty();
                second.commitSync();
            }
        }
    }

    @Test
    void shouldRedeliverReleasedRecordsAndNeverRejectedOnes() throws Exception {
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, "accept", "release", "reject");
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group, explicit())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> first = pollCount(consumer, 3);
            for (ConsumerRecord<String, String> r : first) {
                consumer.acknowledge(r, switch (r.value()) {
                    case "accept" -> AcknowledgeType.ACCEPT;
                    case "release" -> AcknowledgeType.RELEASE;
                    default -> AcknowledgeType.REJECT;
                });
            }
            Map<TopicIdPartition, Optional<KafkaException>> results = consumer.commitSync();
            assertThat(results).isNotEmpty();
            assertThat(results.values()).allSatisfy(r -> assertThat(r).isEmpty());

            List<ConsumerRecord<String, String>> again = pollCount(consumer, 1);
            assertThat(valuesOf(again)).containsExactly("release");
            assertThat(again.get(0).offset()).isEqualTo(1L);
            assertThat(again.get(0).deliveryCount()).contains((short) 2);
            consumer.acknowledge(again.get(0), AcknowledgeType.ACCEPT);
            consumer.commitSync();

            produce(bootstrap, topic, "marker");
            List<ConsumerRecord<String, String>> rest = pollUntil(consumer, r -> valuesOf(r).contains("marker"));
            assertThat(valuesOf(rest)).containsExactly("marker");
            rest.forEach(consumer::acknowledge);
            consumer.commitSync();
        }
    }

    @Test
    void shouldReleaseUnacknowledgedRecordsOfAClosedConsumerToAnotherMember() throws Exception {
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, values("held-", 5));
        try (KafkaShareConsumer<String, String> first = shareConsumer(bootstrap, group, explicit())) {
            first.subscribe(List.of(topic));
            assertThat(valuesOf(pollCount(first, 5))).containsExactly(values("held-", 5));
        }
        try (KafkaShareConsumer<String, String> second = shareConsumer(bootstrap, group, explicit())) {
            second.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> again = pollCount(second, 5);
            assertThat(valuesOf(again)).containsExactly(values("held-", 5));
            assertThat(again).allSatisfy(r -> assertThat(r.deliveryCount()).contains((short) 2));
            again.forEach(second::acknowledge);
            second.commitSync();
        }
    }

    @Test
    void shouldRedeliverRecordsWhoseAcquisitionLockTimedOut() throws Exception {
        fromEarliest(bootstrap, group);
        try (Admin admin = Clients.admin(bootstrap)) {
            // the smallest lock duration a group may set (group.share.min.record.lock.duration.ms, 15 s by default)
            ShareFixtures.setGroupConfig(admin, group, "share.record.lock.duration.ms", "15000");
        }
        produce(bootstrap, topic, values("locked-", 3));
        try (KafkaShareConsumer<String, String> holder = shareConsumer(bootstrap, group, explicit());
             KafkaShareConsumer<String, String> other = shareConsumer(bootstrap, group, explicit())) {
            holder.subscribe(List.of(topic));
            other.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> held = new ArrayList<>();
            List<ConsumerRecord<String, String>> byOther = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (held.isEmpty() && byOther.isEmpty() && System.nanoTime() < deadline) {
                holder.poll(Duration.ofMillis(200)).forEach(held::add);
                if (held.isEmpty()) {
                    other.poll(Duration.ofMillis(200)).forEach(byOther::add);
                }
            }
            KafkaShareConsumer<String, String> waiting = held.isEmpty() ? holder : other;
            List<ConsumerRecord<String, String>> first = held.isEmpty() ? byOther : held;
            assertThat(valuesOf(first)).containsExactly(values("locked-", 3));
            // the member that has them neither acknowledges nor polls again: the locks expire, the records come back
            List<ConsumerRecord<String, String>> redelivered = pollCount(waiting, 3);
            assertThat(valuesOf(redelivered)).containsExactly(values("locked-", 3));
            assertThat(redelivered).allSatisfy(r -> assertThat(r.deliveryCount()).contains((short) 2));
            redelivered.forEach(waiting::acknowledge);
            waiting.commitSync();
        }
    }

    @Test
    void shouldArchiveARecordOnceItsDeliveryAttemptsAreUsedUp() throws Exception {
        fromEarliest(bootstrap, group);
        try (Admin admin = Clients.admin(bootstrap)) {
            ShareFixtures.setGroupConfig(admin, group, "share.delivery.count.limit", "2");
        }
        produce(bootstrap, topic, "poison");
        try (Admin admin = Clients.admin(bootstrap);
             KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group, explicit())) {
            consumer.subscribe(List.of(topic));
            for (short attempt = 1; attempt <= 2; attempt++) {
                List<ConsumerRecord<String, String>> got = pollCount(consumer, 1);
                assertThat(valuesOf(got)).containsExactly("poison");
                assertThat(got.get(0).deliveryCount()).contains(attempt);
                consumer.acknowledge(got.get(0), AcknowledgeType.RELEASE);
                consumer.commitSync();
            }
            produce(bootstrap, topic, "marker");
            List<ConsumerRecord<String, String>> rest = pollUntil(consumer, r -> valuesOf(r).contains("marker"));
            assertThat(valuesOf(rest)).containsExactly("marker");
            rest.forEach(consumer::acknowledge);
            consumer.commitSync();
            // Kafka reports the start offset it last persisted, which may trail the acknowledgements; the lag counts
            // acknowledged and archived records as done
            assertThat(shareOffsets(admin, group).values()).singleElement()
                    .satisfies(info -> assertThat(info.lag()).contains(0L));
        }
    }

    @Test
    void shouldReportAcknowledgementResultsOfCommitSyncAndCommitAsync() throws Exception {
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, values("c-", 4));
        AtomicReference<Exception> callbackError = new AtomicReference<>();
        Set<Long> acknowledgedOffsets = new HashSet<>();
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group, explicit())) {
            consumer.setAcknowledgementCommitCallback((offsets, error) -> {
                if (error != null) {
                    callbackError.set(error);
                }
                offsets.values().forEach(acknowledgedOffsets::addAll);
            });
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = pollCount(consumer, 4);
            consumer.acknowledge(got.get(0));
            consumer.acknowledge(got.get(1));
            Map<TopicIdPartition, Optional<KafkaException>> sync = consumer.commitSync();
            assertThat(sync).hasSize(1);
            assertThat(sync.keySet().iterator().next().topic()).isEqualTo(topic);
            assertThat(sync.values()).allSatisfy(r -> assertThat(r).isEmpty());

            consumer.acknowledge(got.get(2));
            consumer.acknowledge(got.get(3));
            consumer.commitAsync();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (acknowledgedOffsets.size() < 4 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)); // the callback runs inside poll
            }
            assertThat(callbackError.get()).isNull();
            assertThat(acknowledgedOffsets).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
        }
    }

    /** Polls until the group coordinator has given this member the topic's partition. */
    private void awaitAssigned(KafkaShareConsumer<String, String> consumer) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
                var description = admin.describeShareGroups(List.of(group)).describedGroups().get(group).get();
                if (description.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
            }
        }
        throw new AssertionError("no assignment in 60 s");
    }
}

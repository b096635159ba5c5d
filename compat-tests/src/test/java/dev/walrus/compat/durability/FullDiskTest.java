package dev.walrus.compat.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.Commands;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.Records;
import dev.walrus.compat.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A full disk, through real clients: the broker's data directory is a small tmpfs (mounted here; the tests run as
 * root, as CI does) that producers fill up.
 *
 * <p>What a user gets: every acknowledged record stays readable; produces are refused with KAFKA_STORAGE_ERROR, which
 * the producer retries; topics can still be created, truncated and deleted, and deleting one frees the space so that
 * the producer's retried batches go in, once each and in order, with no restart; a broker killed and restarted on the
 * full disk starts, serves reads, and takes produces again once space is freed. Our own behaviour only: a Kafka broker whose only log directory fails stops altogether, so
 * this class runs against our broker alone.
 */
class FullDiskTest {

    private static final String TMPFS_SIZE = "64m";
    /** Far more than the tmpfs holds, so a producer that never meets the full disk fails the test. */
    private static final int MAX_RECORDS = 20_000;
    private static final int VALUE_BYTES = 8 * 1024;

    private Path mount;
    private ChildBroker broker;

    @BeforeEach
    void mountTinyFileSystem() throws Exception {
        Assumptions.assumeTrue(CompatSettings.target() == CompatSettings.Target.EMBEDDED,
                "our broker's own behaviour: a Kafka broker whose only log directory fails shuts down");
        mount = CompatSettings.newWorkDir("full-disk").resolve("tmpfs");
        java.nio.file.Files.createDirectories(mount);
        CommandResult mounted = Commands.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs",
                mount.toString()), null, Duration.ofSeconds(30));
        if (mounted.exitCode() != 0) {
            fail("FullDiskTest needs root to mount a " + TMPFS_SIZE + " tmpfs (as CI runs it)\n" + mounted);
        }
    }

    @AfterEach
    void unmount() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (mount != null) {
            CommandResult unmounted = Commands.run(List.of("umount", mount.toString()), null, Duration.ofSeconds(30));
            assertThat(unmounted.exitCode()).as("umount\n%s", unmounted).isZero();
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedRecordAndTakeRetriedRecordsOnceDeletingATopicFreedSpace() throws Exception {
        broker = ChildBroker.walrus(mount.resolve("data"), Map.of()).start();
        String bootstrap = broker.bootstrapServers();
        String filled = TestTopics.createUnique(bootstrap, "filled", 1);
        String waiting = TestTopics.createUnique(bootstrap, "waiting", 1);

        List<String> acked = produceUntilRefused(bootstrap, filled, new ArrayList<>());
        assertThat(readAll(bootstrap, filled)).as("every acknowledged record, nothing else").isEqualTo(acked);

        try (Admin admin = Clients.admin(bootstrap);
             KafkaProducer<String, String> producer = Clients.producer(bootstrap,
                     Map.of("delivery.timeout.ms", "120000", "linger.ms", "0"))) {
            // an idempotent producer (the default) whose batches are refused while the disk is full...
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                values.add("after-" + i);
                sends.add(producer.send(new ProducerRecord<>(waiting, values.getLast())));
            }
            Thread.sleep(1_000);
            assertThat(sends.getFirst()).as("refused and retried while the disk is full").isNotDone();

            // ...what frees space still works on the full disk: creating a topic, truncating one, deleting one
            String created = TestTopics.createUnique(bootstrap, "created-while-full", 1);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(created);
            TopicPartition filledPartition = new TopicPartition(filled, 0);
            admin.deleteRecords(Map.of(filledPartition, RecordsToDelete.beforeOffset(acked.size() / 2)))
                    .all().get(30, TimeUnit.SECONDS);
            admin.deleteTopics(List.of(filled)).all().get(30, TimeUnit.SECONDS);

            // ...and once it did, the retried batches go in: all of them, once each, in order
            for (Future<RecordMetadata> send : sends) {
                send.get(60, TimeUnit.SECONDS);
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("after-" + i);
        }
        assertThat(readAll(bootstrap, waiting)).isEqualTo(expected);
        assertGroupCommits(bootstrap, waiting, expected.size());
    }

    @Test
    void shouldRestartOnAFullDiskServeReadsAndTakeProducesOnceSpaceIsFreed() throws Exception {
        broker = ChildBroker.walrus(mount.resolve("data"), Map.of()).start();
        String filled = TestTopics.createUnique(broker.bootstrapServers(), "filled", 1);
        List<String> acked = produceUntilRefused(broker.bootstrapServers(), filled, new ArrayList<>());

        broker.kill();
        broker.start();
        String bootstrap = broker.bootstrapServers();
        assertThat(readAll(bootstrap, filled)).as("every acknowledged record after kill -9 and restart").isEqualTo(acked);
        // the restart may give back room the file preparer had zero-written ahead: fill that too
        produceUntilRefused(bootstrap, filled, acked);
        assertThat(readAll(bootstrap, filled)).isEqualTo(acked);

        try (Admin admin = Clients.admin(bootstrap)) {
            admin.deleteTopics(List.of(filled)).all().get(30, TimeUnit.SECONDS);
        }
        String fresh = TestTopics.createUnique(bootstrap, "fresh", 1);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(fresh, "accepted")).get(30, TimeUnit.SECONDS);
        }
        assertThat(readAll(bootstrap, fresh)).containsExactly("accepted");
    }

    @Test
    void shouldCommitATransactionWhoseCommitMetTheFullDiskOnceSpaceIsFreed() throws Exception {
        broker = ChildBroker.walrus(mount.resolve("data"), Map.of()).start();
        String bootstrap = broker.bootstrapServers();
        String out = TestTopics.createUnique(bootstrap, "txn-out", 1);
        String filler = TestTopics.createUnique(bootstrap, "filler", 1);
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap,
                TestTopics.unique("full-disk-txn"), Map.of("max.block.ms", "120000"))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                values.add("txn-" + i);
                producer.send(new ProducerRecord<>(out, values.getLast())).get(30, TimeUnit.SECONDS);
            }
            produceUntilRefused(bootstrap, filler, new ArrayList<>());

            // the commit's decision and its markers are writes the full disk refuses: the producer retries them...
            java.util.concurrent.CompletableFuture<Void> commit =
                    java.util.concurrent.CompletableFuture.runAsync(producer::commitTransaction);
            Thread.sleep(2_000);
            assertThat(commit).as("waiting for room").isNotDone();
            try (Admin admin = Clients.admin(bootstrap)) {
                admin.deleteTopics(List.of(filler)).all().get(30, TimeUnit.SECONDS);
            }
            commit.get(120, TimeUnit.SECONDS); // ...and the transaction commits once there is room
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of("isolation.level", "read_committed"))) {
            TopicPartition tp = new TopicPartition(out, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            assertThat(Records.pollExactly(consumer, 10, Duration.ofSeconds(60))).extracting(ConsumerRecord::value)
                    .isEqualTo(values);
        }
    }

    /**
     * Sends records of {@value #VALUE_BYTES} bytes to partition 0, one at a time (acks=all, no retries), adding each
     * acknowledged value to {@code acked} (the partition's values so far), until one is refused: with
     * KAFKA_STORAGE_ERROR, the full disk's answer. Returns {@code acked}.
     */
    private static List<String> produceUntilRefused(String bootstrap, String topic, List<String> acked)
            throws Exception {
        String padding = "x".repeat(VALUE_BYTES);
        int before = acked.size();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap,
                Map.of("retries", "0", "enable.idempotence", "false", "acks", "all", "linger.ms", "0"))) {
            for (int i = 0; i < MAX_RECORDS; i++) {
                String value = acked.size() + "-" + padding;
                try {
                    RecordMetadata md = producer.send(new ProducerRecord<>(topic, 0, null, value))
                            .get(30, TimeUnit.SECONDS);
                    assertThat(md.offset()).isEqualTo(acked.size());
                    acked.add(value);
                } catch (ExecutionException refused) {
                    assertThat(refused).as("the full disk's answer").hasCauseInstanceOf(KafkaStorageException.class);
                    assertThat(before > 0 || acked.size() > 100).as("the tmpfs held some records first").isTrue();
                    return acked;
                }
            }
        }
        return fail("the " + TMPFS_SIZE + " tmpfs never filled up after " + MAX_RECORDS + " records");
    }

    /** Every value of the topic's partition 0, from its log start to its end. */
    private static List<String> readAll(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long start = consumer.position(tp);
            return Records.pollExactly(consumer, (int) (end - start), Duration.ofSeconds(60)).stream()
                    .map(ConsumerRecord::value).toList();
        }
    }

    /** A consumer group reads the topic and commits: the coordinator's writes work again once space was freed. */
    private static void assertGroupCommits(String bootstrap, String topic, int records) {
        String group = TestTopics.unique("after-full");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of("group.id", group))) {
            consumer.subscribe(List.of(topic));
            assertThat(Records.pollExactly(consumer, records, Duration.ofSeconds(60))).hasSize(records);
            consumer.commitSync(Duration.ofSeconds(30));
            OffsetAndMetadata committed = consumer.committed(java.util.Set.of(new TopicPartition(topic, 0)),
                    Duration.ofSeconds(30)).get(new TopicPartition(topic, 0));
            assertThat(committed.offset()).isEqualTo(records);
        }
    }
}

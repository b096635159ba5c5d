package dev.walrus.compat.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.Records;
import dev.walrus.compat.TestTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Kafka Connect 4.4 in distributed mode ({@code ConnectDistributed} in a child JVM, one worker) on a broker of its own:
 * the worker creates its config, offset and status topics compacted and joins its group; a source connector and a
 * sink connector created over the REST API run with their tasks; the source's records land in their topic (created
 * by Connect) exactly, the sink gets exactly those and commits its consumer offsets; the source's offsets are committed
 * to the offsets topic, so after a worker restart the source continues where it left off instead of starting over.
 * The connectors are the test's own ({@link CountingSourceConnector}, {@link FileAppendingSinkConnector}), found on
 * the classpath through their service manifests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectDistributedTest {

    private static final int RECORDS = 5;
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String CONFIG_TOPIC = "connect-configs";
    private static final String OFFSET_TOPIC = "connect-offsets";
    private static final String STATUS_TOPIC = "connect-status";

    private ChildBroker broker;
    private ConnectWorker worker;
    private Path work;

    @BeforeAll
    void startBrokerAndWorker() {
        broker = ChildBroker.forCurrentTarget("connect").start();
        work = CompatSettings.newWorkDir("connect");
        worker = new ConnectWorker(work.resolve("worker"), broker.bootstrapServers(), Map.of(
                "group.id", TestTopics.unique("connect-cluster"),
                "config.storage.topic", CONFIG_TOPIC,
                "offset.storage.topic", OFFSET_TOPIC,
                "status.storage.topic", STATUS_TOPIC,
                "config.storage.replication.factor", "1",
                "offset.storage.replication.factor", "1",
                "status.storage.replication.factor", "1",
                "offset.flush.interval.ms", "500")).start();
    }

    @AfterAll
    void stopWorkerAndBroker() {
        if (worker != null) {
            worker.close();
        }
        if (broker != null) {   // null when the class was skipped for an external target
            broker.close();
        }
    }

    @Test
    void sourceConnectorShouldRunAndWriteItsRecordsExactlyToItsTopic() {
        String name = TestTopics.unique("counting-source");
        String topic = TestTopics.unique("connect-source");
        createSource(name, topic, RECORDS);

        JsonNode status = worker.awaitRunning(name, 1);
        assertThat(status.path("type").asText()).isEqualTo("source");
        assertThat(keysAndValues(readTopic(topic, RECORDS))).containsExactlyElementsOf(expected(0, RECORDS));
    }

    @Test
    void sinkConnectorShouldReceiveExactlyTheSourcesRecordsAndCommitItsOffsets() throws Exception {
        String source = TestTopics.unique("counting-source");
        String topic = TestTopics.unique("connect-pipeline");
        createSource(source, topic, RECORDS);
        worker.awaitRunning(source, 1);
        List<String> written = keysAndValues(readTopic(topic, RECORDS));

        String sink = TestTopics.unique("file-sink");
        Path file = work.resolve(sink + ".txt");
        assertThat(worker.putConnectorConfig(sink, Map.of(
                "connector.class", FileAppendingSinkConnector.class.getName(),
                "tasks.max", "1",
                "topics", topic,
                FileAppendingSinkConnector.FILE, file.toString())).statusCode()).isEqualTo(201);
        JsonNode status = worker.awaitRunning(sink, 1);
        assertThat(status.path("type").asText()).isEqualTo("sink");

        ConnectWorker.awaitUntil(STEP, RECORDS + " lines in " + file, () -> lines(file).size() >= RECORDS,
                () -> lines(file).toString());
        assertThat(lines(file)).containsExactlyElementsOf(written).containsExactlyElementsOf(expected(0, RECORDS));

        // The sink task's consumer belongs to the group connect-<connector name> and commits what it delivered.
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            ConnectWorker.awaitUntil(STEP, "the sink's committed offset " + RECORDS,
                    () -> committed(admin, "connect-" + sink, partition) == RECORDS,
                    () -> "committed " + committed(admin, "connect-" + sink, partition));
        }
        Thread.sleep(1000);   // a sink that got anything twice would have appended it by now
        assertThat(lines(file)).hasSize(RECORDS);
    }

    @Test
    void sourceShouldContinueFromItsCommittedOffsetAfterTheWorkerRestarts() {
        String name = TestTopics.unique("counting-source");
        String topic = TestTopics.unique("connect-restart");
        createSource(name, topic, RECORDS);
        worker.awaitRunning(name, 1);
        readTopic(topic, RECORDS);
        ConnectWorker.awaitUntil(STEP, "the source offset {position: " + (RECORDS - 1) + "} committed",
                () -> committedPosition(name) == RECORDS - 1, () -> worker.offsets(name).toString());

        worker.stop();
        worker.start();
        worker.awaitRunning(name, 1);
        // Twice as many now: a task that resumes writes only the second half; one that starts over writes value-0 again.
        assertThat(worker.putConnectorConfig(name, sourceConfig(topic, 2 * RECORDS)).statusCode()).isEqualTo(200);
        worker.awaitRunning(name, 1);

        List<ConsumerRecord<String, String>> all = readTopic(topic, 2 * RECORDS);
        assertThat(keysAndValues(all)).containsExactlyElementsOf(expected(0, 2 * RECORDS));
        ConnectWorker.awaitUntil(STEP, "the source offset {position: " + (2 * RECORDS - 1) + "} committed",
                () -> committedPosition(name) == 2 * RECORDS - 1, () -> worker.offsets(name).toString());
        assertThat(endOffset(topic)).as("nothing written twice").isEqualTo(2L * RECORDS);
    }

    @Test
    void workerShouldCreateItsInternalTopicsCompacted() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(CONFIG_TOPIC, OFFSET_TOPIC, STATUS_TOPIC);
            List<ConfigResource> topics = List.of(CONFIG_TOPIC, OFFSET_TOPIC, STATUS_TOPIC).stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(topics).all().get(30, TimeUnit.SECONDS);
            for (ConfigResource topic : topics) {
                assertThat(configs.get(topic).get("cleanup.policy").value()).as(topic.name()).isEqualTo("compact");
            }
            assertThat(admin.describeTopics(List.of(CONFIG_TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(CONFIG_TOPIC).partitions()).as("the config topic has one partition").hasSize(1);
        }
    }

    private void createSource(String name, String topic, int count) {
        assertThat(worker.putConnectorConfig(name, sourceConfig(topic, count)).statusCode()).isEqualTo(201);
    }

    /** The source's configuration; Connect creates its topic (one partition) when the source first writes. */
    private static Map<String, String> sourceConfig(String topic, int count) {
        return Map.of(
                "connector.class", CountingSourceConnector.class.getName(),
                "tasks.max", "1",
                CountingSourceConnector.TOPIC, topic,
                CountingSourceConnector.COUNT, String.valueOf(count),
                "topic.creation.default.replication.factor", "1",
                "topic.creation.default.partitions", "1");
    }

    /** The position in the source's committed offset, or -1 while none is committed. */
    private long committedPosition(String name) {
        for (JsonNode offset : worker.offsets(name).path("offsets")) {
            if (offset.path("partition").path("source").asText().equals(name)) {
                return offset.path("offset").path("position").asLong();
            }
        }
        return -1;
    }

    /** Exactly {@code count} records of the topic's one partition from its start. */
    private List<ConsumerRecord<String, String>> readTopic(String topic, int count) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            ConnectWorker.awaitUntil(STEP, "topic " + topic, () -> !consumer.partitionsFor(topic).isEmpty(), () -> "");
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            return Records.pollExactly(consumer, count, STEP);
        }
    }

    private long endOffset(String topic) {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            return admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest())).all()
                    .get(30, TimeUnit.SECONDS).values().iterator().next().offset();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long committed(Admin admin, String group, TopicPartition partition) {
        try {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(partition);
            return offset == null ? -1 : offset.offset();
        } catch (Exception e) {
            return -1;
        }
    }

    private static List<String> keysAndValues(List<ConsumerRecord<String, String>> records) {
        List<String> lines = new ArrayList<>();
        records.forEach(r -> lines.add(r.key() + "\t" + r.value()));
        return lines;
    }

    private static List<String> expected(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "key-" + i + "\tvalue-" + i).toList();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.walrus.compat.nonjava;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.Commands;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import dev.walrus.compat.TransactionalWrites;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two Python clients Debian packages: kafka-python (a pure-Python protocol implementation that infers the broker's
 * version from ApiVersions) and confluent-kafka-python (on librdkafka). Each produces records that the Java consumer
 * reads back message for message, and consumes the Java producer's records in a consumer group whose commits the
 * Java admin client then sees; kafka-python's admin client creates a topic and alters its configs; confluent-kafka's
 * transactional producer commits one transaction and aborts another, which Java's read_committed consumer tells
 * apart, and its read_committed consumer skips what Java's transactions aborted. Fails, never skips, when the
 * packages are missing: .ci/run installs them.
 */
@ExtendWith(BrokerExtension.class)
class PythonClientsTest {

    /** Debian's interpreter, where apt puts the packages (a python3 earlier on the PATH may be another one). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final int COUNT = 20;

    @BeforeAll
    static void requireThePackages() {
        CommandResult check = Commands.run(List.of(PYTHON, "-c", "import kafka, confluent_kafka"), null,
                Duration.ofSeconds(30));
        assertThat(check.exitCode())
                .as("kafka-python and confluent-kafka-python for %s: apt-get install -y python3-kafka "
                        + "python3-confluent-kafka (%s)", PYTHON, check)
                .isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka_python_client.py", "confluent_kafka_client.py"})
    void javaShouldReadWhatThePythonClientProduced(String script, TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "python-produce", 2);

        CommandResult produced = python(script, bootstrap, topic, "unused", "produce");

        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.stdoutLines()).as(produced.toString()).filteredOn(l -> l.startsWith("sent ")).hasSize(COUNT);
        if (script.startsWith("kafka_python")) {
            // the version kafka-python 2.0.2 infers from Apache Kafka 4.4's ApiVersions as well
            assertThat(produced.stdoutLines()).first().isEqualTo("api_version 2.5.0");
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            consumer.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
            consumer.seekToBeginning(consumer.assignment());
            List<String> read = new ArrayList<>();
            for (ConsumerRecord<String, String> r : Records.pollExactly(consumer, COUNT)) {
                read.add(r.partition() + " " + r.offset() + " " + r.key() + " " + r.value());
            }
            assertThat(read).containsExactlyInAnyOrderElementsOf(expected());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka_python_client.py", "confluent_kafka_client.py"})
    void thePythonClientShouldConsumeWhatJavaProducedInAGroupAndCommit(String script, TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "python-consume", 2);
        String group = TestTopics.unique("python-group");
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < COUNT; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }

        CommandResult consumed = python(script, bootstrap, topic, group, "consume");

        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        List<String> got = consumed.stdoutLines().stream().filter(l -> l.startsWith("got "))
                .map(l -> l.substring(4)).toList();
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected());
        assertThat(consumed.stdoutLines()).contains("committed 0 10", "committed 1 10");
        try (Admin admin = Clients.admin(bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed.get(new TopicPartition(topic, 0)).offset()).isEqualTo(COUNT / 2);
            assertThat(committed.get(new TopicPartition(topic, 1)).offset()).isEqualTo(COUNT / 2);
        }
    }

    @Test
    void kafkaPythonsAdminShouldCreateATopicAndAlterItsConfigs(TargetBroker broker) throws Exception {
        String topic = TestTopics.unique("python-admin");
        Path script = Path.of(PythonClientsTest.class.getResource("/python/kafka_python_admin.py").toURI());

        CommandResult result = Commands.run(List.of(PYTHON, script.toString(), broker.bootstrapServers(), topic), null,
                Duration.ofSeconds(120));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdoutLines()).as(result.toString())
                .containsExactly("created 3", "altered 0", "retention.ms 12345");
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                    .get("retention.ms").value()).isEqualTo("12345");
        }
    }

    @Test
    void confluentKafkasTransactionsShouldCommitAndAbortForJavasReadCommittedConsumer(TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "python-txn", 2);
        Path script = Path.of(PythonClientsTest.class.getResource("/python/confluent_kafka_transactions.py").toURI());

        CommandResult result = Commands.run(List.of(PYTHON, script.toString(), bootstrap, topic,
                TestTopics.unique("python-txn-id"), String.valueOf(COUNT)), null, Duration.ofSeconds(120));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdoutLines()).as(result.toString()).containsExactly("committed", "aborted");
        // Each partition: COUNT / 2 committed records, their marker, COUNT / 2 aborted records, their marker.
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of("isolation.level", "read_committed"))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> read = new ArrayList<>();
            for (ConsumerRecord<String, String> r : Records.pollExactly(consumer, COUNT)) {
                read.add(r.partition() + " " + r.offset() + " " + r.value());
            }
            assertThat(read).containsExactlyInAnyOrderElementsOf(outcome("committed", 0));
            assertThat(consumer.poll(Duration.ofMillis(500))).as("nothing of the aborted transaction").isEmpty();
            assertThat(consumer.endOffsets(partitions).values()).containsOnly((long) COUNT + 2);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of("isolation.level", "read_uncommitted"))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> read = new ArrayList<>();
            for (ConsumerRecord<String, String> r : Records.pollExactly(consumer, 2 * COUNT)) {
                read.add(r.partition() + " " + r.offset() + " " + r.value());
            }
            List<String> expected = new ArrayList<>(outcome("committed", 0));
            expected.addAll(outcome("aborted", COUNT / 2 + 1));
            assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void confluentKafkasReadCommittedConsumerShouldSkipWhatJavasTransactionsAborted(TargetBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "python-read-committed", 2);
        TransactionalWrites.commitAbortCommit(bootstrap, topic, COUNT, 2);
        Path script = Path.of(PythonClientsTest.class.getResource("/python/confluent_kafka_read_committed.py").toURI());

        CommandResult result = Commands.run(List.of(PYTHON, script.toString(), bootstrap, topic,
                String.valueOf(2 * COUNT)), null, Duration.ofSeconds(120));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> got = result.stdoutLines().stream().filter(l -> l.startsWith("got ")).map(l -> l.substring(4)).toList();
        // Each partition: COUNT / 2 records and a marker per transaction, the aborted one included.
        List<String> expected = new ArrayList<>(outcome("committed", 0));
        expected.addAll(outcome("again", 2 * (COUNT / 2 + 1)));
        assertThat(got).as(result.toString()).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** "partition offset value" of COUNT records of one transaction: record i in partition i % 2, from firstOffset. */
    private static List<String> outcome(String prefix, int firstOffset) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            lines.add((i % 2) + " " + (firstOffset + i / 2) + " " + prefix + "-" + i);
        }
        return lines;
    }

    /** "partition offset key value" of the COUNT records: record i in partition i % 2 at offset i / 2. */
    private static List<String> expected() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            lines.add((i % 2) + " " + (i / 2) + " k" + i + " v" + i);
        }
        return lines;
    }

    private static CommandResult python(String script, String bootstrap, String topic, String group, String mode)
            throws URISyntaxException {
        Path path = Path.of(PythonClientsTest.class.getResource("/python/" + script).toURI());
        assertThat(Files.isRegularFile(path)).as(path.toString()).isTrue();
        return Commands.run(List.of(PYTHON, path.toString(), bootstrap, topic, group, mode, String.valueOf(COUNT)),
                null, Duration.ofSeconds(120));
    }
}

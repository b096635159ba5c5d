package dev.walrus.compat.nonjava;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.Commands;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import dev.walrus.compat.TransactionalWrites;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kafkajs (pure JavaScript, its own protocol code and older API versions) installed with npm into target/node: produce,
 * consume in a group, transactions, and its read-committed consumer over Java's transactions. Fails, never skips,
 * when node or npm is missing: .ci/run installs them.
 */
@ExtendWith(BrokerExtension.class)
class KafkajsTest {

    private static Path script;

    @BeforeAll
    static void installKafkajs() throws Exception {
        Commands.requireOnPath("node", "apt-get install -y nodejs npm");
        Commands.requireOnPath("npm", "apt-get install -y nodejs npm");
        Path nodeDir = Files.createDirectories(CompatSettings.nodeDir());
        // the suite's two test JVMs may both get here: one installs while the other waits on the lock
        try (FileChannel lockFile = FileChannel.open(nodeDir.resolve(".install.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock installing = lockFile.lock()) {
            if (!Files.isDirectory(nodeDir.resolve("node_modules/kafkajs"))) {
                CommandResult installed = Commands.run(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save",
                    "--prefix", nodeDir.toString(), "kafkajs@" + CompatSettings.kafkajsVersion()), null, Duration.ofMinutes(3));
                assertThat(installed.exitCode()).as("npm install kafkajs\n" + installed).isZero();
            }
            script = nodeDir.resolve("client.js");
            Path written = nodeDir.resolve("client.js.new");
            try (var in = KafkajsTest.class.getResourceAsStream("/kafkajs/client.js")) {
                Files.write(written, in.readAllBytes());
            }
            // replaced whole: the other JVM may be starting node on the script this moment
            Files.move(written, script, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** kafkajs installed into target/node and the client script written (for KafkajsSaslTest too): the script. */
    static Path installedScript() throws Exception {
        installKafkajs();
        return script;
    }

    @Test
    void shouldProduceRecordsThatJavaReadsBackAndSeeTopicMetadataAndOffsets(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "kafkajs-produce", 2);

        CommandResult run = node(broker, Map.of("MODE", "produce", "TOPIC", topic, "COUNT", "10"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("{\"acked\":" + i + ",\"partition\":0,\"errorCode\":0}");
        }
        expected.add("{\"metadata\":[{\"name\":\"" + topic + "\",\"partitions\":2}]}");
        expected.add("{\"offsets\":[{\"partition\":0,\"low\":\"0\",\"high\":\"10\"},{\"partition\":1,\"low\":\"0\",\"high\":\"0\"}]}");
        assertThat(sortOffsets(run.stdoutLines())).as(run.toString()).containsExactlyElementsOf(expected);

        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, 10);
            for (int i = 0; i < 10; i++) {
                assertThat(got.get(i).key()).isEqualTo("js-key-" + i);
                assertThat(got.get(i).value()).isEqualTo("js value " + i);
                assertThat(new String(got.get(i).headers().lastHeader("origin").value())).isEqualTo("kafkajs");
            }
        }
    }

    @Test
    void shouldConsumeJavaRecordsInAConsumerGroup(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "kafkajs-consume", 1);
        List<String> expected = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "java " + i)).get(30, TimeUnit.SECONDS);
                expected.add("{\"offset\":" + i + ",\"partition\":0,\"key\":\"k" + i + "\",\"value\":\"java " + i + "\"}");
            }
        }

        CommandResult run = node(broker, Map.of("MODE", "consume", "TOPIC", topic, "COUNT", "10",
            "GROUP", TestTopics.unique("kafkajs-group")));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutLines()).as(run.toString()).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldCommitOneTransactionAndAbortAnotherForJavasReadCommittedConsumer(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "kafkajs-txn", 1);

        CommandResult run = node(broker, Map.of("MODE", "transactions", "TOPIC", topic, "COUNT", "5",
            "TXN_ID", TestTopics.unique("kafkajs-txn-id")));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutLines()).as(run.toString())
            .containsExactly("{\"outcome\":\"committed\"}", "{\"outcome\":\"aborted\"}");
        TopicPartition partition = new TopicPartition(topic, 0);
        for (String isolation : List.of("read_committed", "read_uncommitted")) {
            try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                    Map.of("isolation.level", isolation))) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                int expectedCount = isolation.equals("read_committed") ? 5 : 10;
                List<String> read = new ArrayList<>();
                for (ConsumerRecord<String, String> r : Records.pollExactly(consumer, expectedCount)) {
                    read.add(r.offset() + " " + r.value());
                }
                List<String> expected = new ArrayList<>(List.of("0 committed-0", "1 committed-1", "2 committed-2",
                    "3 committed-3", "4 committed-4")); // the commit marker takes offset 5
                if (expectedCount == 10) {
                    expected.addAll(List.of("6 aborted-0", "7 aborted-1", "8 aborted-2", "9 aborted-3", "10 aborted-4"));
                }
                assertThat(read).as(isolation).containsExactlyElementsOf(expected);
                assertThat(consumer.poll(Duration.ofMillis(300))).as(isolation).isEmpty();
                assertThat(consumer.endOffsets(List.of(partition)).get(partition)).isEqualTo(12L);
            }
        }
    }

    @Test
    void kafkajsReadCommittedConsumerShouldSkipWhatAJavaTransactionAborted(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "kafkajs-read-committed", 1);
        TransactionalWrites.commitAbortCommit(broker.bootstrapServers(), topic, 3, 1);

        CommandResult run = node(broker, Map.of("MODE", "read_committed", "TOPIC", topic, "COUNT", "6",
            "GROUP", TestTopics.unique("kafkajs-read-committed")));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        // 0-2 committed, marker 3, 4-6 aborted, marker 7, 8-10 committed, marker 11
        assertThat(run.stdoutLines()).as(run.toString()).containsExactly(
            "{\"offset\":0,\"partition\":0,\"value\":\"committed-0\"}",
            "{\"offset\":1,\"partition\":0,\"value\":\"committed-1\"}",
            "{\"offset\":2,\"partition\":0,\"value\":\"committed-2\"}",
            "{\"offset\":8,\"partition\":0,\"value\":\"again-0\"}",
            "{\"offset\":9,\"partition\":0,\"value\":\"again-1\"}",
            "{\"offset\":10,\"partition\":0,\"value\":\"again-2\"}");
    }

    private static CommandResult node(TargetBroker broker, Map<String, String> env) throws IOException {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("BOOTSTRAP", broker.bootstrapServers());
        all.put("KAFKAJS_NO_PARTITIONER_WARNING", "1");
        return Commands.run(List.of("node", script.toString()), null, Duration.ofSeconds(120), all, script.getParent());
    }

    /** kafkajs lists partition offsets in metadata order; sort them so the line compares exactly. */
    private static List<String> sortOffsets(List<String> lines) {
        return lines.stream().map(line -> {
            if (!line.startsWith("{\"offsets\":")) {
                return line;
            }
            String body = line.substring("{\"offsets\":[".length(), line.length() - 2);
            List<String> parts = new ArrayList<>(List.of(body.split("(?<=}),(?=\\{)")));
            parts.sort(null);
            return "{\"offsets\":[" + String.join(",", parts) + "]}";
        }).toList();
    }
}

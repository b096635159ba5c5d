package dev.walrus.compat.nonjava;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.Commands;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kcat (librdkafka, a C implementation of the protocol): metadata listing, producing (each codec librdkafka has) and
 * consuming. Fails, never skips, when kcat is missing: .ci/run installs it.
 */
@ExtendWith(BrokerExtension.class)
class KcatTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @BeforeAll
    static void requireKcat() {
        Commands.requireOnPath("kcat", "apt-get install -y kcat");
    }

    @Test
    void shouldListBrokersTopicsAndPartitions(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "kcat-metadata", 3);
        int node;
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            node = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();
        }

        CommandResult listed = kcat(null, "-b", broker.bootstrapServers(), "-L", "-t", topic);

        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.stdoutLines()).as(listed.toString())
            .contains("1 brokers:", "1 topics:", "topic \"" + topic + "\" with 3 partitions:")
            .anySatisfy(line -> assertThat(line).startsWith("broker " + node + " at " + broker.bootstrapServers()));
        for (int p = 0; p < 3; p++) {
            assertThat(listed.stdoutLines()).as(listed.toString())
                .contains("partition " + p + ", leader " + node + ", replicas: " + node + ", isrs: " + node);
        }
    }

    @ParameterizedTest(name = "compression.codec={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void shouldProduceKeyedRecordsThatJavaReadsBack(String codec, TargetBroker broker) {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "kcat-produce-" + codec, 1);
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            input.append("key").append(i).append(':').append("value number ").append(i).append('\n');
        }

        CommandResult produced = kcat(input.toString(), "-b", broker.bootstrapServers(), "-t", topic, "-P", "-p", "0",
            "-K", ":", "-X", "compression.codec=" + codec, "-X", "acks=all");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();

        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, 50);
            for (int i = 0; i < 50; i++) {
                assertThat(got.get(i).offset()).isEqualTo(i);
                assertThat(got.get(i).key()).isEqualTo("key" + i);
                assertThat(got.get(i).value()).isEqualTo("value number " + i);
            }
        }
    }

    @Test
    void shouldConsumeWhatJavaProducedWithKeysHeadersAndOffsets(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "kcat-consume", 1);
        List<String> expected = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 20; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, 0, "k" + i, "v" + i);
                record.headers().add("h", ("x" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                producer.send(record).get(30, TimeUnit.SECONDS);
                expected.add(i + "|k" + i + "|v" + i + "|h=x" + i);
            }
        }

        CommandResult consumed = kcat(null, "-b", broker.bootstrapServers(), "-t", topic, "-C", "-p", "0",
            "-o", "beginning", "-c", "20", "-e", "-f", "%o|%k|%s|%h\\n");

        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.stdoutLines()).as(consumed.toString()).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldConsumeFromAnOffsetUntilTheEndOfThePartition(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "kcat-offset", 1);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "m" + i)).get(30, TimeUnit.SECONDS);
            }
        }

        CommandResult consumed = kcat(null, "-b", broker.bootstrapServers(), "-t", topic, "-C", "-p", "0",
            "-o", "7", "-e", "-f", "%o:%s\\n");

        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.stdoutLines()).as(consumed.toString()).containsExactly("7:m7", "8:m8", "9:m9");
    }

    private static CommandResult kcat(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add("kcat");
        command.addAll(List.of(args));
        return Commands.run(command, stdin, TIMEOUT);
    }
}

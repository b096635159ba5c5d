package dev.walrus.compat.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.ChildJvm;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.Commands;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java clients of older lines (2.8 and 3.9, from jars maven-dependency-plugin copies to target/legacy-clients) in a
 * child JVM of their own: they negotiate API versions with the broker, produce, and read what the 4.4 client wrote,
 * and the 4.4 client reads what they wrote.
 */
@ExtendWith(BrokerExtension.class)
class LegacyClientTest {

    private static final int OLD_RECORDS = 5;
    private static final int NEW_RECORDS = 3;

    @ParameterizedTest(name = "kafka-clients {0}")
    @ValueSource(strings = {"2.8.2", "3.9.1"})
    void shouldProduceAndConsumeWithAnOldClient(String version, TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "legacy-" + version.replace('.', '-'), 1);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < NEW_RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "new-key-" + i, "from 4.4 #" + i)).get(30, TimeUnit.SECONDS);
            }
        }

        CommandResult probe = runProbe(version, broker.bootstrapServers(), topic);

        assertThat(probe.exitCode()).as(probe.toString()).isZero();
        List<String> expected = new ArrayList<>();
        expected.add("version " + version);
        for (int i = 0; i < OLD_RECORDS; i++) {
            expected.add("acked " + (NEW_RECORDS + i));
        }
        for (int i = 0; i < NEW_RECORDS; i++) {
            expected.add("record " + i + " new-key-" + i + " from 4.4 #" + i);
        }
        for (int i = 0; i < OLD_RECORDS; i++) {
            expected.add("record " + (NEW_RECORDS + i) + " legacy-key-" + i + " from " + version + " #" + i);
        }
        assertThat(probe.stdoutLines()).as(probe.toString()).containsExactlyElementsOf(expected);

        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, NEW_RECORDS + OLD_RECORDS);
            assertThat(got.subList(NEW_RECORDS, got.size())).extracting(ConsumerRecord::value)
                .containsExactly("from " + version + " #0", "from " + version + " #1", "from " + version + " #2",
                    "from " + version + " #3", "from " + version + " #4");
        }
    }

    private static CommandResult runProbe(String version, String bootstrap, String topic) throws URISyntaxException {
        Path jar = CompatSettings.legacyClientsDir().resolve("kafka-clients-" + version + ".jar");
        assertThat(Files.isRegularFile(jar)).as("%s (copied by maven-dependency-plugin)", jar).isTrue();
        Path probeClasses = Path.of(LegacyClientProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = ChildJvm.withClasspath(List.of(jar, ChildJvm.testClasspathEntry("slf4j-api"), probeClasses))
            .jvmOption("-Xmx256m")
            .mainClass(LegacyClientProbe.class.getName())
            .args(bootstrap, topic, String.valueOf(OLD_RECORDS), String.valueOf(OLD_RECORDS + NEW_RECORDS))
            .command();
        return Commands.run(command, null, Duration.ofSeconds(90));
    }
}

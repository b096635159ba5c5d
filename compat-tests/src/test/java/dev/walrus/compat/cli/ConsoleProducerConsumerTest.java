package dev.walrus.compat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kafka-console-producer.sh} and {@code kafka-console-consumer.sh}: lines in, records out, keys parsed and
 * printed. The consumer reads one partition from an offset (no consumer group: groups are tested in compat/groups/).
 */
@ExtendWith(BrokerExtension.class)
class ConsoleProducerConsumerTest {

    @Test
    void shouldProduceOneRecordPerLineWithParsedKeys(TargetBroker broker) {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "cli-console-produce", 1);

        CommandResult produced = KafkaCli.runWithInput("k1:first\nk2:second line\nk1:third\n", KafkaCli.CONSOLE_PRODUCER,
            "--bootstrap-server", broker.bootstrapServers(), "--topic", topic,
            "--reader-property", "parse.key=true", "--reader-property", "key.separator=:");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();

        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, 3);
            assertThat(got).extracting(ConsumerRecord::key).containsExactly("k1", "k2", "k1");
            assertThat(got).extracting(ConsumerRecord::value).containsExactly("first", "second line", "third");
        }
    }

    @Test
    void shouldPrintEveryRecordWithKeyAndOffset(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "cli-console-consume", 1);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, 0, "a", "alpha")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, null, "no key")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, "c", "gamma")).get(30, TimeUnit.SECONDS);
        }

        CommandResult consumed = KafkaCli.run(KafkaCli.CONSOLE_CONSUMER, "--bootstrap-server", broker.bootstrapServers(),
            "--topic", topic, "--partition", "0", "--offset", "earliest", "--max-messages", "3", "--timeout-ms", "30000",
            "--formatter-property", "print.key=true", "--formatter-property", "print.offset=true",
            "--formatter-property", "key.separator=|");

        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.stdoutLines()).as(consumed.toString())
            .containsExactly("Offset:0|a|alpha", "Offset:1|null|no key", "Offset:2|c|gamma");
        assertThat(consumed.stderr()).as(consumed.toString()).contains("Processed a total of 3 messages");
    }

    @Test
    void shouldRoundTripFromConsoleProducerToConsoleConsumer(TargetBroker broker) {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "cli-console-roundtrip", 1);
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            input.append("line ").append(i).append('\n');
        }

        CommandResult produced = KafkaCli.runWithInput(input.toString(), KafkaCli.CONSOLE_PRODUCER,
            "--bootstrap-server", broker.bootstrapServers(), "--topic", topic);
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        CommandResult consumed = KafkaCli.run(KafkaCli.CONSOLE_CONSUMER, "--bootstrap-server", broker.bootstrapServers(),
            "--topic", topic, "--partition", "0", "--offset", "earliest", "--max-messages", "100", "--timeout-ms", "30000");

        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.stdoutLines()).as(consumed.toString())
            .containsExactlyElementsOf(input.toString().lines().toList());
    }
}

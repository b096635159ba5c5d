package dev.walrus.compat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code kafka-delete-records.sh} (DeleteRecordsCommand): deletes up to an offset, prints the new low watermark. */
@ExtendWith(BrokerExtension.class)
class DeleteRecordsCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldDeleteRecordsBeforeAnOffsetAndPrintTheLowWatermark(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "cli-delete-records", 2);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        Path offsets = Files.writeString(dir.resolve("offsets.json"), """
                {"partitions": [{"topic": "%s", "partition": 0, "offset": 3},
                                {"topic": "%s", "partition": 1, "offset": 1}], "version": 1}""".formatted(topic, topic));

        CommandResult result = KafkaCli.run(KafkaCli.DELETE_RECORDS, "--bootstrap-server", bootstrap,
                "--offset-json-file", offsets.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdoutLines()).contains(
                "Records delete operation completed:",
                "partition: " + topic + "-0\tlow_watermark: 3",
                "partition: " + topic + "-1\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: "
                        + "The requested offset is not within the range of offsets maintained by the server.");
        CommandResult earliest = KafkaCli.run(KafkaCli.GET_OFFSETS, "--bootstrap-server", bootstrap, "--topic", topic,
                "--time", "-2");
        assertThat(earliest.stdoutLines()).containsExactly(topic + ":0:3", topic + ":1:0");
    }
}

package dev.walrus.compat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code kafka-get-offsets.sh} (GetOffsetShell): latest, earliest, by timestamp and max timestamp, per partition. */
@ExtendWith(BrokerExtension.class)
class GetOffsetShellTest {

    private static final long T0 = 1_700_000_000_000L;

    private String bootstrap;
    private String topic;

    /** Partition 0: 5 records at T0, T0+10 s, ..., T0+40 s; partition 1: 2 records; partition 2: empty. */
    @BeforeEach
    void writeRecords(TargetBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        topic = TestTopics.createUnique(bootstrap, "cli-get-offsets", 3, TestTopics.KEPT_FOREVER);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, T0 + i * 10_000L, null, "v" + i)).get(30, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 2; i++) {
                producer.send(new ProducerRecord<>(topic, 1, T0, null, "w" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldPrintTheLatestOffsetOfEveryPartition() {
        assertThat(offsets("-1")).containsExactly(topic + ":0:5", topic + ":1:2", topic + ":2:0");
    }

    @Test
    void shouldPrintTheEarliestOffsetOfEveryPartition() {
        assertThat(offsets("-2")).containsExactly(topic + ":0:0", topic + ":1:0", topic + ":2:0");
    }

    @Test
    void shouldPrintTheFirstOffsetAtOrAfterATimestamp() {
        // a partition with no record at or after the timestamp prints nothing
        assertThat(offsets(String.valueOf(T0 + 15_000))).containsExactly(topic + ":0:2");
    }

    @Test
    void shouldPrintTheOffsetOfTheMaxTimestamp() {
        assertThat(offsets("-3")).startsWith(topic + ":0:4", topic + ":1:0");
    }

    private java.util.List<String> offsets(String time) {
        CommandResult result = KafkaCli.run(KafkaCli.GET_OFFSETS, "--bootstrap-server", bootstrap, "--topic", topic,
            "--time", time);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdoutLines();
    }
}

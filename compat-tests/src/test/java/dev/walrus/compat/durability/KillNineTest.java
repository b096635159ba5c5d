package dev.walrus.compat.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TestTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A broker process killed with SIGKILL while producers are sending: after a restart on the same data directory every
 * acknowledged record is at the offset it was acknowledged with, nothing is stored twice, and topics keep their IDs.
 */
@Tag("slow")
class KillNineTest {

    private static final int PARTITIONS = 4;

    private ChildBroker broker;

    @BeforeEach
    void startBroker() {
        broker = ChildBroker.forCurrentTarget("kill-nine").start();
    }

    @AfterEach
    void removeBroker() {
        if (broker != null) {   // null when the test was skipped for an external target
            broker.close();
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedRecordWhenKilledMidStream() throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "kill9", PARTITIONS);
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                GracefulRestartTest.retryingAcrossRestarts())) {
            for (int i = 0; i < 20_000; i++) {
                String value = "v-" + i;
                values.add(value);
                futures.add(producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value)));
                if (i == 10_000) {
                    // kill while batches are in flight: some acknowledged, some not yet
                    futures.get(5_000).get(30, TimeUnit.SECONDS);
                    broker.kill();
                    broker.start();
                }
            }
            producer.flush();
        }

        List<Acked> acked = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                RecordMetadata md = futures.get(i).get(0, TimeUnit.SECONDS);
                acked.add(new Acked(md.partition(), md.offset(), values.get(i)));
            } catch (ExecutionException notAcknowledged) {
                // a send that failed promises nothing
            }
        }
        assertThat(acked.size()).as("acknowledged records").isGreaterThan(5_000);
        Acked.assertAllPresentOnce(acked, Acked.readEverything(broker.bootstrapServers(), topic, PARTITIONS));
    }

    @Test
    void shouldKeepTopicsAndTheirIdsWhenKilled() throws Exception {
        String topic = TestTopics.unique("kill9-metadata");
        Uuid id;
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            TestTopics.create(admin, topic, 2, Map.of("cleanup.policy", "delete", "retention.bytes", "1073741824"));
            id = describe(admin, topic).topicId();
        }

        broker.kill();
        broker.start();

        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            TopicDescription description = describe(admin, topic);
            assertThat(description.topicId()).isEqualTo(id);
            assertThat(description.partitions()).hasSize(2);
        }
    }

    @Test
    void shouldKeepRecordsAcknowledgedJustBeforeTheKill() throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "kill9-last", 1);
        List<Acked> acked = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 200; i++) {
                String value = "last-" + i;
                RecordMetadata md = producer.send(new ProducerRecord<>(topic, 0, null, value)).get(30, TimeUnit.SECONDS);
                acked.add(new Acked(md.partition(), md.offset(), value));
            }
            broker.kill();   // straight after the last acknowledgement
        }

        broker.start();

        Map<String, String> stored = Acked.readEverything(broker.bootstrapServers(), topic, 1);
        assertThat(stored).hasSize(200);
        Acked.assertAllPresentOnce(acked, stored);
    }

    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }
}

package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admin describeProducers (DescribeProducers) and {@code kafka-transactions describe-producers}: the idempotent
 * producer that wrote a partition, with its epoch, last sequence and last timestamp, outside any transaction.
 */
@ExtendWith(BrokerExtension.class)
class AdminDescribeProducersTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void shouldDescribeTheIdempotentProducerOfAPartition(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "describe-producers", 2, TestTopics.KEPT_FOREVER);
        TopicPartition written = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap);   // idempotent by default
             Admin admin = Clients.admin(bootstrap)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, T0 + i, null, "v" + i)).get(30, TimeUnit.SECONDS);
            }

            List<ProducerState> active = admin.describeProducers(List.of(written)).partitionResult(written)
                    .get(30, TimeUnit.SECONDS).activeProducers();
            assertThat(active).singleElement().satisfies(state -> {
                assertThat(state.producerId()).isNotNegative();
                assertThat(state.producerEpoch()).isZero();
                assertThat(state.lastSequence()).isEqualTo(4);
                assertThat(state.lastTimestamp()).isEqualTo(T0 + 4);
                assertThat(state.coordinatorEpoch()).isEmpty();
                assertThat(state.currentTransactionStartOffset()).isEmpty();
            });
            TopicPartition untouched = new TopicPartition(topic, 1);
            assertThat(admin.describeProducers(List.of(untouched)).partitionResult(untouched)
                    .get(30, TimeUnit.SECONDS).activeProducers()).isEmpty();

            CommandResult described = KafkaCli.run(KafkaCli.TRANSACTIONS, "--bootstrap-server", bootstrap,
                    "describe-producers", "--topic", topic, "--partition", "0");
            assertThat(described.exitCode()).as(described.toString()).isZero();
            assertThat(described.stdoutLines()).anySatisfy(line -> assertThat(line.split("\\s+"))
                    .containsExactly(String.valueOf(active.getFirst().producerId()), "0", "-1", "4",
                            String.valueOf(T0 + 4), "None"));
        }
    }
}

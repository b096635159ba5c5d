package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.DescribeProducersResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class DescribeProducersHandlerTest {

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        broker.createTopic("t", 2);
        produce(Batches.idempotent(7, (short) 0, 0, "a", "b"));
        produce(Batches.idempotent(7, (short) 0, 2, "c"));
        produce(Batches.idempotent(9, (short) 3, 0, "d"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldListEachProducerWithItsEpochAndLastSequence() {
        PartitionResponse partition = describe(0);

        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partition.activeProducers())
                .extracting(ProducerState::producerId, ProducerState::producerEpoch, ProducerState::lastSequence,
                        ProducerState::coordinatorEpoch, ProducerState::currentTxnStartOffset)
                .containsExactly(tuple(7L, 0, 2, -1, -1L),
                        tuple(9L, 3, 0, -1, -1L));
        assertThat(describe(1).activeProducers()).isEmpty();
    }

    @Test
    void shouldListTheSameProducersAfterARestart() {
        broker.restart();

        assertThat(describe(0).activeProducers()).extracting(ProducerState::producerId, ProducerState::lastSequence)
                .containsExactly(tuple(7L, 2), tuple(9L, 0));
    }

    @Test
    void shouldAnswerUnknownTopicOrPartition() {
        assertThat(describe(5).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    private void produce(MemoryRecords records) {
        broker.send(ApiKeys.PRODUCE, (short) 12, Requests.produce("t", 0, records, (short) -1));
    }

    private PartitionResponse describe(int partition) {
        DescribeProducersRequestData request = new DescribeProducersRequestData();
        request.topics().add(new DescribeProducersRequestData.TopicRequest().setName("t")
                .setPartitionIndexes(List.of(partition)));
        DescribeProducersResponse response = broker.send(ApiKeys.DESCRIBE_PRODUCERS, (short) 0, request);
        return response.data().topics().getFirst().partitions().getFirst();
    }
}

package dev.walrus.kafka.producer;

import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The idempotent producer's rules, end to end: InitProducerId, then produce with sequences. */
class IdempotentProduceTest {

    private static final short VERSION = (short) 12;

    @TempDir
    Path dir;
    private AdapterHarness broker;
    private long producerId;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        broker.createTopic("idem", 1);
        InitProducerIdResponse init = broker.send(ApiKeys.INIT_PRODUCER_ID, ApiKeys.INIT_PRODUCER_ID.latestVersion(false),
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000));
        producerId = init.data().producerId();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldAcknowledgeARetriedBatchWithItsOriginalOffsetWithoutStoringItTwice() {
        MemoryRecords batch = Batches.idempotent(producerId, (short) 0, 0, "a", "b");
        assertThat(produce(batch).baseOffset()).isZero();
        produce(Batches.idempotent(producerId, (short) 0, 2, "c"));
        ProduceResponseData.PartitionProduceResponse retry = produce(Batches.idempotent(producerId, (short) 0, 0, "a", "b"));
        assertThat(retry.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(retry.baseOffset()).isZero();
        assertThat(values()).containsExactly("a", "b", "c");
    }

    @Test
    void shouldRejectASequenceGap() {
        produce(Batches.idempotent(producerId, (short) 0, 0, "a"));
        ProduceResponseData.PartitionProduceResponse gap = produce(Batches.idempotent(producerId, (short) 0, 2, "c"));
        assertThat(gap.errorCode()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
        assertThat(values()).containsExactly("a");
    }

    @Test
    void shouldFenceAnOlderEpoch() {
        produce(Batches.idempotent(producerId, (short) 1, 0, "new epoch"));
        ProduceResponseData.PartitionProduceResponse old = produce(Batches.idempotent(producerId, (short) 0, 1, "old"));
        assertThat(old.errorCode()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
        assertThat(values()).containsExactly("new epoch");
    }

    @Test
    void shouldStillRecogniseDuplicatesAfterARestart() {
        produce(Batches.idempotent(producerId, (short) 0, 0, "a"));
        produce(Batches.idempotent(producerId, (short) 0, 1, "b"));
        broker.restart();
        ProduceResponseData.PartitionProduceResponse retry = produce(Batches.idempotent(producerId, (short) 0, 1, "b"));
        assertThat(retry.baseOffset()).isEqualTo(1);
        ProduceResponseData.PartitionProduceResponse gap = produce(Batches.idempotent(producerId, (short) 0, 5, "x"));
        assertThat(gap.errorCode()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
        assertThat(produce(Batches.idempotent(producerId, (short) 0, 2, "c")).baseOffset()).isEqualTo(2);
        assertThat(values()).containsExactly("a", "b", "c");
    }

    private ProduceResponseData.PartitionProduceResponse produce(MemoryRecords records) {
        ProduceResponse response = broker.send(ApiKeys.PRODUCE, VERSION, Requests.produce("idem", 0, records, (short) -1));
        return response.data().responses().iterator().next().partitionResponses().getFirst();
    }

    private List<String> values() {
        FetchResponse response = broker.send(ApiKeys.FETCH, (short) 12, Requests.fetch("idem", Uuid.ZERO_UUID, 0, 0));
        return Batches.values(response.data().responses().getFirst().partitions().getFirst().records());
    }
}

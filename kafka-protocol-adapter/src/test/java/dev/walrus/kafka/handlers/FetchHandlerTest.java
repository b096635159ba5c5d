package dev.walrus.kafka.handlers;

import dev.walrus.kafka.ResponseFrame;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class FetchHandlerTest {

    private static final short LATEST = ApiKeys.FETCH.latestVersion(false);

    @TempDir
    Path dir;
    private AdapterHarness broker;
    private TopicInfo topic;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        topic = broker.createTopic("events", 2);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {4, 5, 7, 11, 12, 13, 15, 16, 17, 18})
    void shouldReturnProducedRecordsAtEveryVersion(short version) {
        produce(0, "a", "b");
        produce(0, "c");
        FetchResponseData.PartitionData p = fetch(version, 0, 0);
        assertThat(p.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(Batches.values(p.records())).containsExactly("a", "b", "c");
        assertThat(Batches.offsets(p.records())).containsExactly(0L, 1L, 2L);
        assertThat(p.highWatermark()).isEqualTo(3);
        if (version >= 4) {
            assertThat(p.lastStableOffset()).isEqualTo(3);
        }
        if (version >= 5) {
            assertThat(p.logStartOffset()).isZero();
        }
    }

    @Test
    void shouldReturnTheBatchHoldingAnOffsetInItsMiddle() {
        produce(0, "a", "b", "c");
        produce(0, "d", "e");
        FetchResponseData.PartitionData p = fetch(LATEST, 0, 4);
        assertThat(Batches.offsets(p.records())).containsExactly(3L, 4L);
    }

    @Test
    void shouldReturnNothingAtTheLogEnd() {
        produce(0, "a");
        FetchResponseData.PartitionData p = fetch(LATEST, 0, 1);
        assertThat(p.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(p.records().sizeInBytes()).isZero();
        assertThat(p.highWatermark()).isEqualTo(1);
    }

    @Test
    void shouldAnswerOffsetOutOfRangeBeyondTheLogEnd() {
        produce(0, "a");
        FetchResponseData.PartitionData p = fetch(LATEST, 0, 2);
        assertThat(p.errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(p.records().sizeInBytes()).isZero();
    }

    @Test
    void shouldAnswerUnknownTopicIdFromVersion13() {
        FetchResponse response = broker.send(ApiKeys.FETCH, LATEST, Requests.fetch(null, Uuid.randomUuid(), 0, 0));
        assertThat(response.data().responses().getFirst().partitions().getFirst().errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    @Test
    void shouldAnswerUnknownTopicByNameBeforeVersion13() {
        FetchResponse response = broker.send(ApiKeys.FETCH, (short) 12, Requests.fetch("nope", Uuid.ZERO_UUID, 0, 0));
        assertThat(response.data().responses().getFirst().partitions().getFirst().errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void shouldReturnTheFirstBatchEvenIfLargerThanThePartitionLimit() {
        produce(0, "x".repeat(500));
        produce(0, "y");
        FetchRequestData request = Requests.fetch(null, topic.id(), 0, 0, 10, 0, 0);
        FetchResponse response = broker.send(ApiKeys.FETCH, LATEST, request);
        assertThat(Batches.values(response.data().responses().getFirst().partitions().getFirst().records()))
                .containsExactly("x".repeat(500));
    }

    @Test
    void shouldStopAtThePartitionLimitAfterTheFirstBatch() {
        produce(0, "a".repeat(100));
        produce(0, "b".repeat(100));
        produce(0, "c".repeat(100));
        int oneBatch = fetch(LATEST, 0, 0).records().sizeInBytes() / 3;
        FetchResponse response = broker.send(ApiKeys.FETCH, LATEST,
                Requests.fetch(null, topic.id(), 0, 0, oneBatch * 2, 0, 0));
        assertThat(Batches.values(response.data().responses().getFirst().partitions().getFirst().records()))
                .containsExactly("a".repeat(100), "b".repeat(100));
    }

    @Test
    void shouldGiveLaterPartitionsOnlyWhatFitsInTheRequestLimit() {
        produce(0, "a".repeat(300));
        produce(1, "b".repeat(300));
        FetchRequestData request = Requests.fetch(null, topic.id(), 0, 0);
        request.topics().getFirst().partitions().add(new FetchRequestData.FetchPartition()
                .setPartition(1).setFetchOffset(0).setLogStartOffset(-1).setPartitionMaxBytes(1024 * 1024));
        request.setMaxBytes(100);
        FetchResponse response = broker.send(ApiKeys.FETCH, LATEST, request);
        var partitions = response.data().responses().getFirst().partitions();
        assertThat(Batches.values(partitions.get(0).records())).containsExactly("a".repeat(300));
        assertThat(partitions.get(1).records().sizeInBytes()).isZero();
        assertThat(partitions.get(1).highWatermark()).isEqualTo(1);
    }

    @Test
    void shouldParkAnEmptyFetchUntilAnAppendWakesIt() {
        FetchRequestData request = Requests.fetch(null, topic.id(), 0, 0, 1024 * 1024, 60_000, 1);
        CompletableFuture<ResponseFrame> parked = broker.sendAsync(ApiKeys.FETCH, LATEST, request);
        assertThat(parked).isNotDone();
        produce(0, "wake");
        ResponseFrame frame = AdapterHarness.await(parked);
        FetchResponse response = (FetchResponse) AdapterHarness.parse(frame, ApiKeys.FETCH, LATEST, lastCorrelationOf(frame));
        assertThat(Batches.values(response.data().responses().getFirst().partitions().getFirst().records()))
                .containsExactly("wake");
    }

    @Test
    void shouldAnswerAParkedFetchOnTheAppendingThreadBeforeTheProduceReturns() {
        CompletableFuture<ResponseFrame> parked = broker.sendAsync(ApiKeys.FETCH, LATEST,
                Requests.fetch(null, topic.id(), 0, 0, 1024 * 1024, 60_000, 1));
        assertThat(parked).isNotDone();

        produce(0, "now");

        assertThat(parked).as("answered by the append itself, not later by another thread").isDone();
        ResponseFrame frame = parked.join();
        FetchResponse response = (FetchResponse) AdapterHarness.parse(frame, ApiKeys.FETCH, LATEST, lastCorrelationOf(frame));
        assertThat(Batches.values(response.data().responses().getFirst().partitions().getFirst().records()))
                .containsExactly("now");
    }

    @Test
    void shouldKeepAFetchParkedUntilAppendsBringItsMinBytes() {
        CompletableFuture<ResponseFrame> parked = broker.sendAsync(ApiKeys.FETCH, LATEST,
                Requests.fetch(null, topic.id(), 0, 0, 1024 * 1024, 60_000, 400));

        produce(0, "small");
        produce(0, "still small");
        assertThat(parked).isNotDone();
        produce(0, "x".repeat(400));

        ResponseFrame frame = AdapterHarness.await(parked);
        FetchResponse response = (FetchResponse) AdapterHarness.parse(frame, ApiKeys.FETCH, LATEST, lastCorrelationOf(frame));
        assertThat(Batches.values(response.data().responses().getFirst().partitions().getFirst().records()))
                .containsExactly("small", "still small", "x".repeat(400));
    }

    @Test
    void shouldAnswerAParkedFetchEmptyWhenMaxWaitPasses() {
        FetchResponse response = broker.send(ApiKeys.FETCH, LATEST, Requests.fetch(null, topic.id(), 0, 0, 1024, 50, 1));
        FetchResponseData.PartitionData p = response.data().responses().getFirst().partitions().getFirst();
        assertThat(p.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(p.records().sizeInBytes()).isZero();
    }

    @Test
    void shouldAnswerParkedFetchesOfAClosedConnection() {
        CompletableFuture<ResponseFrame> parked = broker.sendAsync(ApiKeys.FETCH, LATEST,
                Requests.fetch(null, topic.id(), 0, 0, 1024, 60_000, 1));
        broker.adapter().connectionClosed(broker.context().connectionId());
        assertThat(AdapterHarness.await(parked)).isInstanceOf(ResponseFrame.Send.class);
    }

    @Test
    void shouldAnswerAParkedFetchWithUnknownTopicIdOnceItsTopicIsDeleted() {
        CompletableFuture<ResponseFrame> parked = broker.sendAsync(ApiKeys.FETCH, LATEST,
                Requests.fetch(null, topic.id(), 0, 0, 1024, 60_000, 1));
        assertThat(parked).isNotDone();

        AdapterHarness.await(broker.sendAsync(ApiKeys.DELETE_TOPICS, ApiKeys.DELETE_TOPICS.latestVersion(),
                new DeleteTopicsRequestData().setTimeoutMs(5000)
                        .setTopics(List.of(new DeleteTopicsRequestData.DeleteTopicState().setName("events")))));

        ResponseFrame frame = AdapterHarness.await(parked);
        FetchResponse response = (FetchResponse) AdapterHarness.parse(frame, ApiKeys.FETCH, LATEST, lastCorrelationOf(frame));
        assertThat(Errors.forCode(response.data().responses().getFirst().partitions().getFirst().errorCode()))
                .isEqualTo(Errors.UNKNOWN_TOPIC_ID);
    }

    @Test
    void shouldAnswerParkedFetchesWhenTheAdapterCloses() {
        CompletableFuture<ResponseFrame> parked = broker.sendAsync(ApiKeys.FETCH, LATEST,
                Requests.fetch(null, topic.id(), 0, 0, 1024, 60_000, 1));
        broker.adapter().close();
        assertThat(AdapterHarness.await(parked)).isInstanceOf(ResponseFrame.Send.class);
    }

    @Test
    void shouldSendStoredBatchesAsSeparateBuffersWithoutCopying() {
        produce(0, "a");
        produce(0, "b");
        ResponseFrame frame = AdapterHarness.await(broker.sendAsync(ApiKeys.FETCH, LATEST,
                Requests.fetch(null, topic.id(), 0, 0)));
        ResponseFrame.Send send = (ResponseFrame.Send) frame;
        // Header and fields, then one buffer per stored batch, then the trailing fields.
        assertThat(send.buffers()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(send.buffers().subList(1, 3)).allSatisfy(b -> assertThat(b.isReadOnly()).isTrue());
        send.release().run();
    }

    private int lastCorrelationOf(ResponseFrame frame) {
        return AdapterHarness.joined((ResponseFrame.Send) frame).getInt(4);
    }

    private void produce(int partition, String... values) {
        ProduceResponse r = broker.send(ApiKeys.PRODUCE, (short) 12,
                Requests.produce("events", partition, Batches.of(values), (short) 1));
        assertThat(r.data().responses().iterator().next().partitionResponses().getFirst().errorCode()).isZero();
    }

    private FetchResponseData.PartitionData fetch(short version, int partition, long offset) {
        FetchRequestData request = version >= 13
                ? Requests.fetch(null, topic.id(), partition, offset)
                : Requests.fetch("events", Uuid.ZERO_UUID, partition, offset);
        FetchResponse response = broker.send(ApiKeys.FETCH, version, request);
        assertThat(response.error()).isEqualTo(Errors.NONE);
        return response.data().responses().getFirst().partitions().getFirst();
    }
}

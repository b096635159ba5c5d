package dev.walrus.kafka.handlers;

import dev.walrus.kafka.ResponseFrame;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProduceHandlerTest {

    /** The newest version that names topics (v13 uses topic IDs). */
    private static final short LATEST = 12;
    private static final short V12 = 12;

    @TempDir
    Path dir;
    private AdapterHarness broker;
    private TopicInfo topic;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        topic = broker.createTopic("orders", 2);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {3, 7, 8, 9, 11, 12})
    void shouldAssignConsecutiveOffsetsAtEveryNameVersion(short version) {
        ProduceResponseData.PartitionProduceResponse first = produce(version, "orders", 0, Batches.of("a", "b", "c"), (short) 1);
        ProduceResponseData.PartitionProduceResponse second = produce(version, "orders", 0, Batches.of("d"), (short) 1);
        assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(first.baseOffset()).isZero();
        assertThat(second.baseOffset()).isEqualTo(3);
        assertThat(fetchValues(0, 0)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void shouldProduceByTopicIdFromVersion13() {
        ProduceResponse response = broker.send(ApiKeys.PRODUCE, (short) 13,
                Requests.produceById(topic.id(), 1, Batches.of("x"), (short) -1));
        ProduceResponseData.TopicProduceResponse t = response.data().responses().iterator().next();
        assertThat(t.topicId()).isEqualTo(topic.id());
        assertThat(t.partitionResponses().getFirst().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fetchValues(1, 0)).containsExactly("x");
    }

    @Test
    void shouldAnswerUnknownTopicIdFromVersion13() {
        ProduceResponse response = broker.send(ApiKeys.PRODUCE, (short) 13,
                Requests.produceById(Uuid.randomUuid(), 0, Batches.of("x"), (short) 1));
        assertThat(response.data().responses().iterator().next().partitionResponses().getFirst().errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    @Test
    void shouldAnswerAcksAllOnceDurable() {
        ProduceResponseData.PartitionProduceResponse r = produce(LATEST, "orders", 0, Batches.of("durable"), (short) -1);
        assertThat(r.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(r.baseOffset()).isZero();
        assertThat(r.logStartOffset()).isZero();
        assertThat(fetchValues(0, 0)).containsExactly("durable");
    }

    @Test
    void shouldSendNoResponseForAcksZeroYetStoreTheBatch() {
        ResponseFrame frame = AdapterHarness.await(broker.sendAsync(ApiKeys.PRODUCE, LATEST,
                Requests.produce("orders", 0, Batches.of("fire", "forget"), (short) 0)));
        assertThat(frame).isInstanceOf(ResponseFrame.NoResponse.class);
        assertThat(fetchValues(0, 0)).containsExactly("fire", "forget");
    }

    @Test
    void shouldCloseTheConnectionWhenAnAcksZeroProduceFails() {
        ResponseFrame frame = AdapterHarness.await(broker.sendAsync(ApiKeys.PRODUCE, LATEST,
                Requests.produce("orders", 0, Batches.corrupted(Batches.of("bad")), (short) 0)));
        assertThat(frame).isInstanceOfSatisfying(ResponseFrame.Close.class,
                close -> assertThat(close.reason()).contains("CORRUPT_MESSAGE"));
        assertThat(fetchValues(0, 0)).isEmpty();
    }

    @Test
    void shouldRejectInvalidAcks() {
        assertThat(produce(LATEST, "orders", 0, Batches.of("a"), (short) 2).errorCode())
                .isEqualTo(Errors.INVALID_REQUIRED_ACKS.code());
        assertThat(fetchValues(0, 0)).isEmpty();
    }

    @Test
    void shouldRejectACorruptBatchAndStoreNothing() {
        ProduceResponseData.PartitionProduceResponse r = produce(LATEST, "orders", 0,
                Batches.corrupted(Batches.of("a", "b")), (short) 1);
        assertThat(r.errorCode()).isEqualTo(Errors.CORRUPT_MESSAGE.code());
        assertThat(r.errorMessage()).contains("crc");
        assertThat(r.baseOffset()).isEqualTo(-1);
        assertThat(produce(LATEST, "orders", 0, Batches.of("good"), (short) 1).baseOffset()).isZero();
    }

    @Test
    void shouldFailTheWholeRequestWhenABatchHeaderCannotBeRead() {
        ByteBuffer unknownMagic = Batches.copyOf(Batches.of("bad"));
        unknownMagic.put(16, (byte) 3);
        ProduceRequestData request = Requests.produce("orders", 0, MemoryRecords.readableRecords(unknownMagic), (short) 1);
        request.topicData().iterator().next().partitionData().add(new ProduceRequestData.PartitionProduceData()
                .setIndex(1).setRecords(Batches.of("sound")));
        ProduceResponse response = broker.send(ApiKeys.PRODUCE, LATEST, request);
        assertThat(response.data().responses().iterator().next().partitionResponses())
                .extracting(ProduceResponseData.PartitionProduceResponse::errorCode)
                .containsExactly(Errors.CORRUPT_MESSAGE.code(), Errors.CORRUPT_MESSAGE.code());
        assertThat(fetchValues(1, 0)).isEmpty();
    }

    @Test
    void shouldRejectABatchOverTheTopicsMaxMessageBytes() {
        broker.createTopic("small", 1, Map.of("max.message.bytes", "200"));
        ProduceResponseData.PartitionProduceResponse r = produce(LATEST, "small", 0,
                Batches.of("x".repeat(300)), (short) 1);
        assertThat(r.errorCode()).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
        assertThat(produce(LATEST, "small", 0, Batches.of("fits"), (short) 1).baseOffset()).isZero();
    }

    @Test
    void shouldAnswerUnknownPartition() {
        assertThat(produce(LATEST, "orders", 2, Batches.of("a"), (short) 1).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void shouldAnswerUnknownTopicWithoutCreatingItAsKafkaDoes() {
        // Auto-creation is on (the default), but in Kafka only Metadata requests create topics.
        assertThat(produce(LATEST, "absent", 0, Batches.of("a"), (short) 1).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(broker.topicExists("absent")).isFalse();
    }

    @Test
    void shouldStampLogAppendTimeAndKeepTheBatchValid() {
        broker.createTopic("stamped", 1, Map.of("message.timestamp.type", "LogAppendTime"));
        long before = System.currentTimeMillis();
        ProduceResponseData.PartitionProduceResponse r = produce(LATEST, "stamped", 0,
                Batches.withTimestamps(1_000, 1, "a", "b"), (short) 1);
        assertThat(r.logAppendTimeMs()).isGreaterThanOrEqualTo(before);
        MutableRecordBatch stored = fetchBatches("stamped", 0).getFirst();
        assertThat(stored.isValid()).isTrue();
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(r.logAppendTimeMs());
    }

    @Test
    void shouldStoreACompressedBatchByteForByteExceptItsOffsetAndEpoch() {
        MemoryRecords gzip = Batches.of(Compression.gzip().build(), "one", "two", "three");
        produce(LATEST, "orders", 0, Batches.of("first"), (short) 1);
        ByteBuffer sent = Batches.copyOf(gzip);
        produce(LATEST, "orders", 0, gzip, (short) 1);
        MutableRecordBatch stored = fetchBatches("orders", 0).get(1);
        assertThat(stored.baseOffset()).isEqualTo(1);
        assertThat(stored.compressionType().name).isEqualTo("gzip");
        ByteBuffer storedBytes = ByteBuffer.allocate(stored.sizeInBytes());
        stored.writeTo(storedBytes);
        // Everything from the magic byte on (the CRC'd part included) is as the producer sent it.
        assertThat(storedBytes.flip().slice(16, sent.limit() - 16)).isEqualTo(sent.slice(16, sent.limit() - 16));
        assertThat(fetchValues(0, 1)).containsExactly("one", "two", "three");
    }

    @Test
    void shouldRejectATimestampMoreThanAnHourAhead() {
        long future = System.currentTimeMillis() + 2 * 3_600_000L;
        ProduceResponseData.PartitionProduceResponse r = produce(LATEST, "orders", 0,
                Batches.withTimestamps(future, 1, "too early"), (short) 1);
        assertThat(r.errorCode()).isEqualTo(Errors.INVALID_TIMESTAMP.code());
        assertThat(fetchValues(0, 0)).isEmpty();
    }

    @Test
    void shouldRejectATimestampOlderThanTheTopicAllows() {
        broker.createTopic("recent", 1, Map.of("message.timestamp.before.max.ms", "60000"));
        long old = System.currentTimeMillis() - 120_000L;
        ProduceResponseData.PartitionProduceResponse r = produce(LATEST, "recent", 0,
                Batches.withTimestamps(old, 1, "stale"), (short) 1);
        assertThat(r.errorCode()).isEqualTo(Errors.INVALID_TIMESTAMP.code());
        assertThat(produce(LATEST, "recent", 0, Batches.of("fresh"), (short) 1).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void shouldRefuseATransactionalBatchWithoutATransaction() {
        MemoryRecords txn = MemoryRecords.withTransactionalRecords(Compression.NONE, 5L, (short) 0, 0,
                new org.apache.kafka.common.record.internal.SimpleRecord("v".getBytes()));
        ProduceRequestData request = Requests.produce("orders", 0, txn, (short) 1).setTransactionalId("tx-none");
        ProduceResponse response = broker.send(ApiKeys.PRODUCE, LATEST, request);
        assertThat(response.data().responses().iterator().next().partitionResponses().getFirst().errorCode())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING.code());
        assertThat(fetchValues(0, 0)).isEmpty();
    }

    @Test
    void shouldAnswerEachPartitionOfARequestOnItsOwn() {
        ProduceRequestData request = Requests.produce("orders", 0, Batches.of("ok"), (short) 1);
        request.topicData().iterator().next().partitionData().add(new ProduceRequestData.PartitionProduceData()
                .setIndex(1).setRecords(Batches.corrupted(Batches.of("bad"))));
        ProduceResponse response = broker.send(ApiKeys.PRODUCE, LATEST, request);
        List<ProduceResponseData.PartitionProduceResponse> partitions =
                response.data().responses().iterator().next().partitionResponses();
        assertThat(partitions).extracting(ProduceResponseData.PartitionProduceResponse::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.CORRUPT_MESSAGE.code());
        assertThat(fetchValues(0, 0)).containsExactly("ok");
        assertThat(fetchValues(1, 0)).isEmpty();
    }

    private ProduceResponseData.PartitionProduceResponse produce(short version, String topicName, int partition,
                                                                 MemoryRecords records, short acks) {
        ProduceResponse response = broker.send(ApiKeys.PRODUCE, version, Requests.produce(topicName, partition, records, acks));
        return response.data().responses().iterator().next().partitionResponses().getFirst();
    }

    private List<String> fetchValues(int partition, long offset) {
        FetchResponse response = broker.send(ApiKeys.FETCH, (short) V12, Requests.fetch("orders", Uuid.ZERO_UUID, partition, offset));
        return Batches.values(response.data().responses().getFirst().partitions().getFirst().records());
    }

    private List<MutableRecordBatch> fetchBatches(String topicName, int partition) {
        FetchResponse response = broker.send(ApiKeys.FETCH, (short) V12, Requests.fetch(topicName, Uuid.ZERO_UUID, partition, 0));
        MemoryRecords records = (MemoryRecords) response.data().responses().getFirst().partitions().getFirst().records();
        List<MutableRecordBatch> batches = new java.util.ArrayList<>();
        records.batches().forEach(batches::add);
        return batches;
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ListOffsetsHandlerTest {

    private static final short LATEST = ApiKeys.LIST_OFFSETS.latestVersion(false);

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        broker.createTopic("t", 1);
        // Offsets 0-2 at timestamps 1000, 1010, 1020; offsets 3-4 at 2000, 1500 (out of order within the batch).
        produce(Batches.withTimestamps(1000, 10, "a", "b", "c"));
        produce(MemoryRecords.withRecords(org.apache.kafka.common.compress.Compression.NONE,
                new org.apache.kafka.common.record.internal.SimpleRecord(2000, null, "d".getBytes()),
                new org.apache.kafka.common.record.internal.SimpleRecord(1500, null, "e".getBytes())));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {1, 2, 4, 6, 7, 11})
    void shouldAnswerEarliestAndLatestAtEveryVersion(short version) {
        assertThat(list(version, ListOffsetsRequest.EARLIEST_TIMESTAMP).offset()).isZero();
        assertThat(list(version, ListOffsetsRequest.LATEST_TIMESTAMP).offset()).isEqualTo(5);
    }

    @Test
    void shouldFindTheFirstRecordAtOrAfterATimestampInsideABatch() {
        ListOffsetsResponseData.ListOffsetsPartitionResponse p = list(LATEST, 1005);
        assertThat(p.offset()).isEqualTo(1);
        assertThat(p.timestamp()).isEqualTo(1010);
    }

    @Test
    void shouldFindARecordInALaterBatch() {
        ListOffsetsResponseData.ListOffsetsPartitionResponse p = list(LATEST, 1400);
        assertThat(p.offset()).isEqualTo(3);
        assertThat(p.timestamp()).isEqualTo(2000);
    }

    @Test
    void shouldAnswerNoOffsetForATimestampAfterEveryRecord() {
        ListOffsetsResponseData.ListOffsetsPartitionResponse p = list(LATEST, 5000);
        assertThat(p.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(p.offset()).isEqualTo(-1);
        assertThat(p.timestamp()).isEqualTo(-1);
    }

    @Test
    void shouldAnswerTheRecordWithTheMaxTimestamp() {
        ListOffsetsResponseData.ListOffsetsPartitionResponse p = list(LATEST, ListOffsetsRequest.MAX_TIMESTAMP);
        assertThat(p.offset()).isEqualTo(3);
        assertThat(p.timestamp()).isEqualTo(2000);
    }

    @Test
    void shouldAnswerUnknownTopic() {
        ListOffsetsResponse response = broker.send(ApiKeys.LIST_OFFSETS, LATEST,
                Requests.listOffsets("missing", 0, ListOffsetsRequest.LATEST_TIMESTAMP));
        assertThat(response.data().topics().getFirst().partitions().getFirst().errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    private void produce(MemoryRecords records) {
        broker.send(ApiKeys.PRODUCE, (short) 12, Requests.produce("t", 0, records, (short) 1));
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse list(short version, long timestamp) {
        ListOffsetsResponse response = broker.send(ApiKeys.LIST_OFFSETS, version, Requests.listOffsets("t", 0, timestamp));
        return response.data().topics().getFirst().partitions().getFirst();
    }
}

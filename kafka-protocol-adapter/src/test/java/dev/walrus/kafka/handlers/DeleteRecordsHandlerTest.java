package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeleteRecordsHandlerTest {

    private static final short LATEST = ApiKeys.DELETE_RECORDS.latestVersion();

    @TempDir
    Path dir;
    private AdapterHarness broker;
    private TopicInfo topic;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        topic = broker.createTopic("t", 1);
        produce("t", Batches.of("a", "b", "c"));   // offsets 0-2
        produce("t", Batches.of("d", "e", "f"));   // offsets 3-5
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2})
    void shouldMoveTheLogStartOffsetAtEveryVersion(short version) {
        DeleteRecordsPartitionResult result = delete(version, "t", 0, 4);
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.lowWatermark()).isEqualTo(4);
        assertThat(earliest()).isEqualTo(4);
    }

    @Test
    void shouldRefuseFetchesBelowTheNewStartAndServeTheBatchThatHoldsIt() {
        delete(LATEST, "t", 0, 4);

        assertThat(fetch(0).errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        FetchResponseData.PartitionData at = fetch(4);
        assertThat(at.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(at.logStartOffset()).isEqualTo(4);
        // the batch holding offset 4 starts at 3; the client skips the records below the offset it asked for
        assertThat(Batches.offsets(at.records())).containsExactly(3L, 4L, 5L);
    }

    @Test
    void shouldKeepTheNewStartAcrossARestart() {
        delete(LATEST, "t", 0, 3);

        broker.restart();

        assertThat(earliest()).isEqualTo(3);
        assertThat(fetch(1).errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(Batches.values(fetch(3).records())).containsExactly("d", "e", "f");
    }

    @Test
    void shouldTakeMinusOneAsTheHighWatermark() {
        DeleteRecordsPartitionResult result = delete(LATEST, "t", 0, -1);
        assertThat(result.lowWatermark()).isEqualTo(6);
        assertThat(earliest()).isEqualTo(6);
    }

    @Test
    void shouldRefuseOffsetsBeyondTheHighWatermarkOrBelowZero() {
        for (long offset : new long[] {7, -2}) {
            DeleteRecordsPartitionResult result = delete(LATEST, "t", 0, offset);
            assertThat(result.errorCode()).as("offset %d", offset).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
            assertThat(result.lowWatermark()).isEqualTo(DeleteRecordsResponse.INVALID_LOW_WATERMARK);
        }
        assertThat(earliest()).isZero();
    }

    @Test
    void shouldChangeNothingForAnOffsetBelowTheLogStart() {
        delete(LATEST, "t", 0, 5);
        DeleteRecordsPartitionResult result = delete(LATEST, "t", 0, 2);
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.lowWatermark()).isEqualTo(5);
    }

    @Test
    void shouldAnswerUnknownTopicOrPartition() {
        assertThat(delete(LATEST, "missing", 0, 1).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(delete(LATEST, "t", 1, 1).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void shouldRefuseATopicWhoseCleanupPolicyIsCompactOnly() {
        broker.createTopic("compacted", 1, Map.of("cleanup.policy", "compact"));
        assertThat(delete(LATEST, "compacted", 0, 0).errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code());

        broker.createTopic("both", 1, Map.of("cleanup.policy", "compact,delete"));
        produce("both", Batches.of("x", "y"));
        assertThat(delete(LATEST, "both", 0, 1).lowWatermark()).isEqualTo(1);
    }

    private void produce(String name, MemoryRecords records) {
        broker.send(ApiKeys.PRODUCE, (short) 12, Requests.produce(name, 0, records, (short) 1));
    }

    private DeleteRecordsPartitionResult delete(short version, String name, int partition, long offset) {
        DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(30_000);
        request.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(name)
                .setPartitions(java.util.List.of(new DeleteRecordsRequestData.DeleteRecordsPartition()
                        .setPartitionIndex(partition).setOffset(offset))));
        DeleteRecordsResponse response = broker.send(ApiKeys.DELETE_RECORDS, version, request);
        return response.data().topics().iterator().next().partitions().iterator().next();
    }

    private long earliest() {
        ListOffsetsResponse response = broker.send(ApiKeys.LIST_OFFSETS, ApiKeys.LIST_OFFSETS.latestVersion(false),
                Requests.listOffsets("t", 0, ListOffsetsRequest.EARLIEST_TIMESTAMP));
        ListOffsetsResponseData.ListOffsetsPartitionResponse p = response.data().topics().getFirst().partitions().getFirst();
        return p.offset();
    }

    private FetchResponseData.PartitionData fetch(long offset) {
        FetchResponse response = broker.send(ApiKeys.FETCH, ApiKeys.FETCH.latestVersion(false),
                Requests.fetch("t", topic.id(), 0, offset));
        return response.data().responses().getFirst().partitions().getFirst();
    }
}

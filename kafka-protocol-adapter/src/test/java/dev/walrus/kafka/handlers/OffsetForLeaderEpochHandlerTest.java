package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetForLeaderEpochHandlerTest {

    private static final short LATEST = ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion();

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        broker.createTopic("t", 1);
        broker.send(ApiKeys.PRODUCE, (short) 12, Requests.produce("t", 0, Batches.of("a", "b", "c", "d"), (short) 1));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {2, 3, 4})
    void shouldEndTheCurrentEpochAtTheLogEndOffsetAtEveryVersion(short version) {
        EpochEndOffset end = ask(version, "t", 0, -1, 0);
        assertThat(end.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(end.leaderEpoch()).isZero();
        assertThat(end.endOffset()).isEqualTo(4);
    }

    @Test
    void shouldGiveNoEndForAnUndefinedOrALaterEpoch() {
        for (int epoch : new int[] {-1, 1, 7}) {
            EpochEndOffset end = ask(LATEST, "t", 0, -1, epoch);
            assertThat(end.errorCode()).as("epoch %d", epoch).isEqualTo(Errors.NONE.code());
            assertThat(end.leaderEpoch()).as("epoch %d", epoch).isEqualTo(-1);
            assertThat(end.endOffset()).as("epoch %d", epoch).isEqualTo(-1);
        }
    }

    @Test
    void shouldEndAnEpochOlderThanAnyAtTheLogStart() {
        DeleteRecordsRequestData delete = new DeleteRecordsRequestData().setTimeoutMs(1000);
        delete.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName("t").setPartitions(
                List.of(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(2))));
        broker.send(ApiKeys.DELETE_RECORDS, ApiKeys.DELETE_RECORDS.latestVersion(), delete);

        EpochEndOffset end = ask(LATEST, "t", 0, -1, -3);
        assertThat(end.leaderEpoch()).isEqualTo(-3);
        assertThat(end.endOffset()).isEqualTo(2);
    }

    @Test
    void shouldCheckTheCurrentLeaderEpoch() {
        assertThat(ask(LATEST, "t", 0, 0, 0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(ask(LATEST, "t", 0, 1, 0).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
        assertThat(ask(LATEST, "t", 0, -2, 0).errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
    }

    @Test
    void shouldAnswerUnknownTopicOrPartition() {
        for (EpochEndOffset end : List.of(ask(LATEST, "missing", 0, -1, 0), ask(LATEST, "t", 3, -1, 0))) {
            assertThat(end.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            assertThat(end.endOffset()).isEqualTo(-1);
        }
    }

    private EpochEndOffset ask(short version, String topic, int partition, int currentLeaderEpoch, int leaderEpoch) {
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(-1);
        request.topics().add(new OffsetForLeaderTopic().setTopic(topic).setPartitions(List.of(
                new OffsetForLeaderPartition().setPartition(partition).setCurrentLeaderEpoch(currentLeaderEpoch)
                        .setLeaderEpoch(leaderEpoch))));
        OffsetsForLeaderEpochResponse response = broker.send(ApiKeys.OFFSET_FOR_LEADER_EPOCH, version, request);
        return response.data().topics().iterator().next().partitions().getFirst();
    }
}

package dev.walrus.kafka.fetch;

import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Incremental fetch sessions (KIP-227), through the Fetch handler. */
class FetchSessionTest {

    private static final short VERSION = ApiKeys.FETCH.latestVersion(false);

    @TempDir
    Path dir;
    private AdapterHarness broker;
    private TopicInfo topic;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        topic = broker.createTopic("s", 2);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldCreateASessionOnAFullFetchWithEpochZero() {
        FetchResponse response = fullFetch();
        assertThat(response.error()).isEqualTo(Errors.NONE);
        assertThat(response.data().sessionId()).isNotZero();
        assertThat(partitionsOf(response)).containsExactly(0, 1);
    }

    @Test
    void shouldAnswerAnIncrementalFetchWithOnlyThePartitionsThatChanged() {
        int session = fullFetch().data().sessionId();
        produce(1, "new");
        FetchResponse response = incremental(session, 1, List.of());
        assertThat(response.error()).isEqualTo(Errors.NONE);
        assertThat(response.data().sessionId()).isEqualTo(session);
        assertThat(partitionsOf(response)).containsExactly(1);
        assertThat(Batches.values(response.data().responses().getFirst().partitions().getFirst().records()))
                .containsExactly("new");
    }

    @Test
    void shouldAnswerAnIncrementalFetchWithNothingNewWithNoPartitions() {
        int session = fullFetch().data().sessionId();
        assertThat(partitionsOf(incremental(session, 1, List.of()))).isEmpty();
    }

    @Test
    void shouldUseTheFetchOffsetsGivenInIncrementalRequests() {
        produce(0, "a");
        produce(0, "b");
        int session = fullFetch().data().sessionId();
        FetchRequestData.FetchTopic moved = Requests.fetchTopic(null, topic.id(), 0, 1, 1024 * 1024);
        FetchResponse response = incremental(session, 1, List.of(moved));
        assertThat(Batches.values(response.data().responses().getFirst().partitions().getFirst().records()))
                .containsExactly("b");
    }

    @Test
    void shouldRejectAWrongEpoch() {
        int session = fullFetch().data().sessionId();
        FetchResponse response = incremental(session, 5, List.of());
        assertThat(response.error()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        assertThat(response.data().sessionId()).isZero();
    }

    @Test
    void shouldRejectAnUnknownSession() {
        assertThat(incremental(12345, 1, List.of()).error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
    }

    @Test
    void shouldCloseASessionOnTheFinalEpoch() {
        int session = fullFetch().data().sessionId();
        FetchRequestData close = request(session, FetchMetadata.FINAL_EPOCH, List.of());
        FetchResponse closed = broker.send(ApiKeys.FETCH, VERSION, close);
        assertThat(closed.data().sessionId()).isZero();
        assertThat(incremental(session, 1, List.of()).error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
    }

    @Test
    void shouldRejectASessionUsedAcrossTheTopicIdBoundary() {
        int session = fullFetch().data().sessionId();
        FetchRequestData byName = request(session, 1, List.of());
        FetchResponse response = broker.send(ApiKeys.FETCH, (short) 12, byName);
        assertThat(response.error()).isEqualTo(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
    }

    private FetchResponse fullFetch() {
        FetchRequestData.FetchTopic both = Requests.fetchTopic(null, topic.id(), 0, 0, 1024 * 1024);
        both.partitions().add(new FetchRequestData.FetchPartition().setPartition(1).setFetchOffset(0)
                .setLogStartOffset(-1).setPartitionMaxBytes(1024 * 1024));
        return broker.send(ApiKeys.FETCH, VERSION, request(FetchMetadata.INVALID_SESSION_ID, FetchMetadata.INITIAL_EPOCH,
                List.of(both)));
    }

    private FetchResponse incremental(int session, int epoch, List<FetchRequestData.FetchTopic> changed) {
        return broker.send(ApiKeys.FETCH, VERSION, request(session, epoch, changed));
    }

    private FetchRequestData request(int session, int epoch, List<FetchRequestData.FetchTopic> topics) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1024 * 1024)
                .setSessionId(session).setSessionEpoch(epoch).setTopics(new ArrayList<>(topics));
    }

    private void produce(int partition, String... values) {
        broker.send(ApiKeys.PRODUCE, (short) 12,
                Requests.produce("s", partition, Batches.of(values), (short) 1));
    }

    private static List<Integer> partitionsOf(FetchResponse response) {
        List<Integer> partitions = new ArrayList<>();
        for (FetchResponseData.FetchableTopicResponse t : response.data().responses()) {
            t.partitions().forEach(p -> partitions.add(p.partitionIndex()));
        }
        return partitions;
    }
}

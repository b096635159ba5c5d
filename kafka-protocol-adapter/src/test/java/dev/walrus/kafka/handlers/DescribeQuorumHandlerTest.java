package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeQuorumResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DescribeQuorum at each version: what the admin client cannot show, the error for another partition than the
 * metadata log's, the nodes only from v2, and the high watermark following the metadata log (a topic's creation
 * is one more record).
 */
class DescribeQuorumHandlerTest {

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2})
    void shouldDescribeTheMetadataPartitionAndRefuseAnyOther(short version) {
        DescribeQuorumResponse response = broker.send(ApiKeys.DESCRIBE_QUORUM, version, request("__cluster_metadata", 0, 1));

        DescribeQuorumResponseData.PartitionData metadata = response.data().topics().getFirst().partitions().get(0);
        assertThat(metadata.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(metadata.leaderId()).isEqualTo(1);
        assertThat(metadata.currentVoters()).singleElement()
                .satisfies(v -> assertThat(v.logEndOffset()).isEqualTo(metadata.highWatermark()));
        assertThat(response.data().topics().getFirst().partitions().get(1).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.data().nodes()).hasSize(version >= 2 ? 1 : 0);
    }

    @Test
    void shouldMoveTheHighWatermarkWithTheMetadataLog() {
        long before = highWatermark();
        broker.send(ApiKeys.CREATE_TOPICS, (short) 7, new CreateTopicsRequestData().setTimeoutMs(5000)
                .setTopics(new CreateTopicsRequestData.CreatableTopicCollection(List.of(
                        new CreateTopicsRequestData.CreatableTopic().setName("t").setNumPartitions(1)
                                .setReplicationFactor((short) 1)).iterator())));
        assertThat(highWatermark()).isEqualTo(before + 1);
    }

    private long highWatermark() {
        DescribeQuorumResponse response = broker.send(ApiKeys.DESCRIBE_QUORUM, (short) 2, request("__cluster_metadata", 0));
        return response.data().topics().getFirst().partitions().getFirst().highWatermark();
    }

    private static DescribeQuorumRequestData request(String topic, int... partitions) {
        DescribeQuorumRequestData.TopicData data = new DescribeQuorumRequestData.TopicData().setTopicName(topic);
        for (int p : partitions) {
            data.partitions().add(new DescribeQuorumRequestData.PartitionData().setPartitionIndex(p));
        }
        return new DescribeQuorumRequestData().setTopics(List.of(data));
    }
}

package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopicCollection;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DescribeLogDirsHandlerTest {

    private static final short LATEST = ApiKeys.DESCRIBE_LOG_DIRS.latestVersion();

    @TempDir
    Path dir;
    private AdapterHarness broker;
    private int batchBytes;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
        broker.createTopic("a", 2);
        broker.createTopic("b", 1);
        MemoryRecords batch = Batches.of("x", "y");
        batchBytes = batch.sizeInBytes();
        broker.send(ApiKeys.PRODUCE, (short) 12, Requests.produce("a", 1, batch, (short) 1));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {1, 2, 3, 4, 5})
    void shouldDescribeEveryPartitionOfTheDataDirectoryAtEveryVersion(short version) {
        DescribeLogDirsResult result = describe(version, null);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.logDir()).isEqualTo(dir.toAbsolutePath().toString());
        assertThat(result.topics()).extracting(DescribeLogDirsTopic::name).containsExactly("a", "b");
        DescribeLogDirsTopic a = result.topics().getFirst();
        assertThat(a.partitions()).extracting(p -> p.partitionIndex() + ":" + p.partitionSize() + ":" + p.offsetLag())
                .containsExactly("0:0:0", "1:" + batchBytes + ":0");
        if (version >= 4) {
            assertThat(result.totalBytes()).isPositive();
            assertThat(result.usableBytes()).isPositive().isLessThanOrEqualTo(result.totalBytes());
        }
    }

    @Test
    void shouldDescribeOnlyTheExistingPartitionsAskedFor() {
        DescribableLogDirTopicCollection asked = new DescribableLogDirTopicCollection();
        asked.add(new DescribableLogDirTopic().setTopic("a").setPartitions(List.of(1, 7)));
        asked.add(new DescribableLogDirTopic().setTopic("missing").setPartitions(List.of(0)));
        asked.add(new DescribableLogDirTopic().setTopic("b").setPartitions(List.of(3)));

        DescribeLogDirsResult result = describe(LATEST, asked);

        assertThat(result.topics()).singleElement().satisfies(topic -> {
            assertThat(topic.name()).isEqualTo("a");
            assertThat(topic.partitions()).singleElement().satisfies(p -> {
                assertThat(p.partitionIndex()).isEqualTo(1);
                assertThat(p.partitionSize()).isEqualTo(batchBytes);
                assertThat(p.isFutureKey()).isFalse();
            });
        });
    }

    private DescribeLogDirsResult describe(short version, DescribableLogDirTopicCollection topics) {
        DescribeLogDirsResponse response = broker.send(ApiKeys.DESCRIBE_LOG_DIRS, version,
                new DescribeLogDirsRequestData().setTopics(topics));
        assertThat(response.data().results()).hasSize(1);
        return response.data().results().getFirst();
    }
}

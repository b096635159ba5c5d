package dev.walrus.kafka.group.offsets;

import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code __consumer_offsets} through the adapter: made by the first FindCoordinator for a group, as Kafka makes it;
 * a commit's record byte for byte as Kafka's schemas lay it out; a client's produce refused with Kafka's message; the
 * engine's offsets written to it when it is missing at start.
 */
class OffsetsTopicAdapterTest {

    private static final String OFFSETS = "__consumer_offsets";

    @TempDir
    Path dir;
    AdapterHarness broker;

    @BeforeEach
    void open() {
        broker = new AdapterHarness(dir);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void shouldMakeTheTopicOnTheFirstFindCoordinatorForAGroupWithKafkasPartitionsAndConfigs() {
        findCoordinator(CoordinatorType.TRANSACTION, "txn-1");
        assertThat(broker.topicExists(OFFSETS)).as("a transactional id does not make it").isFalse();

        findCoordinator(CoordinatorType.GROUP, "g1");

        MetadataResponse metadata = broker.send(ApiKeys.METADATA, (short) 12, new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(OFFSETS)))
                .setAllowAutoTopicCreation(false));
        assertThat(metadata.data().topics().find(OFFSETS).isInternal()).isTrue();
        assertThat(metadata.data().topics().find(OFFSETS).partitions()).hasSize(50);
        DescribeConfigsResponse configs = broker.send(ApiKeys.DESCRIBE_CONFIGS, (short) 4, new DescribeConfigsRequestData()
                .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType((byte) 2).setResourceName(OFFSETS)
                        .setConfigurationKeys(List.of("cleanup.policy", "compression.type", "segment.bytes")))));
        assertThat(configs.data().results().getFirst().configs()).extracting(
                        DescribeConfigsResponseData.DescribeConfigsResourceResult::name,
                        DescribeConfigsResponseData.DescribeConfigsResourceResult::value)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("cleanup.policy", "compact"),
                        org.assertj.core.groups.Tuple.tuple("compression.type", "producer"),
                        org.assertj.core.groups.Tuple.tuple("segment.bytes", "104857600"));
    }

    @Test
    void shouldRecordACommitAsKafkasOffsetCommitKeyAndValueV4() {
        TopicInfo orders = broker.createTopic("orders", 2);
        long before = System.currentTimeMillis();
        commit("g1", "orders", 1, 42, 3, "m");
        long after = System.currentTimeMillis();

        List<Record> records = records(OffsetsTopic.partitionFor("g1", 50));

        assertThat(records).hasSize(1);
        Record record = records.getFirst();
        ByteBuffer key = ByteBuffer.allocate(2 + 2 + 2 + 2 + 6 + 4).putShort((short) 1)
                .putShort((short) 2).put("g1".getBytes(StandardCharsets.UTF_8))
                .putShort((short) 6).put("orders".getBytes(StandardCharsets.UTF_8))
                .putInt(1).flip();
        assertThat(record.key()).isEqualTo(key);
        ByteBuffer value = record.value();
        assertThat(value.getShort()).as("value version").isEqualTo((short) 4);
        assertThat(value.getLong()).as("offset").isEqualTo(42);
        assertThat(value.getInt()).as("leader epoch").isEqualTo(3);
        assertThat(value.get()).as("compact string length + 1").isEqualTo((byte) 2);
        assertThat((char) value.get()).isEqualTo('m');
        long commitTimestamp = value.getLong();
        assertThat(commitTimestamp).isBetween(before, after).isEqualTo(record.timestamp());
        assertThat(value.get()).as("one tagged field").isEqualTo((byte) 1);
        assertThat(value.get()).as("tag 0: topicId").isEqualTo((byte) 0);
        assertThat(value.get()).as("its size").isEqualTo((byte) 16);
        assertThat(new Uuid(value.getLong(), value.getLong())).isEqualTo(orders.id());
        assertThat(value.hasRemaining()).isFalse();
    }

    @Test
    void shouldRefuseAClientsProduceToItWithKafkasMessageButNotTheAdminClientId() {
        findCoordinator(CoordinatorType.GROUP, "g1");
        MemoryRecords batch = Batches.of("forged");

        ProduceResponse refused = broker.send(ApiKeys.PRODUCE, (short) 12, Requests.produce(OFFSETS, 0, batch, (short) -1));
        ProduceResponseData.PartitionProduceResponse p = refused.data().responses().iterator().next().partitionResponses().getFirst();
        assertThat(Errors.forCode(p.errorCode())).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(p.errorMessage()).isEqualTo("Cannot append to internal topic __consumer_offsets");

        ProduceResponse admitted = (ProduceResponse) AdapterHarness.parse(broker.sendRaw(frameFrom("__admin_client",
                ApiKeys.PRODUCE, (short) 12, Requests.produce(OFFSETS, 0, Batches.of("admin"), (short) -1), 4242)),
                ApiKeys.PRODUCE, (short) 12, 4242);
        assertThat(Errors.forCode(admitted.data().responses().iterator().next().partitionResponses().getFirst().errorCode()))
                .as("Kafka lets a client calling itself __admin_client append").isEqualTo(Errors.NONE);
    }

    @Test
    void shouldWriteTheEnginesOffsetsToTheTopicWhenItIsMissingAtStart() throws Exception {
        broker.createTopic("orders", 1);
        commit("g1", "orders", 0, 5, -1, "kept");
        broker.send(ApiKeys.DELETE_TOPICS, (short) 6, new DeleteTopicsRequestData().setTimeoutMs(30_000)
                .setTopics(List.of(new DeleteTopicsRequestData.DeleteTopicState().setName(OFFSETS))));
        assertThat(broker.topicExists(OFFSETS)).isFalse();

        broker.restart();

        int partition = OffsetsTopic.partitionFor("g1", 50);
        List<Record> records = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L; // the writes at start are not waited for
        while (records.isEmpty() && System.nanoTime() < deadline) {
            if (broker.topicExists(OFFSETS)) {
                records = records(partition);
            }
            Thread.sleep(20);
        }
        assertThat(records).hasSize(1);
        ByteBuffer value = records.getFirst().value();
        assertThat(value.getShort()).isEqualTo((short) 4);
        assertThat(value.getLong()).isEqualTo(5);
    }

    private void findCoordinator(CoordinatorType type, String key) {
        broker.send(ApiKeys.FIND_COORDINATOR, (short) 6, new FindCoordinatorRequestData()
                .setKeyType(type.id()).setCoordinatorKeys(new ArrayList<>(List.of(key))));
    }

    private void commit(String group, String topic, int partition, long offset, int leaderEpoch, String metadata) {
        broker.send(ApiKeys.OFFSET_COMMIT, (short) 9, new OffsetCommitRequestData().setGroupId(group)
                .setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic)
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(partition).setCommittedOffset(offset)
                                .setCommittedLeaderEpoch(leaderEpoch).setCommittedMetadata(metadata))))));
    }

    private List<Record> records(int partition) {
        FetchResponse response = broker.send(ApiKeys.FETCH, (short) 12, Requests.fetch(OFFSETS, Uuid.ZERO_UUID, partition, 0));
        MemoryRecords fetched = (MemoryRecords) response.data().responses().getFirst().partitions().getFirst().records();
        List<Record> records = new ArrayList<>();
        fetched.records().forEach(records::add);
        return records;
    }

    private static ByteBuffer frameFrom(String clientId, ApiKeys key, short version, ApiMessage body, int correlationId) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setClientId(clientId).setCorrelationId(correlationId);
        short headerVersion = key.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size.totalSize());
        ByteBufferAccessor out = new ByteBufferAccessor(buffer);
        header.write(out, cache, headerVersion);
        body.write(out, cache, version);
        return buffer.flip();
    }
}

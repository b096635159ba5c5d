package dev.walrus.broker.training;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a Kafka client does in its first seconds against a broker, as the start-cache training plays it: connect and
 * negotiate, create a topic, produce (idempotent at acks=all, and plain at acks=1), fetch through a fetch session and
 * a long poll woken by a produce, list offsets, join a consumer group and commit, describe configs, delete a topic.
 * Every answer is checked: a training that goes wrong is reported, not recorded as if it had gone right.
 */
final class TrainingWorkload {

    private static final String TOPIC = "walrus-training";
    private static final String GROUP = "walrus-training-group";

    private final InetSocketAddress address;
    private final Map<ApiKeys, Short> versions = new EnumMap<>(ApiKeys.class);

    TrainingWorkload(InetSocketAddress address) {
        this.address = address;
    }

    /** The first life of the data directory: every API of the list above. */
    void runFirstLife() throws IOException {
        try (TrainingConnection main = TrainingConnection.open(address);
             TrainingConnection poller = TrainingConnection.open(address)) {
            negotiate(main);
            negotiate(poller);
            Uuid topicId = createTopic(main, TOPIC);
            metadata(main);
            InitProducerIdResponseData producer = main.call(ApiKeys.INIT_PRODUCER_ID, version(ApiKeys.INIT_PRODUCER_ID),
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(Integer.MAX_VALUE)
                            .setProducerId(-1).setProducerEpoch((short) -1));
            check(ApiKeys.INIT_PRODUCER_ID, producer.errorCode());
            produce(main, topicId, (short) -1, MemoryRecords.withIdempotentRecords(Compression.NONE,
                    producer.producerId(), producer.producerEpoch(), 0, records(5)));
            long end = produce(main, topicId, (short) 1, MemoryRecords.withRecords(Compression.NONE, records(3))) + 3;

            FetchResponseData first = fetch(main, topicId, 0, 0, 0, List.of(partition(0)));
            requireRecords(first);
            longPollWokenByProduce(main, poller, topicId, first.sessionId(), end);

            listOffsets(main, -2L);
            listOffsets(main, -1L);
            listOffsets(main, 0L);
            consumerGroup(main, topicId, end);
            DescribeConfigsResponseData configs = main.call(ApiKeys.DESCRIBE_CONFIGS, version(ApiKeys.DESCRIBE_CONFIGS),
                    new DescribeConfigsRequestData().setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                            .setResourceType((byte) 2).setResourceName(TOPIC))));
            check(ApiKeys.DESCRIBE_CONFIGS, configs.results().getFirst().errorCode());
            String doomed = TOPIC + "-deleted";
            createTopic(main, doomed);
            deleteTopic(main, doomed);
        }
    }

    /** The second life, after a restart on the same data: what a returning producer and consumer do. */
    void runSecondLife() throws IOException {
        try (TrainingConnection main = TrainingConnection.open(address)) {
            negotiate(main);
            Uuid topicId = metadata(main);
            produce(main, topicId, (short) 1, MemoryRecords.withRecords(Compression.NONE, records(2)));
            requireRecords(fetch(main, topicId, 0, 0, 0, List.of(partition(0))));
        }
    }

    private void negotiate(TrainingConnection connection) throws IOException {
        ApiVersionsResponseData answer = connection.call(ApiKeys.API_VERSIONS, ApiKeys.API_VERSIONS.latestVersion(),
                new ApiVersionsRequestData().setClientSoftwareName("walrus-training").setClientSoftwareVersion("1"));
        check(ApiKeys.API_VERSIONS, answer.errorCode());
        for (ApiVersionsResponseData.ApiVersion api : answer.apiKeys()) {
            if (ApiKeys.hasId(api.apiKey())) {
                ApiKeys key = ApiKeys.forId(api.apiKey());
                versions.put(key, (short) Math.min(api.maxVersion(), key.latestVersion()));
            }
        }
    }

    private short version(ApiKeys key) {
        Short version = versions.get(key);
        if (version == null) {
            throw new IllegalStateException(key + " is not offered by the broker");
        }
        return version;
    }

    private Uuid createTopic(TrainingConnection connection, String name) throws IOException {
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(2)
                .setReplicationFactor((short) 1));
        CreateTopicsResponseData answer = connection.call(ApiKeys.CREATE_TOPICS, version(ApiKeys.CREATE_TOPICS),
                new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(10_000));
        CreateTopicsResponseData.CreatableTopicResult result = answer.topics().find(name);
        check(ApiKeys.CREATE_TOPICS, result.errorCode());
        return result.topicId();
    }

    private void deleteTopic(TrainingConnection connection, String name) throws IOException {
        short version = version(ApiKeys.DELETE_TOPICS);
        DeleteTopicsRequestData delete = new DeleteTopicsRequestData().setTimeoutMs(10_000);
        DeleteTopicsResponseData answer = connection.call(ApiKeys.DELETE_TOPICS, version, version >= 6
                ? delete.setTopics(List.of(new DeleteTopicsRequestData.DeleteTopicState().setName(name)))
                : delete.setTopicNames(List.of(name))); // KIP-516: a list of names, then of names or ids from v6
        check(ApiKeys.DELETE_TOPICS, answer.responses().iterator().next().errorCode());
    }

    private Uuid metadata(TrainingConnection connection) throws IOException {
        MetadataResponseData answer = connection.call(ApiKeys.METADATA, version(ApiKeys.METADATA),
                new MetadataRequestData().setAllowAutoTopicCreation(true).setTopics(List.of(
                        new MetadataRequestData.MetadataRequestTopic().setName(TOPIC).setTopicId(Uuid.ZERO_UUID))));
        MetadataResponseData.MetadataResponseTopic topic = answer.topics().find(TOPIC);
        check(ApiKeys.METADATA, topic.errorCode());
        return topic.topicId();
    }

    /** Produces {@code records} to partition 0 and returns the base offset they were given. */
    private long produce(TrainingConnection connection, Uuid topicId, short acks, MemoryRecords records)
            throws IOException {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        short version = version(ApiKeys.PRODUCE);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setPartitionData(
                List.of(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records)));
        topics.add(version >= 13 ? topic.setTopicId(topicId) : topic.setName(TOPIC)); // KIP-516: by id from v13
        ProduceResponseData answer = connection.call(ApiKeys.PRODUCE, version,
                new ProduceRequestData().setAcks(acks).setTimeoutMs(30_000).setTopicData(topics));
        ProduceResponseData.PartitionProduceResponse partition =
                answer.responses().iterator().next().partitionResponses().getFirst();
        check(ApiKeys.PRODUCE, partition.errorCode());
        return partition.baseOffset();
    }

    private static FetchRequestData.FetchPartition partition(long offset) {
        return new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                .setPartitionMaxBytes(1 << 20).setLogStartOffset(-1).setCurrentLeaderEpoch(-1).setLastFetchedEpoch(-1);
    }

    private FetchResponseData fetch(TrainingConnection connection, Uuid topicId, int maxWaitMs, int sessionId,
                                    int sessionEpoch, List<FetchRequestData.FetchPartition> partitions)
            throws IOException {
        short version = version(ApiKeys.FETCH);
        FetchResponseData answer = connection.call(ApiKeys.FETCH, version,
                fetchRequest(version, topicId, maxWaitMs, sessionId, sessionEpoch, partitions));
        check(ApiKeys.FETCH, answer.errorCode());
        return answer;
    }

    private static FetchRequestData fetchRequest(short version, Uuid topicId, int maxWaitMs, int sessionId,
                                                 int sessionEpoch, List<FetchRequestData.FetchPartition> partitions) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setPartitions(partitions);
        List<FetchRequestData.FetchTopic> topics = partitions.isEmpty() ? List.of()
                : List.of(version >= 13 ? topic.setTopicId(topicId) : topic.setTopic(TOPIC)); // KIP-516
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(maxWaitMs).setMinBytes(1).setMaxBytes(50 << 20)
                .setIsolationLevel((byte) 0).setSessionId(sessionId).setSessionEpoch(sessionEpoch).setTopics(topics)
                .setRackId("");
    }

    /**
     * An incremental fetch of the session at the end of the partition, left waiting on {@code poller} while
     * {@code main} produces: the path of a consumer that is caught up.
     */
    private void longPollWokenByProduce(TrainingConnection main, TrainingConnection poller, Uuid topicId, int sessionId,
                                        long end) throws IOException {
        TrainingConnection.Sent poll = poller.send(ApiKeys.FETCH, version(ApiKeys.FETCH),
                fetchRequest(version(ApiKeys.FETCH), topicId, 10_000, 0, -1, List.of(partition(end))));
        produce(main, topicId, (short) -1, MemoryRecords.withRecords(Compression.NONE, records(1)));
        FetchResponseData woken = (FetchResponseData) poller.receive(poll);
        requireRecords(woken);
        // the session of the first fetch, incremental: nothing changed, so no partition is named
        fetch(main, topicId, 0, sessionId, 1, List.of());
    }

    private void listOffsets(TrainingConnection connection, long timestamp) throws IOException {
        ListOffsetsResponseData answer = connection.call(ApiKeys.LIST_OFFSETS, version(ApiKeys.LIST_OFFSETS),
                new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) 0).setTopics(List.of(
                        new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC).setPartitions(List.of(
                                new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                        .setTimestamp(timestamp).setCurrentLeaderEpoch(-1))))));
        check(ApiKeys.LIST_OFFSETS, answer.topics().getFirst().partitions().getFirst().errorCode());
    }

    /** A classic consumer group's life: coordinator, join (twice: a member id first), sync, heartbeat, commit, leave. */
    private void consumerGroup(TrainingConnection connection, Uuid topicId, long offset) throws IOException {
        short findVersion = version(ApiKeys.FIND_COORDINATOR);
        FindCoordinatorRequestData find = new FindCoordinatorRequestData().setKeyType((byte) 0);
        FindCoordinatorResponseData coordinator = connection.call(ApiKeys.FIND_COORDINATOR, findVersion,
                findVersion >= 4 ? find.setCoordinatorKeys(List.of(GROUP)) : find.setKey(GROUP)); // KIP-699: batched
        check(ApiKeys.FIND_COORDINATOR, coordinator.coordinators().isEmpty() ? coordinator.errorCode()
                : coordinator.coordinators().getFirst().errorCode());
        JoinGroupResponseData joined = joinGroup(connection, "");
        if (joined.errorCode() == Errors.MEMBER_ID_REQUIRED.code()) {
            joined = joinGroup(connection, joined.memberId());
        }
        check(ApiKeys.JOIN_GROUP, joined.errorCode());
        String member = joined.memberId();
        int generation = joined.generationId();
        SyncGroupResponseData synced = connection.call(ApiKeys.SYNC_GROUP, version(ApiKeys.SYNC_GROUP),
                new SyncGroupRequestData().setGroupId(GROUP).setGenerationId(generation).setMemberId(member)
                        .setProtocolType("consumer").setProtocolName("range").setAssignments(List.of(
                                new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member)
                                        .setAssignment(new byte[0]))));
        check(ApiKeys.SYNC_GROUP, synced.errorCode());
        HeartbeatResponseData beat = connection.call(ApiKeys.HEARTBEAT, version(ApiKeys.HEARTBEAT),
                new HeartbeatRequestData().setGroupId(GROUP).setGenerationId(generation).setMemberId(member));
        check(ApiKeys.HEARTBEAT, beat.errorCode());
        short commitVersion = version(ApiKeys.OFFSET_COMMIT);
        OffsetCommitRequestData.OffsetCommitRequestTopic commitTopic = new OffsetCommitRequestData.OffsetCommitRequestTopic()
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                        .setCommittedOffset(offset).setCommittedLeaderEpoch(-1).setCommittedMetadata("")));
        OffsetCommitResponseData committed = connection.call(ApiKeys.OFFSET_COMMIT, commitVersion,
                new OffsetCommitRequestData().setGroupId(GROUP).setGenerationIdOrMemberEpoch(generation)
                        .setMemberId(member).setTopics(List.of(commitVersion >= 10 ? commitTopic.setTopicId(topicId)
                                : commitTopic.setName(TOPIC)))); // KIP-848: by id from v10
        check(ApiKeys.OFFSET_COMMIT, committed.topics().getFirst().partitions().getFirst().errorCode());
        short offsetFetchVersion = version(ApiKeys.OFFSET_FETCH);
        OffsetFetchRequestData.OffsetFetchRequestTopics fetchTopic = new OffsetFetchRequestData.OffsetFetchRequestTopics()
                .setPartitionIndexes(List.of(0));
        OffsetFetchResponseData fetched = connection.call(ApiKeys.OFFSET_FETCH, offsetFetchVersion,
                new OffsetFetchRequestData().setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                        .setGroupId(GROUP).setTopics(List.of(offsetFetchVersion >= 10 ? fetchTopic.setTopicId(topicId)
                                : fetchTopic.setName(TOPIC)))))); // KIP-848: by id from v10
        check(ApiKeys.OFFSET_FETCH, fetched.groups().getFirst().errorCode());
        LeaveGroupResponseData left = connection.call(ApiKeys.LEAVE_GROUP, version(ApiKeys.LEAVE_GROUP),
                new LeaveGroupRequestData().setGroupId(GROUP).setMembers(List.of(
                        new LeaveGroupRequestData.MemberIdentity().setMemberId(member))));
        check(ApiKeys.LEAVE_GROUP, left.errorCode());
    }

    private JoinGroupResponseData joinGroup(TrainingConnection connection, String memberId) throws IOException {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        return connection.call(ApiKeys.JOIN_GROUP, version(ApiKeys.JOIN_GROUP), new JoinGroupRequestData()
                .setGroupId(GROUP).setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setMemberId(memberId)
                .setProtocolType("consumer").setProtocols(protocols));
    }

    private static SimpleRecord[] records(int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        Header[] headers = {new RecordHeader("h", new byte[] {1})};
        for (int i = 0; i < count; i++) {
            byte[] value = ("training record " + i).getBytes(StandardCharsets.UTF_8);
            records[i] = new SimpleRecord(System.currentTimeMillis(), ("k" + i).getBytes(StandardCharsets.UTF_8),
                    value, headers);
        }
        return records;
    }

    private static void requireRecords(FetchResponseData answer) {
        FetchResponseData.PartitionData partition = answer.responses().getFirst().partitions().getFirst();
        check(ApiKeys.FETCH, partition.errorCode());
        if (!(partition.records() instanceof MemoryRecords records) || records.sizeInBytes() == 0) {
            throw new IllegalStateException("FETCH returned no records");
        }
    }

    private static void check(ApiKeys key, short errorCode) {
        if (errorCode != Errors.NONE.code()) {
            throw new IllegalStateException(key + " answered " + Errors.forCode(errorCode));
        }
    }
}

package dev.walrus.kafka.testing;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.FetchMetadata;

import java.util.List;

/** Request bodies built with kafka-clients' generated classes, with the defaults a Java client would send. */
public final class Requests {

    private Requests() {}

    public static ProduceRequestData produce(String topic, int partition, MemoryRecords records, short acks) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(new java.util.ArrayList<>(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records)))));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(30_000).setTopicData(topics);
    }

    public static ProduceRequestData produceById(Uuid topicId, int partition, MemoryRecords records, short acks) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setTopicId(topicId).setPartitionData(new java.util.ArrayList<>(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records)))));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(30_000).setTopicData(topics);
    }

    /** A sessionless fetch of one partition that answers at once. */
    public static FetchRequestData fetch(String topic, Uuid topicId, int partition, long offset) {
        return fetch(topic, topicId, partition, offset, 1024 * 1024, 0, 0);
    }

    public static FetchRequestData fetch(String topic, Uuid topicId, int partition, long offset, int partitionMaxBytes,
                                         int maxWaitMs, int minBytes) {
        return new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(minBytes)
                .setMaxBytes(50 * 1024 * 1024)
                .setIsolationLevel((byte) 0)
                .setSessionId(FetchMetadata.INVALID_SESSION_ID)
                .setSessionEpoch(FetchMetadata.FINAL_EPOCH)
                .setTopics(new java.util.ArrayList<>(List.of(fetchTopic(topic, topicId, partition, offset, partitionMaxBytes))));
    }

    public static FetchRequestData.FetchTopic fetchTopic(String topic, Uuid topicId, int partition, long offset,
                                                         int partitionMaxBytes) {
        return new FetchRequestData.FetchTopic().setTopic(topic).setTopicId(topicId).setPartitions(
                new java.util.ArrayList<>(List.of(new FetchRequestData.FetchPartition()
                        .setPartition(partition)
                        .setFetchOffset(offset)
                        .setLogStartOffset(-1)
                        .setPartitionMaxBytes(partitionMaxBytes))));
    }

    public static ListOffsetsRequestData listOffsets(String topic, int partition, long timestamp) {
        return new ListOffsetsRequestData()
                .setReplicaId(-1)
                .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName(topic).setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(partition).setTimestamp(timestamp)))));
    }

    /** One config operation of an IncrementalAlterConfigs request (0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT). */
    public static IncrementalAlterConfigsRequestData.AlterableConfig alterableConfig(String name, String value, byte operation) {
        return new IncrementalAlterConfigsRequestData.AlterableConfig().setName(name).setValue(value)
                .setConfigOperation(operation);
    }

    /** An IncrementalAlterConfigs request changing one resource. */
    public static IncrementalAlterConfigsRequestData incrementalAlterConfigs(
            ConfigResource.Type type, String name, IncrementalAlterConfigsRequestData.AlterableConfig... configs) {
        IncrementalAlterConfigsRequestData.AlterConfigsResource resource =
                new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType(type.id()).setResourceName(name);
        for (IncrementalAlterConfigsRequestData.AlterableConfig config : configs) {
            resource.configs().add(config);
        }
        IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources =
                new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(resource);
        return new IncrementalAlterConfigsRequestData().setResources(resources);
    }
}

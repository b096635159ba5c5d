package dev.walrus.kafka.group.offsets;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;

/** TxnOffsetCommit answers shared by the handler and the group coordinator. */
public final class TxnOffsetCommits {

    private TxnOffsetCommits() {}

    /** The same error for every partition of the request (a group or transaction error fails them all in Kafka). */
    public static TxnOffsetCommitResponseData allFailed(TxnOffsetCommitRequestData request, Errors error) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData().setThrottleTimeMs(0);
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t : request.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic rt =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(t.name()).setTopicId(t.topicId());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : t.partitions()) {
                rt.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(rt);
        }
        return response;
    }

    /** Adds a partition's answer under its topic's entry (the first with its id, or name before v6: Kafka's builder). */
    public static void add(TxnOffsetCommitResponseData response, Uuid topicId, String name, int partition, Errors error) {
        TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topic = find(response, topicId, name);
        if (topic == null) {
            topic = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setTopicId(topicId).setName(name);
            response.topics().add(topic);
        }
        topic.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                .setPartitionIndex(partition).setErrorCode(error.code()));
    }

    /** {@code first} followed by {@code then}, a topic in both under the entry of {@code first}, as Kafka merges. */
    public static TxnOffsetCommitResponseData merge(TxnOffsetCommitResponseData first, TxnOffsetCommitResponseData then) {
        for (TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic t : then.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic existing = find(first, t.topicId(), t.name());
            if (existing == null) {
                first.topics().add(t.duplicate());
            } else {
                existing.partitions().addAll(t.partitions());
            }
        }
        return first;
    }

    private static TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic find(TxnOffsetCommitResponseData response,
                                                                               Uuid topicId, String name) {
        for (TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic t : response.topics()) {
            if (Uuid.ZERO_UUID.equals(topicId) ? t.name().equals(name) : t.topicId().equals(topicId)) {
                return t;
            }
        }
        return null;
    }
}

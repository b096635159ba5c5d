package dev.walrus.kafka.group.offsets;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.internals.ByteUtils;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The offset-commit records of {@code __consumer_offsets} in Kafka's byte layout, so that Kafka's
 * {@code OffsetsMessageFormatter}, Burrow and other readers of the topic decode them as Kafka's own.
 *
 * <p>Key: the record type (int16, 1 = offset commit, what Kafka's coordinator writes in front of every key) then
 * {@code OffsetCommitKey} version 0, not flexible: {@code group}, {@code topic} (int16-length strings), {@code partition}
 * (int32).
 *
 * <p>Value: the value version (int16, 4: what Kafka 4.x writes for a commit without an expire timestamp) then
 * {@code OffsetCommitValue} version 4, flexible: {@code offset} (int64), {@code leaderEpoch} (int32), {@code metadata}
 * (compact string: unsigned varint length+1), {@code commitTimestamp} (int64), then the tagged fields: tag 0
 * {@code topicId} (16 bytes) when the topic id is known. A commit with an expire timestamp of its own (OffsetCommit
 * v2-v4 with a retention time) is written as Kafka 4.x writes it, value version 1, not flexible: {@code offset}
 * (int64), {@code metadata} (int16-length string), {@code commitTimestamp}, {@code expireTimestamp} (int64); no leader
 * epoch, no topic id. A deletion (OffsetDelete, DeleteGroups, a deleted topic, an expired offset) is the key with a
 * null value, a tombstone that compaction removes.
 *
 * <p>Written from the schemas ({@code OffsetCommitKey.json}, {@code OffsetCommitValue.json}); big-endian as all of
 * Kafka's protocol.
 */
public final class OffsetCommitRecords {

    /** The record type of an offset commit: the int16 in front of the key. */
    public static final short KEY_TYPE = 1;
    /** The value version Kafka 4.x writes when the commit has no expire timestamp (every client since KIP-211). */
    public static final short VALUE_VERSION = 4;
    /** The value version Kafka 4.x writes when the commit has an expire timestamp of its own. */
    public static final short VALUE_VERSION_WITH_EXPIRE_TIMESTAMP = 1;
    /** The tag of {@code topicId} in the value's tagged fields. */
    private static final int TOPIC_ID_TAG = 0;
    private static final int UUID_BYTES = 16;

    private OffsetCommitRecords() {}

    public static byte[] key(String groupId, String topic, int partition) {
        byte[] group = groupId.getBytes(StandardCharsets.UTF_8);
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + group.length + 2 + name.length + 4);
        b.putShort(KEY_TYPE);
        b.putShort((short) group.length).put(group);
        b.putShort((short) name.length).put(name);
        b.putInt(partition);
        return b.array();
    }

    /**
     * The value of a commit; a null metadata is written as the empty string, as Kafka's coordinator stores it.
     * {@code topicId} is left out when null or zero (the tagged field's default).
     */
    public static byte[] value(CommittedOffset committed, Uuid topicId) {
        byte[] metadata = (committed.metadata() == null ? "" : committed.metadata()).getBytes(StandardCharsets.UTF_8);
        if (committed.hasExpireTimestamp()) {
            return valueWithExpireTimestamp(committed, metadata);
        }
        boolean withTopicId = topicId != null && !Uuid.ZERO_UUID.equals(topicId);
        int taggedBytes = withTopicId
                ? ByteUtils.sizeOfUnsignedVarint(1) + ByteUtils.sizeOfUnsignedVarint(TOPIC_ID_TAG)
                        + ByteUtils.sizeOfUnsignedVarint(UUID_BYTES) + UUID_BYTES
                : ByteUtils.sizeOfUnsignedVarint(0);
        ByteBuffer b = ByteBuffer.allocate(2 + 8 + 4 + ByteUtils.sizeOfUnsignedVarint(metadata.length + 1)
                + metadata.length + 8 + taggedBytes);
        b.putShort(VALUE_VERSION);
        b.putLong(committed.offset());
        b.putInt(committed.leaderEpoch());
        ByteUtils.writeUnsignedVarint(metadata.length + 1, b);
        b.put(metadata);
        b.putLong(committed.commitTimestampMs());
        if (withTopicId) {
            ByteUtils.writeUnsignedVarint(1, b);
            ByteUtils.writeUnsignedVarint(TOPIC_ID_TAG, b);
            ByteUtils.writeUnsignedVarint(UUID_BYTES, b);
            b.putLong(topicId.getMostSignificantBits());
            b.putLong(topicId.getLeastSignificantBits());
        } else {
            ByteUtils.writeUnsignedVarint(0, b);
        }
        return b.array();
    }

    private static byte[] valueWithExpireTimestamp(CommittedOffset committed, byte[] metadata) {
        ByteBuffer b = ByteBuffer.allocate(2 + 8 + 2 + metadata.length + 8 + 8);
        b.putShort(VALUE_VERSION_WITH_EXPIRE_TIMESTAMP);
        b.putLong(committed.offset());
        b.putShort((short) metadata.length).put(metadata);
        b.putLong(committed.commitTimestampMs());
        b.putLong(committed.expireTimestampMs());
        return b.array();
    }
}

package dev.walrus.kafka.group.offsets;

import dev.walrus.engine.Walrus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a group's named-reader checkpoint carries beside the offset (its position): the rest of a committed offset.
 *
 * <pre>
 *  0        1                5                          13               17
 *  +--------+----------------+--------------------------+----------------+---------------------+
 *  | ver=1  | leader epoch   | commit timestamp (ms)    | metadata len   | metadata (UTF-8)    |
 *  | int8   | int32          | int64                    | int32, -1=null | len bytes           |
 *  +--------+----------------+--------------------------+----------------+---------------------+
 * </pre>
 *
 * Big-endian. The whole attachment must fit {@link Walrus#MAX_ATTACHMENT_BYTES}, so metadata may take at most
 * {@link #MAX_METADATA_BYTES} bytes of UTF-8.
 */
public final class OffsetAttachment {

    static final byte VERSION = 1;
    /** Offset of the version byte. */
    static final int VERSION_OFFSET = 0;
    /** Offset of the leader epoch. */
    static final int LEADER_EPOCH_OFFSET = 1;
    /** Offset of the commit timestamp. */
    static final int TIMESTAMP_OFFSET = 5;
    /** Offset of the metadata length. */
    static final int METADATA_LENGTH_OFFSET = 13;
    /** Length of the fixed part. */
    static final int HEADER_LENGTH = 17;
    /** The longest metadata, in UTF-8 bytes, that fits the engine's attachment limit. */
    public static final int MAX_METADATA_BYTES = Walrus.MAX_ATTACHMENT_BYTES - HEADER_LENGTH;

    private OffsetAttachment() {}

    /** Whether the metadata fits an attachment at all (Kafka's own limit is checked before this). */
    public static boolean fits(String metadata) {
        return metadata == null || metadata.getBytes(StandardCharsets.UTF_8).length <= MAX_METADATA_BYTES;
    }

    public static byte[] encode(CommittedOffset c) {
        byte[] metadata = c.metadata() == null ? null : c.metadata().getBytes(StandardCharsets.UTF_8);
        if (metadata != null && metadata.length > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("offset metadata of " + metadata.length + " bytes exceeds " + MAX_METADATA_BYTES);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + (metadata == null ? 0 : metadata.length));
        b.put(VERSION_OFFSET, VERSION);
        b.putInt(LEADER_EPOCH_OFFSET, c.leaderEpoch());
        b.putLong(TIMESTAMP_OFFSET, c.commitTimestampMs());
        b.putInt(METADATA_LENGTH_OFFSET, metadata == null ? -1 : metadata.length);
        if (metadata != null) {
            b.put(HEADER_LENGTH, metadata);
        }
        return b.array();
    }

    /** Decodes a checkpoint; an attachment this code did not write (or none) yields the offset with no extras. */
    public static CommittedOffset decode(long offset, byte[] attachment) {
        if (attachment == null || attachment.length < HEADER_LENGTH || attachment[VERSION_OFFSET] != VERSION) {
            return new CommittedOffset(offset, -1, "", 0L);
        }
        ByteBuffer b = ByteBuffer.wrap(attachment);
        int length = b.getInt(METADATA_LENGTH_OFFSET);
        String metadata = null;
        if (length >= 0 && HEADER_LENGTH + length <= attachment.length) {
            metadata = new String(attachment, HEADER_LENGTH, length, StandardCharsets.UTF_8);
        }
        return new CommittedOffset(offset, b.getInt(LEADER_EPOCH_OFFSET), metadata, b.getLong(TIMESTAMP_OFFSET));
    }
}

package dev.walrus.kafka.group.offsets;

import dev.walrus.engine.Walrus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a group's named-reader checkpoint carries beside the offset (its position): the rest of a committed offset.
 *
 * <pre>
 * version 1, a commit without an expire timestamp of its own:
 *  0        1                5                          13               17
 *  +--------+----------------+--------------------------+----------------+---------------------+
 *  | ver=1  | leader epoch   | commit timestamp (ms)    | metadata len   | metadata (UTF-8)    |
 *  | int8   | int32          | int64                    | int32, -1=null | len bytes           |
 *  +--------+----------------+--------------------------+----------------+---------------------+
 *
 * version 2, a commit with one (OffsetCommit v2-v4 with a retention time):
 *  0        1                5                          13                         21               25
 *  +--------+----------------+--------------------------+--------------------------+----------------+----------+
 *  | ver=2  | leader epoch   | commit timestamp (ms)    | expire timestamp (ms)    | metadata len   | metadata |
 *  | int8   | int32          | int64                    | int64                    | int32, -1=null | len bytes|
 *  +--------+----------------+--------------------------+--------------------------+----------------+----------+
 * </pre>
 *
 * Big-endian. Version 1 is written whenever it can carry the offset, so that the common checkpoint stays as before
 * version 2 existed. The whole attachment must fit {@link Walrus#MAX_ATTACHMENT_BYTES}, so metadata may take at most
 * {@link #MAX_METADATA_BYTES} bytes of UTF-8 (what the longer header leaves, whichever version is written).
 */
public final class OffsetAttachment {

    static final byte VERSION = 1;
    /** The version with an expire timestamp after the commit timestamp. */
    static final byte VERSION_WITH_EXPIRE_TIMESTAMP = 2;
    /** Offset of the version byte. */
    static final int VERSION_OFFSET = 0;
    /** Offset of the leader epoch. */
    static final int LEADER_EPOCH_OFFSET = 1;
    /** Offset of the commit timestamp. */
    static final int TIMESTAMP_OFFSET = 5;
    /** Offset of the metadata length (version 1). */
    static final int METADATA_LENGTH_OFFSET = 13;
    /** Length of the fixed part (version 1). */
    static final int HEADER_LENGTH = 17;
    /** Offset of the expire timestamp (version 2). */
    static final int EXPIRE_TIMESTAMP_OFFSET = 13;
    /** Offset of the metadata length (version 2). */
    static final int V2_METADATA_LENGTH_OFFSET = 21;
    /** Length of the fixed part (version 2). */
    static final int V2_HEADER_LENGTH = 25;
    /** The longest metadata, in UTF-8 bytes, that fits the engine's attachment limit in either version. */
    public static final int MAX_METADATA_BYTES = Walrus.MAX_ATTACHMENT_BYTES - V2_HEADER_LENGTH;

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
        boolean withExpiry = c.hasExpireTimestamp();
        int header = withExpiry ? V2_HEADER_LENGTH : HEADER_LENGTH;
        int lengthOffset = withExpiry ? V2_METADATA_LENGTH_OFFSET : METADATA_LENGTH_OFFSET;
        ByteBuffer b = ByteBuffer.allocate(header + (metadata == null ? 0 : metadata.length));
        b.put(VERSION_OFFSET, withExpiry ? VERSION_WITH_EXPIRE_TIMESTAMP : VERSION);
        b.putInt(LEADER_EPOCH_OFFSET, c.leaderEpoch());
        b.putLong(TIMESTAMP_OFFSET, c.commitTimestampMs());
        if (withExpiry) {
            b.putLong(EXPIRE_TIMESTAMP_OFFSET, c.expireTimestampMs());
        }
        b.putInt(lengthOffset, metadata == null ? -1 : metadata.length);
        if (metadata != null) {
            b.put(header, metadata);
        }
        return b.array();
    }

    /** Decodes a checkpoint; an attachment this code did not write (or none) yields the offset with no extras. */
    public static CommittedOffset decode(long offset, byte[] attachment) {
        if (attachment == null || attachment.length < HEADER_LENGTH) {
            return new CommittedOffset(offset, -1, "", 0L);
        }
        byte version = attachment[VERSION_OFFSET];
        boolean withExpiry = version == VERSION_WITH_EXPIRE_TIMESTAMP && attachment.length >= V2_HEADER_LENGTH;
        if (version != VERSION && !withExpiry) {
            return new CommittedOffset(offset, -1, "", 0L);
        }
        int header = withExpiry ? V2_HEADER_LENGTH : HEADER_LENGTH;
        ByteBuffer b = ByteBuffer.wrap(attachment);
        int length = b.getInt(withExpiry ? V2_METADATA_LENGTH_OFFSET : METADATA_LENGTH_OFFSET);
        String metadata = null;
        if (length >= 0 && header + length <= attachment.length) {
            metadata = new String(attachment, header, length, StandardCharsets.UTF_8);
        }
        return new CommittedOffset(offset, b.getInt(LEADER_EPOCH_OFFSET), metadata, b.getLong(TIMESTAMP_OFFSET),
                withExpiry ? b.getLong(EXPIRE_TIMESTAMP_OFFSET) : CommittedOffset.NO_EXPIRE_TIMESTAMP);
    }
}

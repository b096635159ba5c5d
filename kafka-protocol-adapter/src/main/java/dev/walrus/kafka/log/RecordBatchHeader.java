package dev.walrus.kafka.log;

import java.nio.ByteBuffer;

/**
 * The Kafka record batch header (magic v2), read and patched in place with absolute accesses, so the produce and
 * fetch paths never decode records.
 *
 * <pre>
 *  0        8        12       16   17       21       23       27       35       43       51   53       57       61
 *  +--------+--------+--------+----+--------+--------+--------+--------+--------+--------+----+--------+--------+----
 *  |baseOff |length  |leader  |mag |crc32c  |attrib  |lastOff |baseTs  |maxTs   |prodId  |pep |baseSeq |count   |records..
 *  |int64   |int32   |epoch   |int8|uint32  |int16   |delta   |int64   |int64   |int64   |i16 |int32   |int32   |
 *  +--------+--------+--------+----+--------+--------+--------+--------+--------+--------+----+--------+--------+----
 *                                        \_________________ covered by the CRC32C (attributes to the end) ____________/
 * </pre>
 *
 * <p>{@code length} counts the bytes after the length field. The broker writes {@code baseOffset} and
 * {@code partitionLeaderEpoch}, which lie before the CRC'd range; anything else it changes (LogAppendTime) requires a
 * new CRC.
 */
public final class RecordBatchHeader {

    /** Offset assigned by the broker to the first record. */
    public static final int BASE_OFFSET_OFFSET = 0;
    /** Bytes after this field: the batch size is this plus {@link #LOG_OVERHEAD}. */
    public static final int LENGTH_OFFSET = 8;
    /** Set by the leader; not covered by the CRC. */
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    /** Must be 2 for this format. */
    public static final int MAGIC_OFFSET = 16;
    /** CRC32C of everything from the attributes to the end of the batch. */
    public static final int CRC_OFFSET = 17;
    /** Compression (bits 0-2), timestamp type (bit 3), transactional (bit 4), control (bit 5). */
    public static final int ATTRIBUTES_OFFSET = 21;
    /** Offset of the last record relative to the base offset. */
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    /** Timestamp of the first record. */
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    /** Largest record timestamp, or the log append time under LogAppendTime. */
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    /** Idempotent/transactional producer id, -1 if none. */
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    /** Sequence of the first record, -1 if none. */
    public static final int BASE_SEQUENCE_OFFSET = 53;
    /** Number of records in the batch. */
    public static final int RECORDS_COUNT_OFFSET = 57;
    /** Size of the header: the first record starts here. */
    public static final int HEADER_SIZE = 61;
    /** The base offset and length fields, which precede what {@code length} counts. */
    public static final int LOG_OVERHEAD = 12;

    public static final byte MAGIC_V2 = 2;
    static final int TIMESTAMP_TYPE_MASK = 0x08;
    static final int TRANSACTIONAL_MASK = 0x10;
    static final int CONTROL_MASK = 0x20;
    static final int COMPRESSION_MASK = 0x07;

    private RecordBatchHeader() {}

    // All accessors take the batch's buffer with the batch starting at buffer.position().

    public static long baseOffset(ByteBuffer b) { return b.getLong(b.position() + BASE_OFFSET_OFFSET); }

    public static int length(ByteBuffer b) { return b.getInt(b.position() + LENGTH_OFFSET); }

    public static int totalSize(ByteBuffer b) { return length(b) + LOG_OVERHEAD; }

    public static byte magic(ByteBuffer b) { return b.get(b.position() + MAGIC_OFFSET); }

    public static short attributes(ByteBuffer b) { return b.getShort(b.position() + ATTRIBUTES_OFFSET); }

    public static int lastOffsetDelta(ByteBuffer b) { return b.getInt(b.position() + LAST_OFFSET_DELTA_OFFSET); }

    public static long lastOffset(ByteBuffer b) { return baseOffset(b) + lastOffsetDelta(b); }

    public static long baseTimestamp(ByteBuffer b) { return b.getLong(b.position() + BASE_TIMESTAMP_OFFSET); }

    public static long maxTimestamp(ByteBuffer b) { return b.getLong(b.position() + MAX_TIMESTAMP_OFFSET); }

    public static long producerId(ByteBuffer b) { return b.getLong(b.position() + PRODUCER_ID_OFFSET); }

    public static short producerEpoch(ByteBuffer b) { return b.getShort(b.position() + PRODUCER_EPOCH_OFFSET); }

    public static int baseSequence(ByteBuffer b) { return b.getInt(b.position() + BASE_SEQUENCE_OFFSET); }

    public static int recordCount(ByteBuffer b) { return b.getInt(b.position() + RECORDS_COUNT_OFFSET); }

    public static boolean isTransactional(ByteBuffer b) { return (attributes(b) & TRANSACTIONAL_MASK) != 0; }

    public static boolean isControl(ByteBuffer b) { return (attributes(b) & CONTROL_MASK) != 0; }

    public static boolean isLogAppendTime(ByteBuffer b) { return (attributes(b) & TIMESTAMP_TYPE_MASK) != 0; }

    public static int compressionId(ByteBuffer b) { return attributes(b) & COMPRESSION_MASK; }

    /** The sequence of the last record, wrapping past Integer.MAX_VALUE as Kafka does. */
    public static int lastSequence(ByteBuffer b) {
        int base = baseSequence(b);
        if (base < 0) {
            return base;
        }
        long last = (long) base + lastOffsetDelta(b);
        return last > Integer.MAX_VALUE ? (int) (last - Integer.MAX_VALUE - 1) : (int) last;
    }

    public static void setBaseOffset(ByteBuffer b, long baseOffset) { b.putLong(b.position() + BASE_OFFSET_OFFSET, baseOffset); }

    public static void setPartitionLeaderEpoch(ByteBuffer b, int epoch) { b.putInt(b.position() + PARTITION_LEADER_EPOCH_OFFSET, epoch); }
}

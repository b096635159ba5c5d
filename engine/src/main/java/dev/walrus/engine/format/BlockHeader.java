package dev.walrus.engine.format;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The header at the start of every block: which topic chain the block belongs to and where in it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      magic "WBLK" (u32)                       |  0
 * +---------------------------------------------------------------+
 * |        CRC32C of bytes 8..headerLength (u32)                  |  4
 * +---------------------------------------------------------------+
 * |            block length incl. this header (u64)               |  8
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                         file id (u64)                         | 16
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                   topic incarnation (u64)                     | 24
 * |                                                               |
 * +---------------------------------------------------------------+
 * |              chain sequence within the topic (u64)            | 32
 * |                                                               |
 * +---------------------------------------------------------------+
 * |        start position: topic position of data byte 0 (u64)    | 40
 * |                                                               |
 * +-------------------------------+-------------------------------+
 * |     header length (u16)       |   topic name length (u16)     | 48
 * +-------------------------------+-------------------------------+
 * |                        reserved (u32)                         | 52
 * +---------------------------------------------------------------+
 * |          topic name, UTF-8, padded with zeros to 8            | 56
 * |                             ...                               |
 * +---------------------------------------------------------------+
 * |                entry frames from headerLength                 |
 * </pre>
 *
 * Blocks start on a page boundary and their length is a multiple of the page size, so recovery can look for the next
 * block header page by page when one is damaged. Durability rule: the header is written before the first entry of
 * the block, in the same file, so any fsync that covers an entry covers its block header.
 */
public final class BlockHeader {

    /** "WBLK" read as a little-endian u32. */
    public static final int MAGIC = 0x4B4C_4257;
    public static final int MAGIC_OFFSET = 0;
    /** CRC32C over [BLOCK_LENGTH_OFFSET, header length): a torn or damaged header is never trusted. */
    public static final int CRC_OFFSET = 4;
    /** Whole block including header; a multiple of {@link Layout#PAGE}. */
    public static final int BLOCK_LENGTH_OFFSET = 8;
    /** Must equal the containing file's id: a stale header copied from elsewhere is refused. */
    public static final int FILE_ID_OFFSET = 16;
    /** A deleted and re-created topic gets a higher incarnation; recovery ignores blocks of deleted ones. */
    public static final int INCARNATION_OFFSET = 24;
    /** Orders the topic's blocks; strictly increasing along the chain. */
    public static final int SEQUENCE_OFFSET = 32;
    /** An entry's position is the block's start position plus the entry's offset in the data area. */
    public static final int START_POSITION_OFFSET = 40;
    public static final int HEADER_LENGTH_OFFSET = 48;
    public static final int TOPIC_LENGTH_OFFSET = 50;
    public static final int RESERVED_OFFSET = 52;
    public static final int TOPIC_OFFSET = 56;
    /** Largest block: an entry of the largest accepted size plus headers, rounded to pages. */
    public static final long MAX_BLOCK_LENGTH = (1L << 31) - Layout.PAGE;
    /** Longest topic name, in UTF-8 bytes. */
    public static final int MAX_TOPIC_BYTES = 255;

    private BlockHeader() {}

    /** Header length for a topic name of {@code topicBytes} UTF-8 bytes: 8-aligned so entry frames are. */
    public static int headerLength(int topicBytes) {
        return (int) Layout.alignUp(TOPIC_OFFSET + topicBytes, EntryFrame.ALIGNMENT);
    }

    /** Writes a block header at {@code blockOffset} of {@code file}. */
    public static void write(MemorySegment file, long blockOffset, long blockLength, long fileId, long incarnation,
                             long sequence, long startPosition, byte[] topicUtf8) {
        int headerLength = headerLength(topicUtf8.length);
        MemorySegment h = file.asSlice(blockOffset, headerLength);
        h.set(Layout.LONG, BLOCK_LENGTH_OFFSET, blockLength);
        h.set(Layout.LONG, FILE_ID_OFFSET, fileId);
        h.set(Layout.LONG, INCARNATION_OFFSET, incarnation);
        h.set(Layout.LONG, SEQUENCE_OFFSET, sequence);
        h.set(Layout.LONG, START_POSITION_OFFSET, startPosition);
        h.set(Layout.SHORT, HEADER_LENGTH_OFFSET, (short) headerLength);
        h.set(Layout.SHORT, TOPIC_LENGTH_OFFSET, (short) topicUtf8.length);
        h.set(Layout.INT, RESERVED_OFFSET, 0);
        MemorySegment.copy(topicUtf8, 0, h, java.lang.foreign.ValueLayout.JAVA_BYTE, TOPIC_OFFSET, topicUtf8.length);
        h.asSlice(TOPIC_OFFSET + topicUtf8.length, headerLength - TOPIC_OFFSET - topicUtf8.length).fill((byte) 0);
        h.set(Layout.INT, CRC_OFFSET, Crc.of(h, BLOCK_LENGTH_OFFSET, headerLength - BLOCK_LENGTH_OFFSET));
        // the magic last: a header torn by a crash reads as "no block here", not as damage
        h.set(Layout.INT, MAGIC_OFFSET, MAGIC);
    }

    /**
     * Whether a valid block header of file {@code fileId} starts at {@code blockOffset}: magic, lengths in range,
     * CRC. Never throws on garbage. The block may extend past the end of a truncated file; readers clamp it.
     */
    public static boolean isValid(MemorySegment file, long blockOffset, long fileId) {
        if (blockOffset + TOPIC_OFFSET > file.byteSize()) {
            return false;
        }
        if (file.get(Layout.INT, blockOffset + MAGIC_OFFSET) != MAGIC) {
            return false;
        }
        int headerLength = Short.toUnsignedInt(file.get(Layout.SHORT, blockOffset + HEADER_LENGTH_OFFSET));
        int topicLength = Short.toUnsignedInt(file.get(Layout.SHORT, blockOffset + TOPIC_LENGTH_OFFSET));
        long blockLength = file.get(Layout.LONG, blockOffset + BLOCK_LENGTH_OFFSET);
        if (blockOffset + headerLength > file.byteSize() || topicLength < 1 || topicLength > MAX_TOPIC_BYTES || headerLength != headerLength(topicLength)
                || blockLength < Layout.PAGE || blockLength % Layout.PAGE != 0 || blockLength > MAX_BLOCK_LENGTH) {
            return false;
        }
        int crc = Crc.of(file, blockOffset + BLOCK_LENGTH_OFFSET, headerLength - BLOCK_LENGTH_OFFSET);
        return crc == file.get(Layout.INT, blockOffset + CRC_OFFSET)
                && file.get(Layout.LONG, blockOffset + FILE_ID_OFFSET) == fileId;
    }

    public static long blockLength(MemorySegment file, long blockOffset) {
        return file.get(Layout.LONG, blockOffset + BLOCK_LENGTH_OFFSET);
    }

    public static long incarnation(MemorySegment file, long blockOffset) {
        return file.get(Layout.LONG, blockOffset + INCARNATION_OFFSET);
    }

    public static long sequence(MemorySegment file, long blockOffset) {
        return file.get(Layout.LONG, blockOffset + SEQUENCE_OFFSET);
    }

    public static long startPosition(MemorySegment file, long blockOffset) {
        return file.get(Layout.LONG, blockOffset + START_POSITION_OFFSET);
    }

    public static int headerLength(MemorySegment file, long blockOffset) {
        return Short.toUnsignedInt(file.get(Layout.SHORT, blockOffset + HEADER_LENGTH_OFFSET));
    }

    public static String topic(MemorySegment file, long blockOffset) {
        int length = Short.toUnsignedInt(file.get(Layout.SHORT, blockOffset + TOPIC_LENGTH_OFFSET));
        byte[] name = file.asSlice(blockOffset + TOPIC_OFFSET, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return new String(name, StandardCharsets.UTF_8);
    }
}

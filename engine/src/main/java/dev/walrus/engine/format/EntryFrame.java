package dev.walrus.engine.format;

import java.lang.foreign.MemorySegment;

/**
 * One entry inside a block's data area.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     payload length (u32)                      |  0
 * +-------------------------------+-------------------------------+
 * |        magic 0xE7A1 (u16)     |          flags (u16)          |  4
 * +-------------------------------+-------------------------------+
 * |   CRC32C of bytes 0..7 followed by the payload (u32)          |  8
 * +---------------------------------------------------------------+
 * |                     payload ...                               | 12
 * +---------------------------------------------------------------+
 * |           zero padding to the next multiple of 8              |
 * </pre>
 *
 * Flags of a batch of several entries: {@link #FLAG_BATCH_CONTINUES} on every entry but the last (another entry of the
 * batch follows), {@link #FLAG_BATCH_CONTINUED} on every entry but the first (it follows an entry of its batch). A
 * single entry has neither. So recovery drops a batch whose last frame is missing, and recognises the surviving
 * members of a batch damaged in the middle. Durability rule: a frame becomes
 * visible to readers only when the block's committed offset is published after the frame's bytes and CRC are
 * written, and it is durable once an fsync that started after that publication has completed.
 */
public final class EntryFrame {

    public static final int LENGTH_OFFSET = 0;
    public static final int MAGIC_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int CRC_OFFSET = 8;
    /** Bytes before the payload. */
    public static final int HEADER_LENGTH = 12;
    /** Frames start on 8-byte boundaries: recovery resynchronises on them after damage. */
    public static final int ALIGNMENT = 8;
    /** Marks a frame start; an all-zero (never written) area is never mistaken for a frame. */
    public static final short MAGIC = (short) 0xE7A1;
    public static final short FLAG_BATCH_CONTINUES = 1;
    public static final short FLAG_BATCH_CONTINUED = 2;
    /** Bytes covered by the CRC before the payload (length, magic, flags). */
    public static final int CRC_COVERED_HEADER = 8;

    private EntryFrame() {}

    /** The frame length of a payload of {@code payloadLength} bytes, padding included. */
    public static long frameLength(long payloadLength) {
        return Layout.alignUp(HEADER_LENGTH + payloadLength, ALIGNMENT);
    }

    public static int payloadLength(MemorySegment file, long frameOffset) {
        return file.get(Layout.INT, frameOffset + LENGTH_OFFSET);
    }

    public static short flags(MemorySegment file, long frameOffset) {
        return file.get(Layout.SHORT, frameOffset + FLAGS_OFFSET);
    }

    /**
     * Whether a complete, intact frame starts at {@code frameOffset} and ends at or before {@code limit} (absolute
     * offsets in {@code file}). Never throws on garbage.
     */
    public static boolean isValid(MemorySegment file, long frameOffset, long limit) {
        if (frameOffset + HEADER_LENGTH > limit) {
            return false;
        }
        if (file.get(Layout.SHORT, frameOffset + MAGIC_OFFSET) != MAGIC) {
            return false;
        }
        long length = Integer.toUnsignedLong(file.get(Layout.INT, frameOffset + LENGTH_OFFSET));
        if (frameOffset + HEADER_LENGTH + length > limit) {
            return false;
        }
        int crc = Crc.of(file, frameOffset, CRC_COVERED_HEADER, frameOffset + HEADER_LENGTH, length);
        return crc == file.get(Layout.INT, frameOffset + CRC_OFFSET);
    }

    /** Checks an entry size against the limit, with a message naming both. */
    public static void checkPayloadLength(long length, int maxEntrySize) {
        if (length > maxEntrySize) {
            throw new IllegalArgumentException("entry of " + length + " bytes exceeds maxEntrySize " + maxEntrySize);
        }
    }
}

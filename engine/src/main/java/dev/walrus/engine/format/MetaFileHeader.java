package dev.walrus.engine.format;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The header of a metadata log file ({@code meta-<generation>.wal}).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    magic "WALRUSMT" (u64)                     |  0
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                     format version (u32)                      |  8
 * +---------------------------------------------------------------+
 * |                       generation (u64)                        | 12
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                  CRC32C of bytes 0..19 (u32)                  | 20
 * +---------------------------------------------------------------+
 * |                   meta records from byte 24                   | 24
 * </pre>
 *
 * Durability rule: a new generation is written complete under a temporary name, fsynced, renamed, and the directory
 * fsynced, before the previous generation is deleted; so exactly one valid newest generation exists at any moment.
 */
public final class MetaFileHeader {

    /** "WALRUSMT" read as a little-endian u64. */
    public static final long MAGIC = 0x544D_5355_524C_4157L;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    /** Compaction writes generation + 1. */
    public static final int GENERATION_OFFSET = 12;
    public static final int CRC_OFFSET = 20;
    public static final int LENGTH = 24;

    private MetaFileHeader() {}

    public static ByteBuffer encode(long generation) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH).order(Layout.ORDER);
        b.putLong(MAGIC_OFFSET, MAGIC);
        b.putInt(VERSION_OFFSET, FormatVersion.CURRENT);
        b.putLong(GENERATION_OFFSET, generation);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, CRC_OFFSET);
        b.putInt(CRC_OFFSET, (int) crc.getValue());
        return b;
    }

    /** Validates a header read from {@code name}; wrong magic/CRC or a newer version is an exception naming it. */
    public static long check(ByteBuffer header, String name) {
        header.order(Layout.ORDER);
        if (header.limit() < LENGTH) {
            throw new IllegalStateException(name + ": truncated metadata header (" + header.limit() + " bytes)");
        }
        if (header.getLong(MAGIC_OFFSET) != MAGIC) {
            throw new IllegalStateException(name + ": not a Walrus metadata file");
        }
        CRC32C crc = new CRC32C();
        crc.update(header.array(), header.arrayOffset(), CRC_OFFSET);
        if ((int) crc.getValue() != header.getInt(CRC_OFFSET)) {
            throw new IllegalStateException(name + ": metadata header CRC mismatch");
        }
        FormatVersion.checkReadable(header.getInt(VERSION_OFFSET), name);
        return header.getLong(GENERATION_OFFSET);
    }
}

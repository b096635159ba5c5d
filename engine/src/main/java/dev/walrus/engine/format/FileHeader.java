package dev.walrus.engine.format;

import java.lang.foreign.MemorySegment;

/**
 * The header of a segment file, in its first page.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    magic "WALRUSSG" (u64)                     |  0
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                     format version (u32)                      |  8
 * +---------------------------------------------------------------+
 * |                        reserved (u32)                         | 12
 * +---------------------------------------------------------------+
 * |                         file id (u64)                         | 16
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                   file length in bytes (u64)                  | 24
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                 created, epoch millis (u64)                   | 32
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                 CRC32C of bytes 8..39 (u32)                   | 40
 * +---------------------------------------------------------------+
 * |              zero up to the end of the first page             | 44
 * </pre>
 *
 * Blocks start at {@link #BLOCKS_OFFSET}. Durability rule: the header is written and fsynced, with the directory,
 * before the file's first block is handed to a writer, so a file on disk always has a readable header.
 */
public final class FileHeader {

    /** "WALRUSSG" read as a little-endian u64. */
    public static final long MAGIC = 0x4753_5355_524C_4157L;
    public static final int MAGIC_OFFSET = 0;
    /** Format version: files newer than {@link FormatVersion#CURRENT} are refused. */
    public static final int VERSION_OFFSET = 8;
    public static final int RESERVED_OFFSET = 12;
    /** The number in the file name, repeated so a renamed file is noticed. */
    public static final int FILE_ID_OFFSET = 16;
    /** Physical file length, including this header page. */
    public static final int FILE_LENGTH_OFFSET = 24;
    public static final int CREATED_MILLIS_OFFSET = 32;
    /** CRC32C over bytes [VERSION_OFFSET, CRC_OFFSET): the magic is written last, so a torn header has none. */
    public static final int CRC_OFFSET = 40;
    public static final int LENGTH = 44;
    /** The header owns the whole first page so blocks stay page-aligned. */
    public static final int BLOCKS_OFFSET = Layout.PAGE;

    private FileHeader() {}

    public static void write(MemorySegment file, long fileId, long fileLength, long createdMillis) {
        file.set(Layout.INT, VERSION_OFFSET, FormatVersion.CURRENT);
        file.set(Layout.INT, RESERVED_OFFSET, 0);
        file.set(Layout.LONG, FILE_ID_OFFSET, fileId);
        file.set(Layout.LONG, FILE_LENGTH_OFFSET, fileLength);
        file.set(Layout.LONG, CREATED_MILLIS_OFFSET, createdMillis);
        file.set(Layout.INT, CRC_OFFSET, Crc.of(file, VERSION_OFFSET, CRC_OFFSET - VERSION_OFFSET));
        file.set(Layout.LONG, MAGIC_OFFSET, MAGIC);
    }

    /**
     * Validates the header of {@code file} (named {@code name} in messages): a wrong magic, CRC or file id is an
     * {@link IllegalStateException} naming the rule; a newer version too (see {@link FormatVersion}).
     */
    public static void check(MemorySegment file, long expectedFileId, String name) {
        if (file.byteSize() < BLOCKS_OFFSET) {
            throw new IllegalStateException(name + ": truncated file header, file is " + file.byteSize()
                    + " bytes, header needs " + BLOCKS_OFFSET);
        }
        long magic = file.get(Layout.LONG, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IllegalStateException(name + ": not a Walrus segment, magic 0x" + Long.toHexString(magic));
        }
        int crc = Crc.of(file, VERSION_OFFSET, CRC_OFFSET - VERSION_OFFSET);
        if (crc != file.get(Layout.INT, CRC_OFFSET)) {
            throw new IllegalStateException(name + ": file header CRC mismatch");
        }
        FormatVersion.checkReadable(file.get(Layout.INT, VERSION_OFFSET), name);
        long id = file.get(Layout.LONG, FILE_ID_OFFSET);
        if (id != expectedFileId) {
            throw new IllegalStateException(name + ": header names file id " + id + ", file name says " + expectedFileId);
        }
    }

    public static int version(MemorySegment file) {
        return file.get(Layout.INT, VERSION_OFFSET);
    }

    public static long fileId(MemorySegment file) {
        return file.get(Layout.LONG, FILE_ID_OFFSET);
    }

    public static long fileLength(MemorySegment file) {
        return file.get(Layout.LONG, FILE_LENGTH_OFFSET);
    }

    public static long createdMillis(MemorySegment file) {
        return file.get(Layout.LONG, CREATED_MILLIS_OFFSET);
    }
}

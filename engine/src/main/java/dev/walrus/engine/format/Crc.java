package dev.walrus.engine.format;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/** CRC32C over mapped memory, for recovery and tools (the append path keeps its own {@link CRC32C}). */
public final class Crc {

    private Crc() {}

    /** CRC32C of {@code length} bytes of {@code segment} from {@code offset}. */
    public static int of(MemorySegment segment, long offset, long length) {
        CRC32C crc = new CRC32C();
        crc.update(segment.asSlice(offset, length).asByteBuffer());
        return (int) crc.getValue();
    }

    /** CRC32C of two ranges, the second continuing the first (an entry's header then its payload). */
    public static int of(MemorySegment segment, long offset1, long length1, long offset2, long length2) {
        CRC32C crc = new CRC32C();
        crc.update(segment.asSlice(offset1, length1).asByteBuffer());
        crc.update(segment.asSlice(offset2, length2).asByteBuffer());
        return (int) crc.getValue();
    }
}

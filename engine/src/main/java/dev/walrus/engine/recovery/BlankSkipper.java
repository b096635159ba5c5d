package dev.walrus.engine.recovery;

import java.lang.foreign.MemorySegment;

/**
 * Finds the next non-zero byte of a mapped file, for recovery to jump over blank (zero) stretches in one bulk
 * comparison instead of trying a frame or a block header at every aligned offset.
 *
 * <p>Why it is safe: every frame starts with a non-zero magic in its first 8 bytes, and every block header with a
 * non-zero magic in its first 4, so no frame or block starts inside a run of zeros. Why it matters: the unused tail of
 * each block is blank, and so is the window ahead of the allocation point that the file preparer zero-wrote (up to
 * 16 MiB per file, data to {@code lseek(SEEK_DATA)}). Checking those one frame start or one page at a time cost
 * 100 ms of a restart on a directory of six files; one {@link MemorySegment#mismatch} over them takes a few.
 */
final class BlankSkipper {

    /** Compared against in chunks of this many bytes. */
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new long[8192]);

    private BlankSkipper() {}

    /**
     * The offset of the first non-zero byte in {@code [from, to)} of {@code m}, or {@code to} if all are zero. May
     * throw {@link InternalError} where a page cannot be read (a hole on a full tmpfs), as any read of the mapping.
     */
    static long nextNonZero(MemorySegment m, long from, long to) {
        long off = from;
        while (off < to) {
            long chunk = Math.min(ZEROS.byteSize(), to - off);
            long differs = MemorySegment.mismatch(m, off, off + chunk, ZEROS, 0, chunk);
            if (differs >= 0) {
                return off + differs;
            }
            off += chunk;
        }
        return to;
    }
}

package dev.walrus.engine.recovery;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Finds the next non-zero byte of a mapped file, for recovery to jump over blank (zero) stretches in one pass of 8-byte
 * reads instead of trying a frame or a block header at every aligned offset.
 *
 * <p>Why it is safe: every frame starts with a non-zero magic in its first 8 bytes, and every block header with a
 * non-zero magic in its first 4, so no frame or block starts inside a run of zeros. Why it matters: the unused tail of
 * each block is blank, and so is a window the file preparer zero-wrote ahead of the allocation point if the engine
 * was killed before it could punch it back into a hole (data to {@code lseek(SEEK_DATA)}). Checking those one frame
 * start or one page at a time cost 100 ms of a restart on a directory of six files.
 *
 * <p>Why plain reads and not {@link MemorySegment#mismatch}: a page that cannot be read (a hole on a full tmpfs, an I/O
 * error) raises SIGBUS. For an ordinary segment access the JVM turns that into an {@link InternalError} that recovery
 * handles; inside the vectorised stub behind {@code mismatch} it crashes the JVM.
 */
final class BlankSkipper {

    private BlankSkipper() {}

    /**
     * The offset of the first non-zero byte in {@code [from, to)} of {@code m}, or {@code to} if all are zero. May
     * throw {@link InternalError} where a page cannot be read, as any read of the mapping.
     */
    static long nextNonZero(MemorySegment m, long from, long to) {
        long off = from;
        for (; off < to && (off & 7) != 0; off++) { // to an 8-byte boundary: aligned reads below
            if (m.get(ValueLayout.JAVA_BYTE, off) != 0) {
                return off;
            }
        }
        for (; off + 32 <= to; off += 32) { // four longs per test: the loop is bound by memory, not by branches
            if ((m.get(WORD, off) | m.get(WORD, off + 8) | m.get(WORD, off + 16) | m.get(WORD, off + 24)) != 0) {
                break;
            }
        }
        for (; off < to; off++) {
            if (m.get(ValueLayout.JAVA_BYTE, off) != 0) {
                return off;
            }
        }
        return to;
    }

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
}

package dev.walrus.engine.recovery;

import dev.walrus.engine.alloc.DataSeeker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Finds the next non-zero byte of a mapped file, for recovery to jump over blank (zero) stretches in bulk instead of
 * trying a frame or a block header at every aligned offset.
 *
 * <p>Why it is safe: every frame starts with a non-zero magic in its first 8 bytes, and every block header with a
 * non-zero magic in its first 4, so no frame or block starts inside a run of zeros. Why it matters: the unused tail of
 * each block is blank, and so is a window the file preparer zero-wrote ahead of the allocation point if the engine
 * was killed before it could punch it back into a hole (data to {@code lseek(SEEK_DATA)}). Checking those one frame
 * start or one page at a time cost 100 ms of a restart on a directory of six files.
 *
 * <p>How: {@link MemorySegment#mismatch} against zeros, 64 KiB at a time, after one ordinary read of each page of the
 * chunk. A page that cannot be read (a hole on a full tmpfs, an I/O error) raises SIGBUS: for an ordinary segment read
 * the JVM turns that into the {@link InternalError} recovery handles, whereas inside the vectorised stub behind
 * {@code mismatch} it aborts the JVM. A page read once stays readable (reading a hole allocates its page), so the
 * stub only ever meets pages the ordinary read has vouched for. Plain 8-byte reads over the whole stretch would also
 * be safe, but in a JVM that has just started they run through the interpreter: 100 ms more on a restart.
 */
final class BlankSkipper {

    /** Compared against in chunks of this many bytes. */
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new long[8192]);
    private static final long PAGE = 4096;

    private BlankSkipper() {}

    /**
     * The offset of the first non-zero byte in {@code [from, to)} of {@code m}, or {@code to} if all are zero. Holes
     * ({@code seeker}, over the same file) are passed over without being read. May throw {@link InternalError} where
     * a page cannot be read, as any read of the mapping.
     */
    static long nextNonZero(MemorySegment m, DataSeeker seeker, long from, long to) {
        long off = from;
        while (off < to) {
            long data = seeker.nextData(off);
            if (data < 0) {
                return to;
            }
            long dataPage = data - data % PAGE;
            if (dataPage > off) { // a hole up to there: zeros, without paging them in
                off = Math.min(to, dataPage);
                continue;
            }
            long chunk = Math.min(ZEROS.byteSize(), to - off);
            touchEveryPage(m, off, off + chunk);
            long differs = MemorySegment.mismatch(m, off, off + chunk, ZEROS, 0, chunk);
            if (differs >= 0) {
                return off + differs;
            }
            off += chunk;
        }
        return to;
    }

    /** One ordinary read in each page of {@code [from, to)}: throws {@link InternalError} for a page it cannot read. */
    private static void touchEveryPage(MemorySegment m, long from, long to) {
        for (long page = from; page < to; page = (page / PAGE + 1) * PAGE) {
            m.get(ValueLayout.JAVA_BYTE, page);
        }
    }
}

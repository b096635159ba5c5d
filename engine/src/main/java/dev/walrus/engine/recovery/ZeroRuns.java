package dev.walrus.engine.recovery;

import java.lang.foreign.MemorySegment;

/**
 * Skips never-written space fast. At recovery most of a file is zeros (the pages after its last block, the unused
 * tail of each topic's last block), and probing it one page or one 8-byte slot at a time through the mapping, in
 * still-interpreted code, was most of the start-up time of an engine with data. Nothing valid starts in an all-zero
 * unit: block headers and entry frames both begin with a nonzero magic inside their first 8 bytes.
 */
final class ZeroRuns {

    private static final int CHUNK = 64 * 1024;
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[CHUNK]);

    private ZeroRuns() {}

    /**
     * The first position {@code from + k * unit} (k >= 0) whose {@code unit} bytes are not all zero, or, when every
     * whole unit up to {@code limit} is zero, the first position with less than a unit left before {@code limit}.
     * {@code unit} must divide 64 KiB.
     */
    static long skip(MemorySegment m, long from, long limit, int unit) {
        long at = from;
        while (limit - at >= unit) {
            long length = Math.min(CHUNK, (limit - at) / unit * unit);
            long mismatch;
            try {
                mismatch = MemorySegment.mismatch(m, at, at + length, ZEROS, 0, length);
            } catch (InternalError unreadable) {
                // a hole in this chunk cannot be paged in (a full tmpfs raises SIGBUS even on a read): the caller
                // goes on unit by unit from here, with its own handling of an unreadable page
                return at;
            }
            if (mismatch >= 0) {
                return at + mismatch / unit * unit;
            }
            at += length;
        }
        return at;
    }
}

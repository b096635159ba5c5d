package dev.walrus.engine.log;

import dev.walrus.engine.alloc.SegmentFile;
import dev.walrus.engine.format.EntryFrame;
import dev.walrus.engine.format.Layout;
import java.lang.foreign.MemorySegment;

/**
 * One block of a topic chain: where it lies, which positions it covers, and how much of it is committed.
 *
 * <p>Single writer: only the topic's writer (holding the topic's write lock) appends frames and advances
 * {@link #committed}, with a volatile store after the frame bytes, CRC and read index are in place; readers read
 * {@code committed} first and never look past it. Recovered blocks are sealed and never written.
 */
public final class Block {

    final SegmentFile file;
    /** Absolute offset of the block header in the file. */
    final long blockOffset;
    final long blockLength;
    /** Absolute offset of the data area (first frame) in the file. */
    final long dataOffset;
    /** Bytes available for frames. */
    final long capacity;
    /** Topic position of data byte 0. */
    final long startPosition;
    final long sequence;
    /**
     * Sparse read index: {@code index[k] - 1} is the offset of the first frame starting at or after {@code k * PAGE}
     * (0 = none yet). Bounds a positional lookup to a walk within one page. Written by the writer before it publishes
     * {@link #committed}.
     */
    final int[] index;
    /** Writer-owned: the next index slot to fill. */
    int indexedPages;
    /** Recovered blocks only: [start, end) pairs of damaged ranges that a walk jumps over; null when none. */
    long[] skips;

    /** Bytes of the data area holding complete, published frames. */
    volatile long committed;
    /**
     * Set once when the block is counted as checkpointed in its file (under the topic's write lock). Volatile: a
     * reader checks it after pinning the file, since the file may then punch the block into a hole (see
     * {@link SegmentFile#blockCheckpointed(long, long)}).
     */
    volatile boolean checkpointed;

    /** Recovery: sets the committed length found by scanning. */
    public void recoveredCommitted(long length) {
        committed = length;
    }

    /** Counts the block as checkpointed in its file, once. Caller holds the topic's write lock (or is recovery). */
    public void checkpoint() {
        if (!checkpointed) {
            checkpointed = true;
            file.blockCheckpointed(blockOffset, blockLength);
        }
    }

    public Block(SegmentFile file, long blockOffset, long blockLength, int headerLength, long startPosition, long sequence) {
        this.file = file;
        this.blockOffset = blockOffset;
        this.blockLength = blockLength;
        this.dataOffset = blockOffset + headerLength;
        this.capacity = blockLength - headerLength;
        this.startPosition = startPosition;
        this.sequence = sequence;
        this.index = new int[(int) (capacity / Layout.PAGE) + 1];
    }

    public SegmentFile file() { return file; }

    public long startPosition() { return startPosition; }

    public long sequence() { return sequence; }

    public long committed() { return committed; }

    public long endPosition() { return startPosition + committed; }

    public long blockOffset() { return blockOffset; }

    public long dataOffset() { return dataOffset; }

    public long capacity() { return capacity; }

    /** Writer: records that a frame starts at {@code offset} (in the data area), before publishing it. */
    public void indexFrame(long offset) {
        while ((long) indexedPages * Layout.PAGE <= offset) {
            index[indexedPages++] = (int) offset + 1;
        }
    }

    /** Recovery: marks [start, end) as damaged so walks jump over it. */
    public void addSkip(long start, long end) {
        long[] s = skips == null ? new long[2] : java.util.Arrays.copyOf(skips, skips.length + 2);
        s[s.length - 2] = start;
        s[s.length - 1] = end;
        skips = s;
    }

    /**
     * The data offset of the first frame starting at or after {@code offset}, or -1 if none below {@code limit}
     * (a committed offset the caller read). Lock-free; the caller holds a pin on the file.
     */
    public long firstFrameAtOrAfter(long offset, long limit) {
        if (offset >= limit) {
            return -1;
        }
        if (offset <= 0) {
            return skipDamage(0, limit);
        }
        int page = (int) (offset / Layout.PAGE);
        int slot = page < index.length ? index[page] : 0;
        if (slot == 0) {
            return -1;
        }
        long frame = slot - 1;
        if (frame >= limit) {
            return -1;
        }
        if (frame >= offset) {
            return frame;
        }
        // frames start between the page start and offset: walk forward from the page's first one
        return walkTo(frame, offset, limit);
    }

    private long walkTo(long frame, long offset, long limit) {
        MemorySegment m = file.mapping();
        long f = skipDamage(frame, limit);
        while (f >= 0 && f < offset) {
            f = next(m, f, limit);
        }
        return f;
    }

    /** The frame after the one at {@code frame}, or -1 at {@code limit}. */
    public long next(MemorySegment m, long frame, long limit) {
        long length = Integer.toUnsignedLong(m.get(Layout.INT, dataOffset + frame + EntryFrame.LENGTH_OFFSET));
        long n = frame + EntryFrame.frameLength(length);
        return skipDamage(n, limit);
    }

    private long skipDamage(long frame, long limit) {
        long[] s = skips;
        if (s != null) {
            for (int i = 0; i < s.length; i += 2) {
                if (frame >= s[i] && frame < s[i + 1]) {
                    frame = s[i + 1];
                }
            }
        }
        return frame < limit ? frame : -1;
    }

    @Override
    public String toString() {
        return "Block[" + file.path().getFileName() + "@" + blockOffset + " seq=" + sequence + " start=" + startPosition
                + " committed=" + committed + "]";
    }
}

package dev.walrus.engine.log;

import dev.walrus.engine.Entry;
import dev.walrus.engine.ReadResult;
import dev.walrus.engine.TopicSettings;
import dev.walrus.engine.alloc.BlockAllocator;
import dev.walrus.engine.alloc.PositionalWriter;
import dev.walrus.engine.alloc.SegmentFile;
import dev.walrus.engine.format.BlockHeader;
import dev.walrus.engine.format.EntryFrame;
import dev.walrus.engine.format.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * One topic: its chain of blocks, its single writer and its lock-free readers.
 *
 * <p>Writer side (every field marked writer-owned): only a thread holding {@link #writeLock} appends, rolls blocks,
 * truncates or deletes. It writes frames by copying into the mapped block and publishes them by a volatile store of
 * the block's committed offset; the chain array is copy-on-write and published with a volatile store.
 *
 * <p>Reader side: reads the chain, then the block's committed offset, then frames below it; no locks. A reader pins the
 * block's file while it touches it, so a concurrently deleted file stays mapped until the reader is done.
 */
public final class TopicLog {

    private static final Block[] EMPTY = new Block[0];

    private final String name;
    private final byte[] nameUtf8;
    private final int headerLength;
    private final long incarnation;
    private final BlockAllocator allocator;
    private final int blockSize;

    /** Held by appends, truncation and deletion of this topic only. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile Block[] chain = EMPTY;
    private volatile long startPosition;
    private volatile boolean deleted;
    private volatile TopicSettings settings;
    private volatile boolean materialized;

    /** Zero-fill granularity ahead of the writer (see {@link SegmentFile#zeroFill}). */
    private static final long ZERO_AHEAD = 256 * 1024;

    /**
     * Payloads at least this large, in direct buffers (a Kafka batch still in the request's network buffer), are
     * written with one {@code pwrite} instead of stored through the mapping (see {@link PositionalWriter}): from
     * about a page on, skipping the zeroing of fresh pages saves more than the system call costs.
     */
    static final int WRITE_THROUGH_MIN = 4096;

    // writer-owned
    private Block current;
    /** Absolute file offset up to which the current block has been zero-filled. */
    private long zeroedUpTo;
    private ByteBuffer currentData;
    private long nextSequence;
    private final CRC32C crc = new CRC32C();
    private final byte[] headerScratch = new byte[EntryFrame.CRC_COVERED_HEADER];
    /** See {@link #blockHeaderBuffer()}; null until a positional writer first needs a block. */
    private ByteBuffer blockHeaderBuffer;
    private static final VarHandle HEADER_WORD = MethodHandles.byteArrayViewVarHandle(long[].class, Layout.ORDER);
    /** This topic's native memory for positional writes and zero-fills; made on the first one. */
    private PositionalWriter.WriteScratch writeScratch;

    private final AppendWaiters waiters;
    /** Readers of this topic by name; the default reader is the empty name. */
    private final java.util.concurrent.ConcurrentHashMap<String, Cursor> cursors =
            new java.util.concurrent.ConcurrentHashMap<>();

    public TopicLog(String name, byte[] nameUtf8, long incarnation, BlockAllocator allocator, int blockSize,
                    AppendWaiters.Notifier notifier) {
        this.name = name;
        this.nameUtf8 = nameUtf8;
        this.headerLength = BlockHeader.headerLength(nameUtf8.length);
        this.incarnation = incarnation;
        this.allocator = allocator;
        this.blockSize = blockSize;
        this.waiters = new AppendWaiters(this, notifier);
    }

    public String name() { return name; }

    public long incarnation() { return incarnation; }

    public ReentrantLock writeLock() { return writeLock; }

    public boolean isDeleted() { return deleted; }

    public boolean isMaterialized() { return materialized; }

    public void markMaterialized() { materialized = true; }

    public TopicSettings settings() { return settings; }

    public void settings(TopicSettings s) { settings = s; }

    public AppendWaiters waiters() { return waiters; }

    public java.util.concurrent.ConcurrentHashMap<String, Cursor> cursors() { return cursors; }

    public long startPosition() { return startPosition; }

    /** The position after the last entry; the start position if there is none. */
    public long endPosition() {
        Block[] c = chain;
        long start = startPosition;
        if (c.length == 0) {
            return start;
        }
        return Math.max(c[c.length - 1].endPosition(), start);
    }

    // ---- recovery ------------------------------------------------------------------------------------------

    /** Recovery: installs the sealed, scanned blocks (ascending sequence) and the persisted truncation point. */
    public void recover(List<Block> blocks, long truncation) {
        long start = blocks.isEmpty() ? 0 : blocks.getFirst().startPosition();
        if (truncation > start) {
            start = truncation;
        }
        startPosition = start;
        List<Block> kept = new ArrayList<>();
        for (Block b : blocks) {
            if (b.endPosition() <= start && b.startPosition() < start) {
                b.checkpoint();
            } else {
                kept.add(b);
            }
        }
        chain = kept.toArray(EMPTY);
        nextSequence = blocks.isEmpty() ? 0 : blocks.getLast().sequence() + 1;
        if (!blocks.isEmpty() || truncation > 0) {
            materialized = true;
        }
    }

    // ---- writing (write lock held by the caller) --------------------------------------------------------------

    /** Appends one entry from {@code data[offset, offset+length)}; returns its position. Write lock held. */
    public long append(byte[] data, int offset, int length) {
        long frameLength = EntryFrame.frameLength(length);
        Block b = writableBlock(frameLength);
        int at = (int) b.committed;
        zeroAhead(b, at + frameLength);
        ByteBuffer buf = currentData;
        buf.put(at + EntryFrame.HEADER_LENGTH, data, offset, length);
        CRC32C c = startCrc(length, (short) 0);
        c.update(data, offset, length);
        writeFrameHeader(buf, at, length, (short) 0, c);
        b.indexFrame(at);
        return publish(b, at, at + frameLength);
    }

    /** Appends the remaining bytes of {@code data} without moving its position. Write lock held. */
    public long append(ByteBuffer data) {
        int length = data.remaining();
        boolean through = length >= WRITE_THROUGH_MIN && data.isDirect() && PositionalWriter.available();
        long frameLength = EntryFrame.frameLength(length);
        Block b = writableBlock(frameLength, through);
        int at = (int) b.committed;
        ByteBuffer buf = currentData;
        int position = data.position();
        CRC32C c = startCrc(length, (short) 0);
        c.update(data); // from the source: no scope acquisition on the shared mapping
        data.position(position);
        if (through) {
            writeThrough(b, at, length, (int) c.getValue(), data);
        } else {
            zeroAhead(b, at + frameLength);
            buf.put(at + EntryFrame.HEADER_LENGTH, data, position, length);
            writeFrameHeader(buf, at, length, (short) 0, c);
        }
        b.indexFrame(at);
        return publish(b, at, at + frameLength);
    }

    /** Appends all entries in one block, published together. Write lock held. */
    public long appendBatch(List<byte[]> entries) {
        long total = 0;
        for (byte[] e : entries) {
            total += EntryFrame.frameLength(e.length);
        }
        Block b = writableBlock(total);
        int first = (int) b.committed;
        zeroAhead(b, first + total);
        int at = first;
        ByteBuffer buf = currentData;
        int last = entries.size() - 1;
        for (int i = 0; i <= last; i++) {
            byte[] e = entries.get(i);
            buf.put(at + EntryFrame.HEADER_LENGTH, e, 0, e.length);
            short flags = (short) ((i < last ? EntryFrame.FLAG_BATCH_CONTINUES : 0)
                    | (i > 0 ? EntryFrame.FLAG_BATCH_CONTINUED : 0));
            CRC32C c = startCrc(e.length, flags);
            c.update(e, 0, e.length);
            writeFrameHeader(buf, at, e.length, flags, c);
            b.indexFrame(at);
            at += (int) EntryFrame.frameLength(e.length);
        }
        return publish(b, first, at);
    }

    /**
     * The whole frame at data offset {@code at}, header and payload, by one positional write (see
     * {@link PositionalWriter#writeWithHeader}). Readers see it once {@link #publish} moves the block's committed end
     * past it; after a crash a frame whose pages did not all reach the disk fails its CRC and reads as the torn end
     * of the block, in whichever order the kernel wrote its pages back.
     */
    private void writeThrough(Block b, int at, int length, int crcValue, ByteBuffer data) {
        PositionalWriter.WriteScratch scratch = writeScratch();
        scratch.header().set(HEADER_LONG, EntryFrame.LENGTH_OFFSET, firstHeaderWord(length, (short) 0));
        scratch.header().set(HEADER_INT, EntryFrame.CRC_OFFSET, crcValue);
        long frameAt = b.dataOffset + at;
        try {
            b.file.writeFrameAt(scratch, data, frameAt);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + b.file.path() + " (disk full?); nothing was published", e);
        }
        // never zero-fill over these bytes later
        zeroedUpTo = Math.max(zeroedUpTo, frameAt + EntryFrame.HEADER_LENGTH + length);
    }

    private static final ValueLayout.OfLong HEADER_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(Layout.ORDER);
    private static final ValueLayout.OfInt HEADER_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(Layout.ORDER);

    /** This topic's native memory for its calls, made on first use; only where positional writes are available. */
    private PositionalWriter.WriteScratch writeScratch() {
        if (writeScratch == null) {
            writeScratch = PositionalWriter.WriteScratch.of(EntryFrame.HEADER_LENGTH);
        }
        return writeScratch;
    }

    /** This topic's native memory for a positional writer's block headers (their length), made on first use. */
    private ByteBuffer blockHeaderBuffer() {
        if (blockHeaderBuffer == null) {
            blockHeaderBuffer = ByteBuffer.allocateDirect(headerLength);
        }
        return blockHeaderBuffer;
    }

    /** This topic's errno slot for zero-fills; null where positional writes are unavailable (see SegmentFile). */
    private MemorySegment writeCallState() {
        return PositionalWriter.available() ? writeScratch().callState() : null;
    }

    /**
     * Zero-fills the current block ahead of a frame ending at data offset {@code frameEnd} (see SegmentFile): as far
     * again as the block holds, from a page up to {@link #ZERO_AHEAD}, so that a topic written a few times takes a
     * few pages of disk, not a quarter of a block of zeros.
     */
    private void zeroAhead(Block b, long frameEnd) {
        long end = b.dataOffset + frameEnd;
        if (end <= zeroedUpTo) {
            return;
        }
        long blockEnd = b.blockOffset + b.blockLength;
        long ahead = Math.clamp(end - b.blockOffset, Layout.PAGE, ZERO_AHEAD);
        long to = Math.min(blockEnd, Layout.alignUp(end + ahead, Layout.PAGE));
        if (b.file.isPrepared(zeroedUpTo, to)) { // the preparer zero-wrote these pages already: nothing to do
            zeroedUpTo = to;
            return;
        }
        try {
            b.file.zeroFill(zeroedUpTo, to - zeroedUpTo, writeCallState());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + b.file.path() + " (disk full?)", e);
        }
        zeroedUpTo = to;
    }

    /**
     * A CRC32C over the frame's first 8 bytes (length, magic, flags), from a heap scratch array. The payload is added
     * from the caller's source. Why not from the mapping: a CRC over a mapped {@code ByteBuffer} acquires the shared
     * arena's scope (an atomic increment and decrement on a counter every writer of the file shares).
     */
    private CRC32C startCrc(int length, short flags) {
        byte[] h = headerScratch;
        HEADER_WORD.set(h, 0, firstHeaderWord(length, flags));
        CRC32C c = crc;
        c.reset();
        c.update(h, 0, EntryFrame.CRC_COVERED_HEADER);
        return c;
    }

    /** Writes the frame header (the payload is already in place) with the finished CRC. */
    private static void writeFrameHeader(ByteBuffer buf, int at, int length, short flags, CRC32C c) {
        buf.putLong(at + EntryFrame.LENGTH_OFFSET, firstHeaderWord(length, flags)); // length, magic, flags
        buf.putInt(at + EntryFrame.CRC_OFFSET, (int) c.getValue());
    }

    /** The frame's first 8 bytes (length, magic, flags) as one little-endian word: one store instead of three. */
    private static long firstHeaderWord(int length, short flags) {
        assert EntryFrame.MAGIC_OFFSET == 4 && EntryFrame.FLAGS_OFFSET == 6
                && Layout.ORDER == ByteOrder.LITTLE_ENDIAN;
        return (length & 0xFFFF_FFFFL) | ((EntryFrame.MAGIC & 0xFFFFL) << 32) | ((flags & 0xFFFFL) << 48);
    }

    private long publish(Block b, int frameAt, long newCommitted) {
        b.committed = newCommitted; // volatile store: the frame is now visible to readers
        b.file.markDirty();
        if (!materialized) {
            materialized = true;
        }
        waiters.appended();
        return b.startPosition + frameAt;
    }

    /** The current block if {@code frameLength} fits, else a new one (sealing the current). */
    private Block writableBlock(long frameLength) {
        return writableBlock(frameLength, false);
    }

    /** {@code writeThrough}: the frame's payload will be written positionally (see {@link #writeThrough}). */
    private Block writableBlock(long frameLength, boolean writeThrough) {
        Block b = current;
        if (b != null && b.committed + frameLength <= b.capacity) {
            return b;
        }
        return roll(frameLength, writeThrough);
    }

    private Block roll(long frameLength, boolean writeThrough) {
        Block old = current;
        long start = old != null ? Math.max(old.endPosition(), startPosition) : endPosition();
        long needed = headerLength + frameLength;
        long length = needed <= blockSize ? blockSize : Layout.alignUp(needed, Layout.PAGE);
        BlockAllocator.Filling filling = old == null ? BlockAllocator.Filling.FIRST_BLOCK
                : writeThrough ? BlockAllocator.Filling.POSITIONAL_WRITES : BlockAllocator.Filling.MAPPED_STORES;
        BlockAllocator.Allocation a = allocator.allocate(length, filling);
        SegmentFile file = a.file();
        try {
            if (writeThrough) {
                // the header by pwrite (the rest of its page is a hole, or zeros the preparer wrote: blocks are never
                // reused): stored through the mapping it took a page fault per block (4% of the broker's produce
                // CPU on a paravirtualized host), and into a hole it needed the page zero-filled first
                ByteBuffer header = blockHeaderBuffer();
                BlockHeader.write(MemorySegment.ofBuffer(header), 0, length, file.id(), incarnation, nextSequence,
                        start, nameUtf8);
                file.writeAt(header, a.offset(), writeCallState());
                zeroedUpTo = a.offset() + Layout.PAGE; // the page is in the page cache now
            } else {
                // a mapping writer needs a first chunk zero-filled, only the pages of this frame in a first block
                // (see zeroAhead)
                long firstChunk = Math.min(length, Layout.alignUp(needed, old == null ? Layout.PAGE : ZERO_AHEAD));
                if (!file.isPrepared(a.offset(), a.offset() + firstChunk)) {
                    file.zeroFill(a.offset(), firstChunk, writeCallState());
                }
                zeroedUpTo = a.offset() + firstChunk;
                BlockHeader.write(file.mapping(), a.offset(), length, file.id(), incarnation, nextSequence, start,
                        nameUtf8);
            }
        } catch (IOException e) {
            file.blockReleased(); // the block stays empty: nothing was written, nothing is lost
            file.blockCheckpointed();
            throw new UncheckedIOException("cannot write to " + file.path() + " (disk full?)", e);
        }
        Block nb = new Block(file, a.offset(), length, headerLength, start, nextSequence++);
        file.markDirty();
        currentData = file.mapping().asSlice(nb.dataOffset, nb.capacity).asByteBuffer().order(Layout.ORDER);
        current = nb;
        Block[] c = chain;
        Block[] n = Arrays.copyOf(c, c.length + 1);
        n[c.length] = nb;
        chain = n;
        if (old != null) {
            old.file.blockReleased();
            dropBlocksBelowStart();
        }
        return nb;
    }

    // ---- retention (write lock held) -------------------------------------------------------------------------

    /**
     * The position the topic would start at after truncating before {@code position}: the first entry at or after
     * it (clamped to the end), so the start position is always an entry boundary.
     */
    public long truncationTarget(long position) {
        long end = endPosition();
        if (position >= end) {
            return end;
        }
        try (ReadResult r = read(position, 0)) {
            return r.entries().isEmpty() ? end : r.entries().getFirst().position();
        }
    }

    /** Moves the start position (already persisted by the caller) and releases blocks wholly below it. */
    public void applyTruncation(long position) {
        if (position > startPosition) {
            startPosition = position;
            materialized = true;
            dropBlocksBelowStart();
        }
    }

    private void dropBlocksBelowStart() {
        Block[] c = chain;
        long start = startPosition;
        int drop = 0;
        while (drop < c.length && c[drop] != current && c[drop].endPosition() <= start) {
            c[drop].checkpoint();
            drop++;
        }
        if (drop > 0) {
            chain = Arrays.copyOfRange(c, drop, c.length);
        }
    }

    /** Marks the topic deleted (already persisted by the caller); every block is checkpointed, the current released. */
    public void applyDeletion() {
        deleted = true;
        Block[] c = chain;
        chain = EMPTY;
        for (Block b : c) {
            b.checkpoint();
        }
        if (current != null) {
            current.file.blockReleased();
            current = null;
            currentData = null;
        }
        waiters.completeAll();
    }

    /**
     * Engine close: the writer releases its block without counting anything (the files are closed next). The block's
     * pages after its last frame go back to the file system as a hole: they were zero-written ahead of the writer
     * (up to 256 KiB, or the preparer's window), and as a hole the next start's recovery skips them with
     * {@code lseek(SEEK_DATA)} instead of reading them, and they take no disk. Without this every restart left each
     * written topic's block with its zeros, and each later start read them all again.
     */
    public void closeWriter() {
        Block b = current;
        if (b != null) {
            long unusedFrom = Layout.alignUp(b.dataOffset + b.committed, Layout.PAGE);
            b.file.punchHole(unusedFrom, b.blockOffset + b.blockLength - unusedFrom);
        }
        current = null;
        currentData = null;
    }

    // ---- reading (lock-free) -------------------------------------------------------------------------------

    /** Zero-copy positional read: the files stay pinned until the result is closed. */
    public ReadResult read(long fromPosition, int maxBytes) {
        List<Entry> out = new ArrayList<>();
        List<SegmentFile> pins = new ArrayList<>(2);
        long next = collect(fromPosition, maxBytes, out, pins, true);
        return new PinnedReadResult(out, next, pins);
    }

    /** Copying read (for cursors): no pin outlives the call. */
    public List<Entry> readCopies(long fromPosition, int maxBytes) {
        List<Entry> out = new ArrayList<>();
        collect(fromPosition, maxBytes, out, null, false);
        return out;
    }

    private long collect(long fromPosition, long maxBytes, List<Entry> out, List<SegmentFile> pins, boolean zeroCopy) {
        retry:
        for (;;) {
            long pos = Math.max(fromPosition, startPosition);
            Block[] c = chain;
            long budget = maxBytes;
            long next = fromPosition;
            for (int i = findBlock(c, pos); i < c.length; i++) {
                Block b = c[i];
                SegmentFile file = b.file;
                if (!file.pin()) {
                    // deleted under us: it was truncated away; start again from the new start position
                    if (!out.isEmpty()) {
                        return next;
                    }
                    continue retry;
                }
                if (b.checkpointed) {
                    // truncated away (or its topic deleted) since this chain was read: its pages may already be a
                    // hole (see SegmentFile#blockCheckpointed), so never read it; the start position has moved past
                    file.unpin();
                    if (!out.isEmpty()) {
                        return next;
                    }
                    continue retry;
                }
                boolean keepPin = false;
                try {
                    long limit = b.committed;
                    long offset = Math.max(0, pos - b.startPosition);
                    MemorySegment m = file.mapping();
                    for (long f = b.firstFrameAtOrAfter(offset, limit); f >= 0; f = b.next(m, f, limit)) {
                        long abs = b.dataOffset + f;
                        int length = EntryFrame.payloadLength(m, abs);
                        if (!out.isEmpty() && length > budget) {
                            return next;
                        }
                        long position = b.startPosition + f;
                        long after = position + EntryFrame.frameLength(length);
                        ByteBuffer view;
                        if (zeroCopy) {
                            view = m.asSlice(abs + EntryFrame.HEADER_LENGTH, length).asByteBuffer().asReadOnlyBuffer();
                            keepPin = true;
                        } else {
                            byte[] copy = new byte[length];
                            MemorySegment.copy(m, ValueLayout.JAVA_BYTE, abs + EntryFrame.HEADER_LENGTH, copy, 0,
                                    length);
                            view = ByteBuffer.wrap(copy).asReadOnlyBuffer();
                        }
                        out.add(new EntryView(name, position, after, view));
                        budget -= length;
                        next = after;
                        if (budget <= 0) {
                            return next;
                        }
                    }
                } finally {
                    if (keepPin && pins != null && !pins.contains(file)) {
                        pins.add(file);
                    } else {
                        file.unpin();
                    }
                }
                pos = i + 1 < c.length ? c[i + 1].startPosition : pos;
            }
            return next;
        }
    }

    /** Index of the last block starting at or before {@code pos} (0 if none does). */
    private static int findBlock(Block[] c, long pos) {
        int lo = 0;
        int hi = c.length - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (c[mid].startPosition <= pos) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** A snapshot of the chain, for tools and tests. */
    public List<Block> blocks() {
        return List.of(chain);
    }

    @Override
    public String toString() {
        return "Topic[" + name + "#" + incarnation + " start=" + startPosition + " end=" + endPosition() + "]";
    }
}

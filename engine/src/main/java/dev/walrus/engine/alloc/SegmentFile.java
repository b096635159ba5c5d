package dev.walrus.engine.alloc;

import dev.walrus.engine.format.FileHeader;
import dev.walrus.engine.format.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mapped segment file with the seed's four counters that let it delete itself without coordination.
 *
 * <p>Deletion condition (checked whenever a counter moves): fully allocated, no block held by a writer, at least one
 * block allocated, and every allocated block checkpointed. The mapping lives in its own shared {@link Arena}; it is
 * closed (unmapped) when the file is deleted and no {@link #pin() pin} remains, so readers holding a pin keep their
 * zero-copy views valid.
 *
 * <p>Threads: {@code allocated} is incremented only by the allocator under its lock; the other counters by any
 * thread, atomically. {@code dirty} is set by writers and cleared by the flusher before it fsyncs.
 */
public final class SegmentFile {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentFile.class);

    private final long id;
    private final Path path;
    private final FileChannel channel;
    private final Arena arena;
    private final MemorySegment mapping;
    private final SegmentFileListener listener;

    private final AtomicInteger allocatedBlocks = new AtomicInteger();
    private final AtomicInteger lockedBlocks = new AtomicInteger();
    private final AtomicInteger checkpointedBlocks = new AtomicInteger();
    private volatile boolean fullyAllocated;
    private final AtomicBoolean deleted = new AtomicBoolean();
    /** 1 for the engine's own reference while the file is live, plus one per reader pin. 0 = unmapped. */
    private final AtomicInteger refs = new AtomicInteger(1);
    /** Checkpointed blocks, [offset, length], waiting for a moment without readers to be punched into holes. */
    private final java.util.concurrent.ConcurrentLinkedQueue<long[]> expiredBlocks =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Written to since the flusher last started an fsync of this file. */
    private volatile boolean dirty;

    /** Zeros written ahead of writers (see {@link #zeroFill}); read-only, shared. */
    private static final byte[] ZEROS = new byte[256 * 1024];

    /**
     * A second handle for {@link #zeroFill}: {@link java.io.RandomAccessFile} writes are not interruptible, whereas an
     * interrupt during a {@link FileChannel} write would close the channel for every thread. Opened on first use.
     */
    private java.io.RandomAccessFile zeroWriter;

    /** Bump pointer for block allocation; only the allocator touches it, under its lock. */
    long nextBlockOffset;

    public SegmentFile(long id, Path path, FileChannel channel, Arena arena, MemorySegment mapping,
                       SegmentFileListener listener) {
        this.id = id;
        this.path = path;
        this.channel = channel;
        this.arena = arena;
        this.mapping = mapping;
        this.listener = listener;
    }

    public long id() { return id; }

    public Path path() { return path; }

    public MemorySegment mapping() { return mapping; }

    public long length() { return mapping.byteSize(); }

    // ---- the four counters -----------------------------------------------------------------------------------

    /** A writer took a new block here (allocator lock held). */
    void blockAllocated() {
        allocatedBlocks.incrementAndGet();
        lockedBlocks.incrementAndGet();
    }

    /** Recovery found an existing (sealed) block here. */
    public void blockRecovered() {
        allocatedBlocks.incrementAndGet();
    }

    /** The writer sealed a block here: it no longer holds it. */
    public void blockReleased() {
        lockedBlocks.decrementAndGet();
        maybeDelete();
    }

    /** A block here is below its topic's truncation point (or its topic is deleted). Called once per block. */
    public void blockCheckpointed() {
        checkpointedBlocks.incrementAndGet();
        maybeDelete();
    }

    /**
     * As {@link #blockCheckpointed()} for the block at {@code [offset, offset + length)}, whose readers check after
     * pinning that it is not checkpointed (see {@code TopicLog.collect}). Where the file does not delete itself, the
     * block's pages go back to the file system as a hole once no reader holds a pin. Why: a file lives as long as its
     * last live block, and a slow topic's block (a megabyte) otherwise kept a whole file of other topics' expired
     * data on disk, up to 64 MiB per slow topic under retention.
     */
    public void blockCheckpointed(long offset, long length) {
        blockCheckpointed();
        if (!deleted.get() && PositionalWriter.available()) {
            expiredBlocks.add(new long[] {offset, length});
            punchExpiredBlocks();
        }
    }

    /**
     * Punches the expired blocks into holes while no reader holds a pin; otherwise the last reader's {@link #unpin}
     * does. The pin count is read after taking each block from the queue, that is after the block was marked
     * checkpointed: a reader pinning later sees the mark and leaves the block alone, and one that pinned earlier is
     * counted.
     */
    private void punchExpiredBlocks() {
        for (long[] block; (block = expiredBlocks.poll()) != null; ) {
            if (deleted.get()) {
                return;
            }
            if (refs.get() != 1) {
                expiredBlocks.add(block);
                if (refs.get() != 1) {
                    return; // a reader may be sending from it: its unpin comes back here
                }
                continue;
            }
            punchHole(block[0], block[1]);
        }
    }

    /** No more blocks will be allocated here. */
    public void markFullyAllocated() {
        fullyAllocated = true;
        maybeDelete();
    }

    public int allocatedBlocks() { return allocatedBlocks.get(); }

    public int lockedBlocks() { return lockedBlocks.get(); }

    public int checkpointedBlocks() { return checkpointedBlocks.get(); }

    public boolean isFullyAllocated() { return fullyAllocated; }

    public boolean isDeleted() { return deleted.get(); }

    private void maybeDelete() {
        int allocated = allocatedBlocks.get();
        if (fullyAllocated && lockedBlocks.get() == 0 && allocated > 0 && checkpointedBlocks.get() >= allocated) {
            deleteNow();
        }
    }

    /** Recovery: a file without any valid block holds nothing; remove it. */
    public void deleteIfEmpty() {
        if (fullyAllocated && allocatedBlocks.get() == 0) {
            deleteNow();
        }
    }

    private void deleteNow() {
        if (!deleted.compareAndSet(false, true)) {
            return;
        }
        listener.fileDeleted(this);
        closeZeroWriter();
        try {
            channel.close();
            Files.deleteIfExists(path);
            LOG.debug("deleted segment file {}", path);
        } catch (IOException e) {
            LOG.warn("could not delete segment file {}", path, e);
        }
        unpin();
    }

    // ---- mapping lifetime -----------------------------------------------------------------------------------

    /** Takes a reference keeping the mapping alive; false if the file is already unmapped. */
    public boolean pin() {
        for (;;) {
            int r = refs.get();
            if (r == 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    public void unpin() {
        int left = releasePin();
        if (left == 1 && !expiredBlocks.isEmpty()) {
            punchExpiredBlocks();
        }
    }

    private int releasePin() {
        int left = refs.decrementAndGet();
        if (left == 0) {
            arena.close();
            closePositionalWriter();
        }
        return left;
    }

    /** Engine close: drop the engine's own reference without deleting the file. */
    public void closeMapping() {
        if (deleted.compareAndSet(false, true)) {
            closeZeroWriter();
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("could not close segment file {}", path, e);
            }
            unpin();
        }
    }

    // ---- zero-fill ahead of writers -------------------------------------------------------------------------

    /**
     * Writes zeros over [offset, offset + length), a range no writer has written yet, with plain write calls.
     *
     * <p>Why: the first store into a hole of a sparse file through a mapping takes a page fault that, on ext4, also
     * reserves the disk block; one write call per 256 KiB does the same work for 64 pages at once, and the stores
     * that follow find the pages in the page cache (measured: 1 KiB appends about 3x faster). It also makes a full
     * disk an {@link IOException} here, before anything is copied, instead of a SIGBUS in the copy. With a
     * {@code callState} (see {@link PositionalWriter}) the zeros go out by {@code pwrite} from a direct buffer; without
     * one, through a stream from a heap array.
     */
    public void zeroFill(long offset, long length, MemorySegment callState) throws IOException {
        if (callState != null) { // one pwrite per MiB from a direct buffer: no copy through the heap
            PositionalWriter writer = pinnedWriter();
            try {
                for (long done = 0; done < length; ) {
                    int n = (int) Math.min(ZEROS_DIRECT.capacity(), length - done);
                    writer.write(ZEROS_DIRECT.duplicate().limit(n), offset + done, callState);
                    done += n;
                }
            } finally {
                unpin();
            }
            return;
        }
        zeroFillByStream(offset, length);
    }

    /** Zeros for positional writes; only ever read. */
    static final java.nio.ByteBuffer ZEROS_DIRECT = java.nio.ByteBuffer.allocateDirect(1024 * 1024);

    private synchronized void zeroFillByStream(long offset, long length) throws IOException {
        if (zeroWriter == null) {
            zeroWriter = new java.io.RandomAccessFile(path.toFile(), "rw");
        }
        zeroWriter.seek(offset);
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(ZEROS.length, length - done);
            zeroWriter.write(ZEROS, 0, n);
            done += n;
        }
    }

    // ---- positional writes (see PositionalWriter) ---------------------------------------------------------------

    /** Opened on first use; closed with the mapping, when no pin remains. Guarded by this. */
    private volatile PositionalWriter positionalWriter;

    /**
     * The file's positional writer, with the file pinned so that its descriptor cannot be closed under the caller's
     * calls; the caller unpins. Writes through it are visible through the mapping on return.
     */
    private PositionalWriter pinnedWriter() throws IOException {
        if (!pin()) {
            throw new IOException(path + " is closed");
        }
        try {
            return positionalWriter();
        } catch (IOException | RuntimeException e) {
            unpin();
            throw e;
        }
    }

    /**
     * Writes a frame whose header is in {@code scratch} and whose payload is {@code payload}'s remaining bytes at
     * absolute {@code offset}, a range of a block the caller holds, with one {@code pwritev} (see
     * {@link PositionalWriter#writeWithHeader}).
     */
    public void writeFrameAt(PositionalWriter.WriteScratch scratch, java.nio.ByteBuffer payload, long offset)
            throws IOException {
        PositionalWriter writer = pinnedWriter();
        try {
            writer.writeWithHeader(scratch, payload, offset);
        } finally {
            unpin();
        }
    }

    /**
     * Writes all of {@code bytes} (a direct buffer; its position does not move) at {@code offset} with one
     * {@code pwrite}: a positional writer's new block header, its own bytes only (see {@code TopicLog.roll}).
     */
    public void writeAt(java.nio.ByteBuffer bytes, long offset, MemorySegment callState) throws IOException {
        PositionalWriter writer = pinnedWriter();
        try {
            writer.write(bytes, offset, callState);
        } finally {
            unpin();
        }
    }

    /**
     * Gives {@code [offset, offset + length)}, a range no block reaches, back to the file system as a hole (see
     * {@link PositionalWriter#punchHole}). Why: the preparer zero-writes pages ahead of the allocation point, and what
     * no block reached by the time the engine closes would stay behind as zeros on disk; the next start would read
     * them page by page (to {@code lseek(SEEK_DATA)} written zeros are data, see {@link DataSeeker}), and the
     * directory would grow by that window at every restart. Best effort: where it fails the zeros stay, which is
     * correct, only slower to recover.
     */
    public void punchHole(long offset, long length) {
        if (length <= 0 || !pin()) {
            return;
        }
        try {
            if (!positionalWriter().punchHole(offset, length)) {
                LOG.debug("could not punch a hole into {} at {}", path, offset);
            }
        } catch (IOException e) {
            LOG.debug("could not punch a hole into {} at {}", path, offset, e);
        } finally {
            releasePin(); // not unpin: punchExpiredBlocks calls this, and must not come back into itself
        }
    }

    /**
     * Recovery: lets new blocks go to {@code [from, end of file)}, the room after this file's last block, instead of
     * to a new file. Where that range holds any data it is punched back into a hole and the file fsynced first: a
     * block torn by a crash, or a damaged one, may lie there, and its frames would otherwise be read as entries of the
     * new block written over its start (positional writers zero-fill only a new block's first page). After a clean
     * close the range is hole already (the close punched the preparer's window), so a restart pays one
     * {@code lseek}, not the punch and fsync (3-9 ms here). False, and nothing changed, where it cannot be done (no
     * room, or the hole cannot be punched): the caller seals the file as before. {@code seeker}: over this file.
     */
    public boolean resumeAllocationAt(long from, DataSeeker seeker) {
        if (from % Layout.PAGE != 0 || from < FileHeader.BLOCKS_OFFSET || from >= length() || !pin()) {
            return false;
        }
        try {
            if (seeker.nextData(from) >= 0) {
                if (!positionalWriter().punchHole(from, length() - from)) {
                    return false;
                }
                channel.force(true); // the hole must be durable before any block is written over it
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot resume allocating in {} at {}", path, from, e);
            return false;
        } finally {
            unpin();
        }
        nextBlockOffset = from;
        return true;
    }

    /** The file's positional writer, opened on first use (the caller holds a pin). */
    private PositionalWriter positionalWriter() throws IOException {
        PositionalWriter w = positionalWriter;
        return w != null ? w : openPositionalWriter();
    }

    private synchronized PositionalWriter openPositionalWriter() throws IOException {
        if (positionalWriter == null) {
            positionalWriter = PositionalWriter.open(path);
        }
        return positionalWriter;
    }

    private synchronized void closePositionalWriter() {
        if (positionalWriter != null) {
            positionalWriter.close();
            positionalWriter = null;
        }
    }

    // ---- pages zero-written ahead of writers (see BlockAllocator#prepareTo) --------------------------------------

    /**
     * {@code [preparedFrom, preparedUpTo)}: a run of pages the preparer has zero-written ahead of every writer, so they
     * sit in the page cache and a writer's stores only map them. Both grow only; the allocator publishes
     * {@code preparedFrom} before {@code preparedUpTo} and {@link #isPrepared} reads them the other way round, so a
     * writer never takes a range for prepared that is not.
     */
    private volatile long preparedFrom;
    private volatile long preparedUpTo;

    /** Allocator-owned (under its lock): how far preparing has been asked for. */
    long prepareRequested;
    /** Allocator-owned (under its lock): the range being zero-written right now; no block is handed out in it. */
    long claimStart;
    long claimEnd;

    /** Whether every page of {@code [from, to)} has been zero-written by the preparer (so a writer need not). */
    public boolean isPrepared(long from, long to) {
        long upTo = preparedUpTo;
        return to <= upTo && from >= preparedFrom;
    }

    /** The end of the prepared run (for tests and the allocator). */
    public long preparedUpTo() { return preparedUpTo; }

    /** Allocator lock held: {@code [from, to)} is zero-written. */
    void prepared(long from, long to) {
        if (from != preparedUpTo) {
            preparedFrom = from;
        }
        preparedUpTo = to;
    }

    private synchronized void closeZeroWriter() {
        if (zeroWriter != null) {
            try {
                zeroWriter.close();
            } catch (IOException e) {
                LOG.warn("could not close {}", path, e);
            }
            zeroWriter = null;
        }
    }

    // ---- durability -----------------------------------------------------------------------------------------

    /** Writers call this after writing; cheap when already dirty (a read, no write). */
    public void markDirty() {
        if (!dirty) {
            dirty = true;
        }
    }

    public boolean isDirty() { return dirty; }

    /**
     * The file preparer: fdatasyncs the pages it has just zero-written (and whatever else is dirty), so that the
     * blocks later written there are overwrites of allocated, durable pages (see {@code BlockAllocator#prepareTo}).
     */
    void forceAhead() throws IOException {
        channel.force(false);
    }

    /** Flusher: fsyncs (fdatasync) if written since the last call. Ignores files deleted meanwhile. */
    public void forceIfDirty() {
        if (!dirty) {
            return;
        }
        dirty = false;
        try {
            channel.force(false);
        } catch (java.nio.channels.ClosedChannelException e) {
            if (!deleted.get()) {
                throw new UncheckedIOException(e);
            }
        } catch (IOException e) {
            dirty = true;
            throw new UncheckedIOException("fsync of " + path + " failed", e);
        }
    }

    @Override
    public String toString() {
        return path.getFileName() + "[allocated=" + allocatedBlocks + " locked=" + lockedBlocks + " checkpointed="
                + checkpointedBlocks + " full=" + fullyAllocated + " deleted=" + deleted + "]";
    }
}

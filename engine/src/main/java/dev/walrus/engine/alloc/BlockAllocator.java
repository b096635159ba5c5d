package dev.walrus.engine.alloc;

import dev.walrus.engine.format.FileHeader;
import dev.walrus.engine.format.Layout;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out blocks from the active segment file by bumping an offset: the only critical section writers share.
 *
 * <p>The section ({@link #allocate}, under {@code allocationLock}) is a compare, a bump and two counter increments.
 * The next file is created ahead, off that section, by the {@code walrus-file-preparer} thread once the active file
 * is half allocated (creating one means a create, a sparse extension, a mapping and two fsyncs: milliseconds that no
 * writer should wait for). Only when no spare is ready (or a block is larger than a spare) does a writer create a file
 * inside the section. A block larger than what is left in the active file starts a new file; one larger than a whole
 * file gets a file of its own size.
 */
public final class BlockAllocator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlockAllocator.class);

    /** Where a block was placed. */
    public record Allocation(SegmentFile file, long offset, long length) {}

    /** The most bytes beyond the allocation point that the preparer keeps zero-written (see {@link #prepareAhead}). */
    static final long PREPARE_AHEAD = 16L * 1024 * 1024;

    /** The least: the window starts here and grows with the file's use (see {@link #prepareWindow}). */
    static final long MIN_PREPARE_AHEAD = 1024 * 1024;

    /** Zero-written per claim: one pwrite call; the longest a writer can wait for a claim to clear. */
    static final int PREPARE_CHUNK = 1024 * 1024;

    /** Whether the preparer zero-writes ahead (needs {@link PositionalWriter}; off with walrus.prepare.disabled). */
    static final boolean PREPARE = PositionalWriter.available() && !Boolean.getBoolean("walrus.prepare.disabled");

    private final SegmentFiles files;
    private final long fileSize;
    private final BooleanSupplier fsyncsAwaited;
    private final BooleanSupplier diskFull;
    private final Object allocationLock = new Object();
    private final ExecutorService preparer = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("walrus-file-preparer").daemon(true).unstarted(r));
    // all guarded by allocationLock
    private SegmentFile active;
    private SegmentFile spare;
    private boolean preparing;
    private boolean closed;
    private long nextFileId;
    /** Whether the latest allocation asked for pages prepared ahead (see {@link Filling}). */
    private boolean preparingAhead = true;
    /** The preparer thread's errno slot for its zero-writes. */
    private final MemorySegment preparerCallState = PREPARE ? PositionalWriter.newCallState() : null;

    public BlockAllocator(SegmentFiles files, long fileSize, long firstFileId) {
        this(files, fileSize, firstFileId, null, () -> false, () -> false);
    }

    /**
     * {@code resumed}: an existing file to allocate from first, at its {@link SegmentFile#resumeAllocationAt} offset
     * (recovery's newest file), or null to start with a new file. {@code fsyncsAwaited}: whether writers are waiting
     * for fsyncs now (see {@link #prepareTo}). {@code diskFull}: whether the disk is full now; nothing is prepared
     * ahead then, as it would take the space that the writes freeing space need (see {@code DiskSpace}).
     */
    public BlockAllocator(SegmentFiles files, long fileSize, long firstFileId, SegmentFile resumed,
                          BooleanSupplier fsyncsAwaited, BooleanSupplier diskFull) {
        this.files = files;
        this.fileSize = fileSize;
        this.nextFileId = firstFileId;
        this.active = resumed;
        this.fsyncsAwaited = fsyncsAwaited;
        this.diskFull = diskFull;
    }

    /**
     * How the writer asking for a block fills it, which decides whether the allocation asks the preparer to zero-write
     * pages ahead of the allocation point (see {@link #prepareTo}): those pages go to the next blocks handed out, so
     * the question is whether the file is filling with data.
     */
    public enum Filling {
        /** Stores through the mapping, by a writer that filled a block before: pages ahead spare its faults. */
        MAPPED_STORES,
        /**
         * Positional writes (see {@link PositionalWriter}), by a writer that filled a block before: zeros ahead would
         * only be overwritten, except while writers wait for fsyncs.
         */
        POSITIONAL_WRITES,
        /**
         * A topic's first block since the engine opened, either way: no sign yet that the file fills with data. A
         * test suite's thousands of topics written once or twice each would otherwise have the preparer zero-write
         * every block handed out, a megabyte of disk per topic holding a few records (3,000 topics of one record:
         * 3 GB written, against 49 MB on Kafka).
         */
        FIRST_BLOCK
    }

    /** Allocates {@code length} bytes (a multiple of the page size); the writer then holds the block. */
    public Allocation allocate(long length) {
        return allocate(length, Filling.MAPPED_STORES);
    }

    /** As {@link #allocate(long)}, for a writer that fills the block as {@code filling} says. */
    public Allocation allocate(long length, Filling filling) {
        if (length % Layout.PAGE != 0) {
            throw new IllegalArgumentException("block length must be a multiple of " + Layout.PAGE + ", got " + length);
        }
        synchronized (allocationLock) {
            boolean interrupted = false;
            SegmentFile file;
            long offset;
            for (;;) {
                if (active == null || active.nextBlockOffset + length > active.length()) {
                    rollActiveFile(length);
                }
                file = active;
                offset = file.nextBlockOffset;
                if (file.claimEnd <= offset || file.claimStart >= offset + length) {
                    break;
                }
                // the preparer is zero-writing where this block would lie: never hand it out before that is done
                try {
                    allocationLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            file.nextBlockOffset += length;
            file.blockAllocated();
            preparingAhead = switch (filling) {
                case MAPPED_STORES -> true;
                case POSITIONAL_WRITES -> fsyncsAwaited.getAsBoolean(); // see prepareTo
                case FIRST_BLOCK -> false;
            };
            if (preparingAhead) {
                prepareAhead(file);
            }
            if (spare == null && !preparing && !closed && file.nextBlockOffset * 2 > file.length()
                    && !diskFull.getAsBoolean()) {
                preparing = true;
                long id = nextFileId++;
                preparer.execute(() -> prepare(id));
            }
            return new Allocation(file, offset, length);
        }
    }

    private void rollActiveFile(long blockLength) {
        SegmentFile previous = active;
        if (spare != null && blockLength <= fileSize) {
            active = spare;
            spare = null;
        } else {
            active = files.create(nextFileId++, FileHeader.BLOCKS_OFFSET + Math.max(fileSize, blockLength));
        }
        if (previous != null) {
            previous.markFullyAllocated();
        }
    }

    /** Preparer thread: creates the next file outside the allocation section. */
    private void prepare(long id) {
        SegmentFile created = null;
        try {
            created = files.create(id, FileHeader.BLOCKS_OFFSET + fileSize);
        } catch (RuntimeException e) {
            // one line: on a full disk this repeats until the first writer meets it and stops the preparing
            LOG.warn("could not create the next segment file ahead of time; a writer will try when it needs it: {}",
                    e.getCause() != null ? e.getCause().toString() : e.toString());
        }
        long first = 0;
        SegmentFile ready = created;
        synchronized (allocationLock) {
            preparing = false;
            if (created != null && !closed) {
                spare = created;
                if (PREPARE && preparingAhead) {
                    first = Math.min(created.length(), created.nextBlockOffset + PREPARE_AHEAD);
                    created.prepareRequested = first;
                }
                created = null;
            }
        }
        if (created != null) {
            discard(created);
        }
        if (first > 0) {
            prepareTo(ready, first); // claims as for any file: a writer may take the spare meanwhile
        }
    }

    /**
     * Allocation lock held: keeps the pages from the allocation point up to {@link #prepareWindow} beyond it
     * zero-written by the preparer thread, asking again each time half the window is used. Only the window is
     * touched: the rest of the file stays sparse.
     */
    private void prepareAhead(SegmentFile file) {
        if (closed || !PREPARE || diskFull.getAsBoolean()) {
            return;
        }
        long window = prepareWindow(file);
        long want = Math.min(file.length(), file.nextBlockOffset + window);
        if (file.prepareRequested >= Math.min(want, file.nextBlockOffset + window / 2)) {
            return;
        }
        file.prepareRequested = want;
        try {
            preparer.execute(() -> prepareTo(file, want));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: writers zero-fill themselves
        }
    }

    /**
     * As much ahead as the file has already handed out, between {@link #MIN_PREPARE_AHEAD} and
     * {@link #PREPARE_AHEAD}: an idle broker's few internal topics keep a megabyte or two of page cache ahead, not
     * 16 MiB, while a file being written fast reaches the full window within its first 16 MiB.
     */
    static long prepareWindow(SegmentFile file) {
        return Math.clamp(file.nextBlockOffset - FileHeader.BLOCKS_OFFSET, MIN_PREPARE_AHEAD, PREPARE_AHEAD);
    }

    /**
     * Preparer thread: zero-writes the file up to {@code want}, one {@link #PREPARE_CHUNK} claim at a time, each
     * starting at or beyond the allocation point. Why zero-write: a store through the mapping into a hole makes the
     * kernel allocate and zero a page in a fault; a {@code pwrite} of zeros does that work for 256 pages at once on
     * this thread, and the writer's store then finds the page in the page cache (measured on a quiet machine:
     * 1 KiB appends at 0.71-0.80 of the bandwidth of 1 MiB file writes, against 0.58-0.64 with the pages populated
     * by {@code madvise(MADV_POPULATE_WRITE)}, which zeroes them one fault at a time; docs/PERFORMANCE.md).
     * Why claims: a zero-write is not content-preserving, so it may only hit
     * pages no writer holds; {@link #allocate} waits rather than hand out a block that overlaps the claim under way.
     * Stops at a deleted or closed file, or when the write fails (a full disk then surfaces in the writer's own
     * zero-fill as an {@link IOException}).
     *
     * <p>While writers wait for fsyncs (acks=all produces, {@code syncEach} appends) each claim is also fdatasynced
     * here, and positional writers' blocks are prepared too: a group-commit fsync then finds its pages allocated and
     * on disk and writes data only, where on fresh pages ext4 also writes the block bitmap and the inode, each a
     * synchronous device round trip (broker, acks=all on one partition, median of ten runs: about 71 against 77
     * ticks of CPU and 330K against 315K records/s). Not otherwise: the zeros are then a second write of every byte
     * for nothing (1 KiB records at acks=1: about 20% more broker CPU).
     */
    private void prepareTo(SegmentFile file, long want) {
        for (;;) {
            long start;
            long end;
            synchronized (allocationLock) {
                if (closed || file.isDeleted() || diskFull.getAsBoolean()) {
                    return;
                }
                start = Math.max(file.preparedUpTo(), file.nextBlockOffset);
                end = Math.min(Math.min(want, file.length()), start + PREPARE_CHUNK);
                if (start >= end) {
                    return;
                }
                file.claimStart = start;
                file.claimEnd = end;
            }
            boolean written = false;
            try {
                file.zeroFill(start, end - start, preparerCallState);
                if (fsyncsAwaited.getAsBoolean()) {
                    file.forceAhead();
                }
                written = true;
            } catch (IOException | RuntimeException e) {
                LOG.debug("stopped preparing {} at {}", file.path(), start, e);
            } finally {
                synchronized (allocationLock) {
                    file.claimStart = 0;
                    file.claimEnd = 0;
                    if (written) {
                        file.prepared(start, end);
                    }
                    allocationLock.notifyAll();
                }
            }
            if (!written) {
                return;
            }
        }
    }

    private static void discard(SegmentFile unused) {
        unused.markFullyAllocated();
        unused.deleteIfEmpty();
    }

    /** Whether the next file is ready (for tests). */
    boolean hasSpare() {
        synchronized (allocationLock) {
            return spare != null;
        }
    }

    /** Engine close: no more blocks; an unused spare file is deleted. */
    @Override
    public void close() {
        SegmentFile unused;
        SegmentFile last;
        long allocatedUpTo;
        synchronized (allocationLock) {
            closed = true;
            last = active;
            allocatedUpTo = last == null ? 0 : last.nextBlockOffset;
            active = null;
            unused = spare;
            spare = null;
        }
        preparer.shutdown();
        try {
            preparer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (unused != null) {
            discard(unused);
        }
        if (last != null && !last.isDeleted() && last.preparedUpTo() > allocatedUpTo) {
            last.punchHole(allocatedUpTo, last.preparedUpTo() - allocatedUpTo); // zeros no block reached
        }
    }
}

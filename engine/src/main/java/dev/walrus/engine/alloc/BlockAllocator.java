package dev.walrus.engine.alloc;

import dev.walrus.engine.format.FileHeader;
import dev.walrus.engine.format.Layout;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

    /** The most bytes beyond the allocation point that the preparer keeps populated (see {@link #populateAhead}). */
    static final long POPULATE_AHEAD = 16L * 1024 * 1024;

    /** The least: the window starts here and grows with the file's use (see {@link #populateWindow}). */
    static final long MIN_POPULATE_AHEAD = 1024 * 1024;

    private final SegmentFiles files;
    private final long fileSize;
    private final Object allocationLock = new Object();
    private final ExecutorService preparer = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("walrus-file-preparer").daemon(true).unstarted(r));
    // all guarded by allocationLock
    private SegmentFile active;
    private SegmentFile spare;
    private boolean preparing;
    private boolean closed;
    private long nextFileId;
    /** Whether the latest allocation asked for pages populated ahead (its writer stores through the mapping). */
    private boolean populating = true;

    public BlockAllocator(SegmentFiles files, long fileSize, long firstFileId) {
        this.files = files;
        this.fileSize = fileSize;
        this.nextFileId = firstFileId;
    }

    /** Allocates {@code length} bytes (a multiple of the page size); the writer then holds the block. */
    public Allocation allocate(long length) {
        return allocate(length, true);
    }

    /**
     * As {@link #allocate(long)}; {@code populate} false when the writer will fill the block with positional writes
     * (see {@link PositionalWriter}), which need no page populated ahead: populating would zero pages only for the
     * write to overwrite them.
     */
    public Allocation allocate(long length, boolean populate) {
        if (length % Layout.PAGE != 0) {
            throw new IllegalArgumentException("block length must be a multiple of " + Layout.PAGE + ", got " + length);
        }
        synchronized (allocationLock) {
            if (active == null || active.nextBlockOffset + length > active.length()) {
                rollActiveFile(length);
            }
            SegmentFile file = active;
            long offset = file.nextBlockOffset;
            file.nextBlockOffset += length;
            file.blockAllocated();
            populating = populate;
            if (populate) {
                populateAhead(file);
            }
            if (spare == null && !preparing && !closed && file.nextBlockOffset * 2 > file.length()) {
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
            LOG.warn("could not create the next segment file ahead of time; a writer will try when it needs it", e);
        }
        long first = 0;
        SegmentFile ready = created;
        synchronized (allocationLock) {
            preparing = false;
            if (created != null && !closed) {
                spare = created;
                if (PagePopulator.available() && populating) {
                    first = Math.min(created.length(), created.nextBlockOffset + POPULATE_AHEAD);
                    created.populateRequested = first;
                }
                created = null;
            }
        }
        if (created != null) {
            discard(created);
        }
        if (first > 0) {
            ready.populateTo(first); // after the hand-over: a writer may take the file meanwhile
        }
    }

    /**
     * Allocation lock held: keeps the pages from the allocation point up to {@link #populateWindow} beyond it mapped
     * writable by the preparer thread (see {@link PagePopulator}), asking again each time half the window is used.
     * Only allocated blocks and the window are touched: the rest of the file stays sparse.
     */
    private void populateAhead(SegmentFile file) {
        if (closed || !PagePopulator.available()) {
            return;
        }
        long window = populateWindow(file);
        long want = Math.min(file.length(), file.nextBlockOffset + window);
        if (file.populateRequested >= Math.min(want, file.nextBlockOffset + window / 2)) {
            return;
        }
        file.populateRequested = want;
        try {
            preparer.execute(() -> file.populateTo(want));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: writers zero-fill themselves
        }
    }

    /**
     * As much ahead as the file has already handed out, between {@link #MIN_POPULATE_AHEAD} and
     * {@link #POPULATE_AHEAD}: an idle broker's few internal topics keep a megabyte or two resident, not 16 MiB, while
     * a file being written fast reaches the full window within its first 16 MiB.
     */
    static long populateWindow(SegmentFile file) {
        return Math.clamp(file.nextBlockOffset - FileHeader.BLOCKS_OFFSET, MIN_POPULATE_AHEAD, POPULATE_AHEAD);
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
        synchronized (allocationLock) {
            closed = true;
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
    }
}

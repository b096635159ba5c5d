package dev.walrus.engine.alloc;

import dev.walrus.engine.format.FileHeader;
import dev.walrus.engine.format.Layout;

/**
 * Hands out blocks from the active segment file by bumping an offset: the only critical section writers share.
 *
 * <p>The section ({@link #allocate}) is a compare and two counter increments; creating the next file (every
 * {@code fileSize / blockSize} blocks) happens inside it too, rarely. A block larger than what is left in the active
 * file starts a new file; one larger than a whole file gets a file of its own size.
 */
public final class BlockAllocator {

    /** Where a block was placed. */
    public record Allocation(SegmentFile file, long offset, long length) {}

    private final SegmentFiles files;
    private final long fileSize;
    private final Object allocationLock = new Object();
    private SegmentFile active;
    private long nextFileId;

    public BlockAllocator(SegmentFiles files, long fileSize, long firstFileId) {
        this.files = files;
        this.fileSize = fileSize;
        this.nextFileId = firstFileId;
    }

    /** Allocates {@code length} bytes (a multiple of the page size); the writer then holds the block. */
    public Allocation allocate(long length) {
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
            return new Allocation(file, offset, length);
        }
    }

    private void rollActiveFile(long blockLength) {
        SegmentFile previous = active;
        long length = FileHeader.BLOCKS_OFFSET + Math.max(fileSize, blockLength);
        active = files.create(nextFileId++, length);
        if (previous != null) {
            previous.markFullyAllocated();
        }
    }

    /** Engine close: the active file takes no more blocks (it is reopened as fully allocated anyway). */
    public void close() {
        synchronized (allocationLock) {
            active = null;
        }
    }
}

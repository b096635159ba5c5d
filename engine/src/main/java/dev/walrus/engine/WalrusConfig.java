package dev.walrus.engine;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to open a {@link Walrus}: the data directory, the default per-topic settings and the file geometry.
 *
 * <p>Defaults suit a developer broker: 64 MiB sparse segment files cut into 1 MiB blocks, so a thousand idle topics do
 * not preallocate gigabytes each.
 */
public final class WalrusConfig {

    public static final long DEFAULT_FILE_SIZE = 64L * 1024 * 1024;
    public static final int DEFAULT_BLOCK_SIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_ENTRY_SIZE = 64 * 1024 * 1024;
    /** Room kept for the writes that free space on a full disk (see {@code DiskSpace}). */
    public static final long DEFAULT_DISK_RESERVE = 8L * 1024 * 1024;

    private final Path dataDir;
    private final FsyncSchedule fsync;
    private final ReadConsistency readConsistency;
    private final long fileSize;
    private final int blockSize;
    private final int maxEntrySize;
    private final long diskReserve;

    private WalrusConfig(Builder b) {
        this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir is required");
        this.fsync = b.fsync;
        this.readConsistency = b.readConsistency;
        this.fileSize = b.fileSize;
        this.blockSize = b.blockSize;
        this.maxEntrySize = b.maxEntrySize;
        this.diskReserve = b.diskReserve;
        if (blockSize < 4096 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("blockSize must be a power of two of at least 4096, got " + blockSize);
        }
        if (fileSize < blockSize || fileSize % blockSize != 0) {
            throw new IllegalArgumentException("fileSize must be a multiple of blockSize (" + blockSize + "), got " + fileSize);
        }
        if (maxEntrySize < 1) {
            throw new IllegalArgumentException("maxEntrySize must be positive, got " + maxEntrySize);
        }
        if (diskReserve < 0) {
            throw new IllegalArgumentException("diskReserve must not be negative, got " + diskReserve);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path dataDir() { return dataDir; }

    public FsyncSchedule fsync() { return fsync; }

    public ReadConsistency readConsistency() { return readConsistency; }

    public long fileSize() { return fileSize; }

    public int blockSize() { return blockSize; }

    public int maxEntrySize() { return maxEntrySize; }

    /**
     * Bytes kept allocated in the data directory so that, on a full disk, topics can still be deleted, truncated and
     * configured (which is how space is freed); 0 for none.
     */
    public long diskReserve() { return diskReserve; }

    public TopicSettings defaultTopicSettings() {
        return new TopicSettings(fsync, readConsistency);
    }

    public static final class Builder {
        private Path dataDir;
        private FsyncSchedule fsync = FsyncSchedule.every(java.time.Duration.ofMillis(200));
        private ReadConsistency readConsistency = ReadConsistency.strictlyAtOnce();
        private long fileSize = DEFAULT_FILE_SIZE;
        private int blockSize = DEFAULT_BLOCK_SIZE;
        private int maxEntrySize = DEFAULT_MAX_ENTRY_SIZE;
        private long diskReserve = DEFAULT_DISK_RESERVE;

        private Builder() {}

        public Builder dataDir(Path dataDir) { this.dataDir = dataDir; return this; }

        public Builder fsync(FsyncSchedule fsync) { this.fsync = Objects.requireNonNull(fsync); return this; }

        public Builder readConsistency(ReadConsistency rc) { this.readConsistency = Objects.requireNonNull(rc); return this; }

        public Builder fileSize(long fileSize) { this.fileSize = fileSize; return this; }

        public Builder blockSize(int blockSize) { this.blockSize = blockSize; return this; }

        public Builder maxEntrySize(int maxEntrySize) { this.maxEntrySize = maxEntrySize; return this; }

        public Builder diskReserve(long bytes) { this.diskReserve = bytes; return this; }

        public WalrusConfig build() { return new WalrusConfig(this); }
    }
}

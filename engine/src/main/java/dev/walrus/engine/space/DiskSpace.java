package dev.walrus.engine.space;

import dev.walrus.engine.StorageFullException;
import dev.walrus.engine.alloc.NativeCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the data directory's file system is full, and the reserve that lets the writes which free space get
 * through when it is (at most a sixteenth of the file system).
 *
 * <p>Why a reserve: on a full disk the way out is to delete a topic, truncate one, or lower its retention, and each
 * of those is itself a small write (a metadata record). Without room for it a full disk could only be mended by hand.
 * So the engine keeps a file of {@code reserveBytes} allocated beside the segment files ({@value #RESERVE_FILE}); an
 * essential write that meets the full disk deletes it and tries again, once.
 *
 * <p>Why refuse at once while full: after the reserve is released, any ordinary append would take the space it gave
 * back, and the next essential write would meet the full disk again. So from the first write that meets the full
 * disk until the file system has the reserve plus {@code headroomBytes} free again, ordinary appends are refused
 * without a write ({@link StorageFullException}), and the file preparer stops zero-writing ahead. Each refusal looks
 * at the free space first (one {@code statvfs}), so appends resume as soon as space is freed; the reserve is then
 * allocated again before anything else.
 */
public final class DiskSpace {

    private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);

    /** The reserve's file name in the data directory. */
    public static final String RESERVE_FILE = "walrus.reserve";

    /** The reserve takes at most this fraction of the file system: a small volume or a test's tmpfs keeps its room. */
    static final long RESERVE_SHARE_LIMIT = 16;

    private static final int ENOSPC = 28;
    private static final String NO_SPACE = "no space left on device";

    private final Path dir;
    private final Path reserveFile;
    private final long reserveBytes;
    private final long headroomBytes;
    private final FileStore store;
    private volatile boolean full;
    /** Whether the reserve is allocated now; guarded by this. */
    private boolean reserved;

    private DiskSpace(Path dir, long reserveBytes, long headroomBytes, FileStore store) {
        this.dir = dir;
        this.reserveFile = dir.resolve(RESERVE_FILE);
        this.reserveBytes = reserveBytes;
        this.headroomBytes = headroomBytes;
        this.store = store;
    }

    /**
     * For the data directory {@code dir} (which exists): allocates the reserve if it is missing or short. A disk too
     * full for it is not an error here (a restart on a full disk must still serve reads): the engine then starts full,
     * and the reserve is allocated once space is freed.
     */
    public static DiskSpace open(Path dir, long reserveBytes, long headroomBytes) {
        FileStore store;
        try {
            store = Files.getFileStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of " + dir, e);
        }
        DiskSpace space = new DiskSpace(dir, Math.min(reserveBytes, totalOf(store) / RESERVE_SHARE_LIMIT),
                headroomBytes, store);
        synchronized (space) {
            try {
                space.allocateReserve();
            } catch (IOException e) {
                space.full = true;
                LOG.warn("the file system of {} is full ({} bytes free): appends are refused until space is freed, "
                        + "and the {}-byte reserve for deletions is allocated then ({})", dir, space.usable(),
                        space.reserveBytes, e.getMessage());
            }
        }
        return space;
    }

    /** Whether appends are being refused; one volatile read. */
    public boolean isFull() {
        return full;
    }

    /**
     * After a write failed: whether it met the full disk; if so the engine is full from now on (logged once per
     * episode), and the caller refuses, or releases the reserve for an essential write.
     */
    public boolean metFullDisk(Throwable failure) {
        if (!isFullDisk(failure)) {
            return false;
        }
        markFull(failure);
        return true;
    }

    /**
     * Whether {@code failure} of a write means the file system is full: an ENOSPC anywhere in its causes, or (for a
     * fault in a store through a mapping, which carries no errno) less than the headroom left.
     */
    private boolean isFullDisk(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StorageFullException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains(NO_SPACE)) {
                return true;
            }
        }
        long free = usable();
        return free >= 0 && free < headroomBytes; // unknown (the directory removed under the engine): not a full disk
    }

    /** Refuse ordinary appends from now on (logged once per episode). */
    private void markFull(Throwable cause) {
        if (!full) {
            synchronized (this) {
                if (!full) {
                    full = true;
                    LOG.warn("the file system of {} is full ({} bytes free): appends are refused until space is freed "
                            + "(delete topics or records, lower retention); reads go on ({})", dir, usable(),
                            cause.getMessage());
                }
            }
        }
    }

    /**
     * For an essential write that met the full disk: deletes the reserve, so that the write can be tried again.
     * Whether there was a reserve to delete.
     */
    public synchronized boolean releaseReserve() {
        if (!reserved) {
            return false;
        }
        try {
            Files.deleteIfExists(reserveFile);
        } catch (IOException e) {
            LOG.warn("could not delete the disk reserve {}", reserveFile, e);
            return false;
        }
        reserved = false;
        LOG.warn("released the {}-byte disk reserve of {} for a write that frees space or records metadata",
                reserveBytes, dir);
        return true;
    }

    /**
     * While full: whether the file system has the missing reserve plus the headroom free again; if so allocates the
     * reserve and accepts appends again. Costs one {@code statvfs} per call while full, nothing otherwise.
     */
    public boolean recovered() {
        if (!full) {
            return true;
        }
        synchronized (this) {
            if (!full) {
                return true;
            }
            long needed = (reserved ? 0 : reserveBytes) + headroomBytes;
            long free = usable();
            if (free >= 0 && free < needed) { // unknown: let the appends try, and fail on their own if they must
                return false;
            }
            try {
                allocateReserve();
            } catch (IOException e) {
                return false; // taken again meanwhile
            }
            full = false;
            LOG.info("the file system of {} has {} bytes free again: appends are accepted", dir, free);
            return true;
        }
    }

    /** The refusal of an ordinary append while full. */
    public StorageFullException refusal(String topic, Throwable cause) {
        Throwable root = cause instanceof UncheckedIOException u ? u.getCause() : cause;
        IOException io = root instanceof IOException e ? e
                : new IOException(NO_SPACE + " (" + usable() + " bytes free in " + dir + ")", cause);
        return new StorageFullException("append to topic " + topic + " refused: the file system of " + dir
                + " is full; nothing was written, and appends are accepted again once space is freed", io);
    }

    private static long totalOf(FileStore store) {
        try {
            return store.getTotalSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Bytes this process may still allocate there; -1 if the file system cannot be read. */
    private long usable() {
        try {
            return store.getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Makes the reserve file {@code reserveBytes} long and allocated (this held). */
    private void allocateReserve() throws IOException {
        if (reserveBytes == 0) {
            reserved = true;
            return;
        }
        if (Files.exists(reserveFile)) {
            if (Files.size(reserveFile) == reserveBytes) {
                reserved = true; // kept from the last run
                return;
            }
            Files.delete(reserveFile); // another size configured: fallocate only grows a file
        }
        try {
            if (!allocateNatively()) {
                zeroWrite();
            }
        } catch (IOException e) {
            Files.deleteIfExists(reserveFile); // a partial reserve holds space nobody can use
            throw e;
        }
        reserved = true;
    }

    /** {@code fallocate}: allocates without writing; false where the call is unavailable or refused but for ENOSPC. */
    private boolean allocateNatively() throws IOException {
        if (!NativeCalls.available()) {
            return false;
        }
        Files.newByteChannel(reserveFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
        int fd = NativeCalls.open(reserveFile, NativeCalls.O_WRONLY);
        try {
            var state = NativeCalls.newCallState();
            long rc = NativeCalls.call(state, NativeCalls.Sys.here().fallocate(), fd, 0, 0, reserveBytes, 0);
            if (rc == 0) {
                return true;
            }
            if (NativeCalls.errno(state) == ENOSPC) {
                throw new IOException(NO_SPACE + " allocating " + reserveFile);
            }
            return false;
        } finally {
            NativeCalls.close(fd, reserveFile);
        }
    }

    /** Where {@code fallocate} is missing: zeros, a megabyte at a time. */
    private void zeroWrite() throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(reserveBytes, 1024 * 1024));
        try (FileChannel out = FileChannel.open(reserveFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long at = 0; at < reserveBytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), reserveBytes - at));
                at += out.write(zeros, at);
            }
        }
    }
}

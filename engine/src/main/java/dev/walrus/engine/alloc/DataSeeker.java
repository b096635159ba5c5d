package dev.walrus.engine.alloc;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where a sparse segment file holds data, with {@code lseek(SEEK_DATA)} on a read-only descriptor (FFM).
 *
 * <p>Why: recovery looks for block headers page by page wherever there is no block, and a segment file is mostly hole
 * until it fills (64 MiB by default); files stay as long as any block in them is live (internal topics never let go
 * of theirs). Walking their holes page by page cost 40-60 ms per file in a fresh JVM (8 files: 310-500 ms of
 * recovery). Asking the file system where the next data lies skips the holes without touching them. It also tells
 * a restart whether the room after the newest file's last block needs punching before reuse
 * ({@link SegmentFile#resumeAllocationAt}).
 * Where the call is unavailable (another OS, native access denied, {@code -Dwalrus.seekData.disabled=true}) or the
 * file system does not know holes, every offset counts as data: the page walk as before.
 */
public final class DataSeeker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataSeeker.class);
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final boolean AVAILABLE =
            !Boolean.getBoolean("walrus.seekData.disabled") && NativeCalls.available();

    /** -1 when holes are unknown here: every offset is data. */
    private final int fd;
    private final Path path;
    /** The errno slot of this seeker's calls (never read: a failure means "unsure"); null without a descriptor. */
    private final MemorySegment callState;

    private DataSeeker(int fd, Path path) {
        this.fd = fd;
        this.path = path;
        this.callState = fd < 0 ? null : NativeCalls.newCallState();
    }

    /** A seeker over {@code path}; one that knows no holes if the file cannot be opened for it. */
    public static DataSeeker open(Path path) {
        if (!AVAILABLE) {
            return new DataSeeker(-1, path);
        }
        try {
            return new DataSeeker(NativeCalls.open(path, NativeCalls.O_RDONLY), path);
        } catch (IOException e) {
            LOG.debug("cannot open {} to look for holes", path, e);
            return new DataSeeker(-1, path);
        }
    }

    /**
     * The first offset at or after {@code offset} that holds data ({@code offset} itself when unsure), or -1 if only
     * hole follows. File systems track data in blocks, so the answer may lie up to a block before the first written
     * byte.
     */
    public long nextData(long offset) {
        if (fd < 0) {
            return offset;
        }
        try {
            long lseek = NativeCalls.Sys.here().lseek();
            long at = NativeCalls.call(callState, lseek, fd, offset, SEEK_DATA, 0, 0);
            if (at >= 0) {
                return at;
            }
            // SEEK_DATA failed: ENXIO (hole to the end) or an error. SEEK_HOLE at the same offset succeeds exactly
            // when the offset is inside the file, which with ENXIO means hole to the end; anything else: unsure.
            return NativeCalls.call(callState, lseek, fd, offset, SEEK_HOLE, 0, 0) >= 0 ? -1 : offset;
        } catch (RuntimeException e) {
            return offset;
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            NativeCalls.close(fd, path);
        }
    }
}

package dev.walrus.engine.alloc;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
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
 *
 * <p>It also finds the first non-zero byte of a stretch ({@link #firstNonZero}), by {@code pread}, not through the
 * mapping: on a full tmpfs reading a hole through a mapping needs a page, and without one it is a SIGBUS, which the
 * JVM aborts on inside its vectorised compare; {@code read} returns the hole's zeros.
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
    /** For {@link #firstNonZero}; null if the file cannot be opened (then every stretch counts as data). */
    private final FileChannel reader;
    private ByteBuffer chunk;

    private DataSeeker(int fd, Path path) {
        this.fd = fd;
        this.path = path;
        this.callState = fd < 0 ? null : NativeCalls.newCallState();
        this.reader = openReader(path);
    }

    private static FileChannel openReader(Path path) {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            LOG.debug("cannot open {} to read it", path, e);
            return null;
        }
    }

    /** The most bytes one {@link #firstNonZero} call looks at. */
    public static final int CHUNK = 64 * 1024;
    private static final byte[] ZEROS = new byte[CHUNK];

    /**
     * The offset of the first non-zero byte in {@code [offset, offset + length)} ({@code length} at most
     * {@link #CHUNK}), -1 if all are zero, {@code offset} itself if unsure (the file cannot be read here).
     */
    public long firstNonZero(long offset, int length) {
        if (reader == null) {
            return offset;
        }
        if (chunk == null) {
            chunk = ByteBuffer.allocate(CHUNK);
        }
        chunk.clear().limit(length);
        try {
            while (chunk.hasRemaining()) {
                if (reader.read(chunk, offset + chunk.position()) < 0) {
                    break; // past the end: nothing more to find
                }
            }
        } catch (IOException e) {
            return offset;
        }
        int differs = Arrays.mismatch(chunk.array(), 0, chunk.position(), ZEROS, 0, chunk.position());
        return differs < 0 ? -1 : offset + differs;
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
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                LOG.debug("cannot close a reader of {}", path, e);
            }
        }
    }
}

package dev.walrus.engine.alloc;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Writes a direct buffer into a segment file with {@code pwrite(2)} on a descriptor of its own, called through the
 * FFM linker.
 *
 * <p>Why: a store through the mapping into a page the file has never held first makes the kernel allocate that page
 * and zero it (in a fault, or by the preparer's zero-write), and only then copies the data over the zeros. A
 * {@code pwrite} that covers whole pages skips the zeroing: for a Kafka batch of 16 KiB that is four of its five pages.
 * The page cache is shared, so readers see the bytes through the mapping as soon as the call returns.
 *
 * <p>Why not {@link java.nio.channels.FileChannel#write(ByteBuffer, long)}: an interrupt during a channel operation
 * closes the channel for every thread, and the flusher's fsyncs go through that channel. A native descriptor has no
 * such rule. Where the linker is unavailable (another OS, native access denied) {@link #available()} is false and
 * every append goes through the mapping.
 */
public final class PositionalWriter implements AutoCloseable {

    private static final MethodHandle PWRITE = Boolean.getBoolean("walrus.writeThrough.disabled")
            || !NativeCalls.descriptorsAvailable() ? null : NativeCalls.downcall("pwrite",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.captureCallState("errno"));

    private final Path path;
    /**
     * The descriptor; -1 once closed. The owning {@link SegmentFile} closes it only when no writer holds a pin, so a
     * write never sees a descriptor number the process has meanwhile reused for another file.
     */
    private volatile int fd;

    private PositionalWriter(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    public static boolean available() {
        return PWRITE != null;
    }

    /** Room for the errno of one call: each writer thread (here: each topic's writer) keeps its own. */
    public static MemorySegment newCallState() {
        return NativeCalls.newCallState();
    }

    /** Opens {@code path} for writing (it must exist). */
    static PositionalWriter open(Path path) throws IOException {
        if (!available()) {
            throw new IOException("pwrite is unavailable here");
        }
        return new PositionalWriter(path, NativeCalls.open(path, NativeCalls.O_WRONLY));
    }

    /**
     * Writes every remaining byte of {@code src} (a direct buffer; its position does not move) at {@code offset}.
     * Called by one writer at a time per range (the block's owner), concurrently with other ranges; {@code state}
     * from {@link #newCallState()}, the caller's own.
     */
    void write(ByteBuffer src, long offset, MemorySegment state) throws IOException {
        MemorySegment from = MemorySegment.ofBuffer(src);
        long length = from.byteSize();
        long done = 0;
        int fd = this.fd;
        if (fd < 0) {
            throw new IOException(path + " is closed");
        }
        while (done < length) {
            long n;
            try {
                n = (long) PWRITE.invokeExact(state, fd, from.asSlice(done), length - done, offset + done);
            } catch (Throwable e) {
                throw new IOException("pwrite to " + path + " failed", e);
            }
            if (n < 0) {
                int errno = NativeCalls.errno(state);
                if (errno == 4) { // EINTR
                    continue;
                }
                throw new IOException("write to " + path + " at " + (offset + done) + " failed: "
                        + (errno == 28 ? "no space left on device" : "errno " + errno));
            }
            done += n;
        }
    }

    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;
    private static final MethodHandle FALLOCATE = PWRITE == null ? null : NativeCalls.downcall("fallocate",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

    /**
     * Makes {@code [offset, offset + length)} a hole again with {@code fallocate(PUNCH_HOLE | KEEP_SIZE)}: the file
     * keeps its size, the range reads as zeros and uses no disk. False where the call is missing or refused.
     */
    boolean punchHole(long offset, long length) {
        int fd = this.fd;
        if (fd < 0 || FALLOCATE == null) {
            return false;
        }
        try {
            return (int) FALLOCATE.invokeExact(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    /** Only when no write is under way (see {@link #fd}). */
    @Override
    public synchronized void close() {
        if (fd >= 0) {
            NativeCalls.close(fd, path);
            fd = -1;
        }
    }
}

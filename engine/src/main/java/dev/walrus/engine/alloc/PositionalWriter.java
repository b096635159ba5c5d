package dev.walrus.engine.alloc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Writes a direct buffer into a segment file with {@code pwrite(2)} (or a frame header and its payload with one
 * {@code pwritev(2)}) on a descriptor of its own, called through the FFM linker.
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

    private static final boolean AVAILABLE =
            !Boolean.getBoolean("walrus.writeThrough.disabled") && NativeCalls.available();

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
        return AVAILABLE;
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
        writeFully(MemorySegment.ofBuffer(src), offset, state);
    }

    /** Writes all of {@code from} at {@code offset} with {@code pwrite}, resuming after short writes and EINTR. */
    private void writeFully(MemorySegment from, long offset, MemorySegment state) throws IOException {
        long length = from.byteSize();
        long done = 0;
        int fd = descriptor();
        if (!from.isNative()) {
            throw new IllegalArgumentException("pwrite needs native memory (a direct buffer), got " + from);
        }
        long pwrite = NativeCalls.Sys.here().pwrite();
        while (done < length) {
            long n = NativeCalls.call(state, pwrite, fd, from.address() + done, length - done, offset + done, 0);
            if (n < 0) {
                checkRetryable(state, offset + done);
                continue;
            }
            done += n;
        }
        Reference.reachabilityFence(from); // the call took its address only
    }

    /**
     * Writes {@code header} (a {@link WriteScratch}'s header bytes) immediately followed by every remaining byte of
     * {@code payload} (a direct buffer; its position does not move) at {@code offset}, with one {@code pwritev}. Why
     * one call for both: storing the header through the mapping instead faults the page into the writer's page table
     * (and again after each writeback has write-protected it): 6,850 page faults per 1M x 100 B produced at acks=1
     * against 220, and about 15% of the broker's CPU in that case. Same caller contract as {@link #write}, with
     * {@code scratch.callState()} as the errno slot.
     */
    void writeWithHeader(WriteScratch scratch, ByteBuffer payload, long offset) throws IOException {
        MemorySegment state = scratch.callState();
        MemorySegment header = scratch.header();
        MemorySegment body = MemorySegment.ofBuffer(payload);
        long total = header.byteSize() + body.byteSize();
        MemorySegment iov = scratch.iov();
        iov.set(ValueLayout.ADDRESS, 0, header);
        iov.set(ValueLayout.JAVA_LONG, 8, header.byteSize());
        iov.set(ValueLayout.ADDRESS, 16, body);
        iov.set(ValueLayout.JAVA_LONG, 24, body.byteSize());
        int fd = descriptor();
        long n;
        long pwritev = NativeCalls.Sys.here().pwritev();
        for (;;) {
            // the kernel's pwritev takes the offset as two words, low and high; on 64 bits the high one is unused
            n = NativeCalls.call(state, pwritev, fd, iov.address(), 2, offset, 0);
            if (n >= 0) {
                break;
            }
            checkRetryable(state, offset);
        }
        Reference.reachabilityFence(body); // iov holds the addresses of header and body only
        Reference.reachabilityFence(iov);
        if (n < total) { // a short write (a signal, a nearly full disk): the rest one part at a time
            try {
                if (n < header.byteSize()) {
                    writeFully(header.asSlice(n), offset + n, state);
                }
                long bodyDone = Math.max(0, n - header.byteSize());
                writeFully(body.asSlice(bodyDone), offset + header.byteSize() + bodyDone, state);
            } catch (IOException e) {
                unwriteHeader(header, offset, state, e);
                throw e;
            }
        }
    }

    /**
     * After a frame's payload could not be written in full: zeros over its header, which did reach the file, so that
     * the block still ends before this frame (on disk as in memory) and recovery never reads the payload's pages,
     * which on a full tmpfs cannot even be read (SIGBUS). The header's page holds written bytes, so this small write
     * needs no new space.
     */
    private void unwriteHeader(MemorySegment header, long offset, MemorySegment state, IOException cause) {
        header.fill((byte) 0);
        try {
            writeFully(header, offset, state);
        } catch (IOException again) {
            cause.addSuppressed(again);
        }
    }

    /**
     * One writer's native memory for its calls, reused for every one (no allocation per append): the errno slot of
     * every call ({@link #newCallState()}), and for {@link #writeWithHeader} the frame header to write and the
     * two-entry {@code iovec} array.
     */
    public record WriteScratch(MemorySegment callState, MemorySegment header, MemorySegment iov) {

        public static WriteScratch of(int headerLength) {
            MemorySegment memory = Arena.ofAuto().allocate(IOVEC_PAIR_BYTES + headerLength, 8);
            return new WriteScratch(newCallState(), memory.asSlice(IOVEC_PAIR_BYTES, headerLength),
                    memory.asSlice(0, IOVEC_PAIR_BYTES));
        }
    }

    /** Two {@code struct iovec} (a pointer and a {@code size_t} each) on 64-bit Linux. */
    private static final int IOVEC_PAIR_BYTES = 32;

    private int descriptor() throws IOException {
        int fd = this.fd;
        if (fd < 0) {
            throw new IOException(path + " is closed");
        }
        return fd;
    }

    /** After a failed call: returns when it may be retried (EINTR), else throws with the errno's meaning. */
    private void checkRetryable(MemorySegment state, long at) throws IOException {
        int errno = NativeCalls.errno(state);
        if (errno == 4) { // EINTR
            return;
        }
        throw new IOException("write to " + path + " at " + at + " failed: "
                + (errno == 28 ? "no space left on device" : "errno " + errno));
    }

    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;

    /**
     * Makes {@code [offset, offset + length)} a hole again with {@code fallocate(PUNCH_HOLE | KEEP_SIZE)}: the file
     * keeps its size, the range reads as zeros and uses no disk. False where the call is missing or refused.
     */
    boolean punchHole(long offset, long length) {
        int fd = this.fd;
        if (fd < 0) {
            return false;
        }
        try {
            return NativeCalls.call(newCallState(), NativeCalls.Sys.here().fallocate(), fd,
                    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length, 0) == 0;
        } catch (RuntimeException e) {
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

package dev.walrus.engine.alloc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's few Linux system calls through the FFM linker, in one place: finding a function ({@link #downcall}),
 * the errno of a call ({@link #newCallState}, {@link #errno}), and a descriptor of a file's own ({@link #open},
 * {@link #close}) for the calls that take one. Each user ({@link PositionalWriter}, {@link DataSeeker}, the flusher's
 * futex) falls back to plain Java where its call is missing: another OS, native access denied, or switched off.
 */
public final class NativeCalls {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCalls.class);
    private static final int O_CLOEXEC = 0x80000;
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final boolean LINUX =
            System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;

    private NativeCalls() {}

    /**
     * A handle on the C library function {@code name}, or null where there is none to have: not Linux, the function
     * missing, or native access denied. A caller passing {@code captureCallState("errno")} gets the errno slot as
     * the handle's first argument.
     */
    public static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        if (!LINUX) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find(name).map(a -> linker.downcallHandle(a, descriptor, options))
                    .orElse(null);
        } catch (Throwable e) { // IllegalCallerException (native access denied), UnsupportedOperationException, ...
            LOG.debug("{} through FFM unavailable", name, e);
            return null;
        }
    }

    /** Whether {@link #open} and {@link #close} work here. */
    public static boolean descriptorsAvailable() {
        return OPEN != null && CLOSE != null;
    }

    /** Room for the errno of one call at a time: each thread that makes such calls keeps its own. */
    public static MemorySegment newCallState() {
        return Arena.ofAuto().allocate(CALL_STATE);
    }

    /** The errno that the last call through {@code callState} left. */
    public static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** A descriptor of {@code path} (which must exist) with {@code flags} ({@link #O_RDONLY}, {@link #O_WRONLY}). */
    public static int open(Path path, int flags) throws IOException {
        if (!descriptorsAvailable()) {
            throw new IOException("open through FFM is unavailable here");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), flags | O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("cannot open " + path + ": errno " + errno(state));
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("cannot open " + path, e);
        }
    }

    /** Closes a descriptor from {@link #open}; a failure is logged, there is nothing else to do about it. */
    public static void close(int fd, Path path) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            LOG.warn("could not close a descriptor of {}", path, e);
        }
    }
}

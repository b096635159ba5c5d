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
import java.lang.ref.Reference;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's few Linux system calls, in one place: every one goes through the C library's {@code syscall(2)},
 * linked once through the FFM linker, with its number from {@link Sys} and its errno captured ({@link #newCallState},
 * {@link #errno}). Each user ({@link PositionalWriter}, {@link DataSeeker}, the flusher's futex) falls back to plain
 * Java where {@link #available()} is false: another OS or architecture, native access denied, or switched off.
 *
 * <p>Why one generic call rather than a handle per C function: the linker builds each distinct call shape at run time
 * (argument moves, a native stub, specialised method handles; classes the start-up cache cannot hold), several
 * milliseconds of CPU apiece, while handles of one shape share that work: seven shapes (open, close, pwrite, pwritev,
 * fallocate, lseek, futex) were about 60 ms of the broker's start on two cores, competing with recovery and the JIT
 * (docs/PERFORMANCE.md, fourteenth session).
 *
 * <p>Arguments are machine words: pointers go as addresses, so a caller must keep the memory they point into reachable
 * until the call returns ({@link Reference#reachabilityFence}), which a segment argument would have done for it.
 */
public final class NativeCalls {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCalls.class);
    private static final long O_CLOEXEC = 0x80000;
    private static final long AT_FDCWD = -100;
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** {@code long syscall(long number, ...)} with five word arguments and the errno captured; null if unavailable. */
    private static final MethodHandle SYSCALL = Sys.NUMBERS == null ? null : link();

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;

    private NativeCalls() {}

    /**
     * The system call numbers of this machine's architecture (x86-64 has its own table; AArch64, RISC-V and
     * LoongArch share the kernel's generic one); null elsewhere, and then nothing here is available.
     */
    public record Sys(long lseek, long pwrite, long pwritev, long openat, long close, long fallocate, long futex) {

        static final Sys NUMBERS = forArch(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));

        private static Sys forArch(String os, String arch) {
            if (!os.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                return null;
            }
            return switch (arch) {
                case "amd64", "x86_64" -> new Sys(8, 18, 296, 257, 3, 285, 202);
                // the kernel's generic table (asm-generic/unistd.h), which these architectures share
                case "aarch64", "riscv64", "loongarch64" -> new Sys(62, 68, 70, 56, 57, 47, 98);
                default -> null;
            };
        }

        /** The numbers of this machine; only when {@link #available()}. */
        public static Sys here() {
            return NUMBERS;
        }
    }

    private static MethodHandle link() {
        try {
            Linker linker = Linker.nativeLinker();
            FunctionDescriptor words = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG);
            return linker.defaultLookup().find("syscall").map(a -> linker.downcallHandle(a, words,
                    Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"))).orElse(null);
        } catch (Throwable e) { // IllegalCallerException (native access denied), UnsupportedOperationException, ...
            LOG.debug("system calls through FFM unavailable", e);
            return null;
        }
    }

    /** Whether {@link #call} works here. */
    public static boolean available() {
        return SYSCALL != null;
    }

    /**
     * System call {@code number} with five word arguments (unused ones 0): its result, or -1 with the errno in
     * {@code state} ({@link #errno}). {@code state} from {@link #newCallState()}, used by one thread at a time unless
     * its errno is never read.
     */
    public static long call(MemorySegment state, long number, long a, long b, long c, long d, long e) {
        try {
            return (long) SYSCALL.invokeExact(state, number, a, b, c, d, e);
        } catch (RuntimeException | Error x) {
            throw x;
        } catch (Throwable x) {
            throw new IllegalStateException("system call " + number + " failed", x);
        }
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
        if (!available()) {
            throw new IOException("open through FFM is unavailable here");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment name = arena.allocateFrom(path.toString());
            long fd = call(state, Sys.NUMBERS.openat(), AT_FDCWD, name.address(), flags | O_CLOEXEC, 0, 0);
            if (fd < 0) {
                throw new IOException("cannot open " + path + ": errno " + errno(state));
            }
            return (int) fd;
        } catch (RuntimeException e) {
            throw new IOException("cannot open " + path, e);
        }
    }

    /** Closes a descriptor from {@link #open}; a failure is logged, there is nothing else to do about it. */
    public static void close(int fd, Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            if (call(state, Sys.NUMBERS.close(), fd, 0, 0, 0, 0) < 0) {
                LOG.warn("could not close a descriptor of {}: errno {}", path, errno(state));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not close a descriptor of {}", path, e);
        }
    }
}

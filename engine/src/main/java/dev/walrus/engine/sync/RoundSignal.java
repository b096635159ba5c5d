package dev.walrus.engine.sync;

import dev.walrus.engine.alloc.NativeCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Blocks platform threads until the flusher has completed a given round, and wakes all of them with one
 * {@code futex(FUTEX_WAKE)} system call (Linux, through the FFM linker).
 *
 * <p>Why: with 64 writers waiting for one fsync, waking them one by one (an unpark each, or each woken thread waking
 * the next) puts 64 wake-ups in a row between two fsyncs; on this 2-core VM that chain took longer than the fsync
 * itself. One broadcast makes them all runnable at once, as {@code pthread_cond_broadcast} does. Where the call is
 * unavailable {@link #available()} is false and callers wait on the round's latch instead; virtual threads always
 * do (a native wait would hold their carrier).
 */
final class RoundSignal {

    private static final long SYS_FUTEX = 202; // x86_64
    private static final long FUTEX_WAIT_PRIVATE = 128;
    private static final long FUTEX_WAKE_PRIVATE = 1 | 128;
    private static final MethodHandle SYSCALL = lookup();
    private static final VarHandle WORD = ValueLayout.JAVA_INT.varHandle();

    /** Low 32 bits of the completed round count: what waiters sleep on. */
    private final MemorySegment word = Arena.ofAuto().allocate(ValueLayout.JAVA_INT);
    private volatile long completed;

    private static MethodHandle lookup() {
        if (!"amd64".equals(System.getProperty("os.arch")) || Boolean.getBoolean("walrus.futex.disabled")) {
            return null;
        }
        return NativeCalls.downcall("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
    }

    static boolean available() {
        return SYSCALL != null;
    }

    long completed() {
        return completed;
    }

    /** Flusher: rounds up to {@code round} are complete; wakes every waiter. */
    void complete(long round) {
        completed = round;
        WORD.setVolatile(word, 0L, (int) round);
        try {
            long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, word.address(), FUTEX_WAKE_PRIVATE,
                    (long) Integer.MAX_VALUE, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("futex wake failed", e);
        }
    }

    /** A platform thread: returns once round {@code round} is complete. */
    void await(long round) {
        while (completed < round) {
            int seen = (int) WORD.getVolatile(word, 0L);
            if (completed >= round) {
                return;
            }
            try {
                // returns at once if the word moved since we read it (EAGAIN), on a wake, or spuriously: re-check
                long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, word.address(), FUTEX_WAIT_PRIVATE,
                        (long) seen, 0L);
            } catch (Throwable e) {
                throw new IllegalStateException("futex wait failed", e);
            }
        }
    }
}

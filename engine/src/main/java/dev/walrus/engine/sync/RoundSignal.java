package dev.walrus.engine.sync;

import dev.walrus.engine.alloc.NativeCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

    private static final long FUTEX_WAIT_PRIVATE = 128;
    private static final long FUTEX_WAKE_PRIVATE = 1 | 128;
    private static final boolean AVAILABLE = !Boolean.getBoolean("walrus.futex.disabled") && NativeCalls.available();
    private static final VarHandle WORD = ValueLayout.JAVA_INT.varHandle();

    /** Low 32 bits of the completed round count: what waiters sleep on. */
    private final MemorySegment word = Arena.ofAuto().allocate(ValueLayout.JAVA_INT);
    /**
     * The errno slot of every futex call, shared by all waiters: never read (a wait re-checks the round whatever the
     * call returned), so threads that write it at once do no harm.
     */
    private final MemorySegment ignoredErrno = NativeCalls.newCallState();
    private final long futex = AVAILABLE ? NativeCalls.Sys.here().futex() : -1;
    private volatile long completed;

    static boolean available() {
        return AVAILABLE;
    }

    long completed() {
        return completed;
    }

    /** Flusher: rounds up to {@code round} are complete; wakes every waiter. */
    void complete(long round) {
        completed = round;
        WORD.setVolatile(word, 0L, (int) round);
        NativeCalls.call(ignoredErrno, futex, word.address(), FUTEX_WAKE_PRIVATE, Integer.MAX_VALUE, 0, 0);
    }

    /** A platform thread: returns once round {@code round} is complete. */
    void await(long round) {
        while (completed < round) {
            int seen = (int) WORD.getVolatile(word, 0L);
            if (completed >= round) {
                return;
            }
            // returns at once if the word moved since we read it (EAGAIN), on a wake, or spuriously: re-check
            NativeCalls.call(ignoredErrno, futex, word.address(), FUTEX_WAIT_PRIVATE, seen, 0, 0);
        }
    }
}

package dev.walrus.engine.sync;

import dev.walrus.engine.alloc.SegmentFile;
import dev.walrus.engine.alloc.SegmentFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that fsyncs segment files: group commit for {@code syncEach} appends and {@link #syncAsync()}
 * callers, and the periodic flush for topics on an {@code every(d)} schedule.
 *
 * <p>Group commit: a caller joins the next {@link Round}; the flusher takes that round as a whole, then fsyncs each
 * file written since its previous round (clearing the file's dirty flag before the fsync), then completes it. A caller
 * that joined after its append returned is served by a round that starts after that append's bytes were written, so
 * its fsync covers them; callers arriving during a round share the next one. A round that has fewer callers than
 * the last one waits a little for the rest (at most one fsync's time, see {@link #gather}), so that writers released
 * together also share the next fsync instead of splitting into two half-full rounds.
 *
 * <p>Two ways to join: {@link #syncAsync()} (a future, completed on this thread; the Kafka adapter's acks=all) and
 * {@link #awaitSync()} (blocks; the engine's {@code syncEach} appends). Blocked platform threads sleep on one futex
 * word that the flusher bumps and broadcasts once per round ({@link RoundSignal}); virtual threads, or any thread
 * where that is unavailable, wait on the round's latch, whose release wakes one waiter that wakes the next. Either
 * way the flusher pays one wake-up per round, not one per writer.
 */
public final class Flusher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
    /** The longest a round waits to gather callers, whatever an fsync costs. */
    private static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final SegmentFiles files;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /** The round the next fsync serves; guarded by {@link #lock}. */
    private Round next = new Round(1);
    private final RoundSignal signal = RoundSignal.available() ? new RoundSignal() : null;
    /** Smallest every(d) interval among topics, in nanos; 0 = no timed flushing. */
    private long periodNanos;
    /** Set by appends to every(d) topics; the next periodic tick fsyncs when set. */
    private volatile boolean timedDirty;
    private boolean stopping;
    private final Thread thread;
    private volatile long rounds;
    /** Lock held: how many callers the round being gathered waits for (the last round's count); 0 when not gathering. */
    private int gatherTarget;
    /** The last round's fsync time (flusher thread only): the longest a round waits to gather its callers. */
    private long lastFsyncNanos;
    /** When a caller last joined a round (0: never); written under {@link #lock}, read anywhere. */
    private volatile long lastJoinNanos;
    /** How recent a waiting caller must be for {@link #fsyncsAwaited}. */
    private static final long DEMAND_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    public Flusher(SegmentFiles files, String name) {
        this.files = files;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /** One fsync round and the callers it serves. */
    private static final class Round {
        /** 1 for the first round, then one more each. */
        final long id;
        final CountDownLatch done = new CountDownLatch(1);
        final List<CompletableFuture<Void>> futures = new ArrayList<>();
        /** Callers waiting for this round (futures and blocked callers). */
        int joiners;
        /** Set before {@link #done} is released; read after it. */
        RuntimeException failure;

        Round(long id) {
            this.id = id;
        }

        /** Someone waits for this round: the flusher must run it. */
        boolean wanted() {
            return joiners > 0;
        }
    }

    /** Completes once every append that returned before this call is durable. Never blocks. */
    public CompletableFuture<Void> syncAsync() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        lock.lock();
        try {
            if (stopping) {
                f.completeExceptionally(new IllegalStateException("Walrus is closed"));
                return f;
            }
            next.futures.add(f);
            join();
        } finally {
            lock.unlock();
        }
        return f;
    }

    /**
     * Returns once every append that returned before this call is durable; throws what the fsync threw. Blocks
     * (uninterruptibly: an interrupt cannot undo the append, only hide whether it is durable; the flag is restored).
     */
    public void awaitSync() {
        Round round;
        lock.lock();
        try {
            if (stopping) {
                throw new IllegalStateException("Walrus is closed");
            }
            round = next;
            join();
        } finally {
            lock.unlock();
        }
        if (signal != null && !Thread.currentThread().isVirtual()) {
            signal.await(round.id);
        } else {
            awaitLatch(round);
        }
        if (round.failure != null) {
            throw round.failure;
        }
    }

    private static void awaitLatch(Round round) {
        boolean interrupted = false;
        for (;;) {
            try {
                round.done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Lock held: counts the caller into the next round; wakes the flusher if it is the first to ask, or if it completes
     * the gathering the flusher waits for (see {@link #gather}).
     */
    private void join() {
        lastJoinNanos = System.nanoTime();
        next.joiners++;
        if (next.joiners == 1 || next.joiners == gatherTarget) {
            work.signal();
        }
    }

    /**
     * Whether a caller waited for an fsync ({@link #syncAsync}, {@link #awaitSync}) within the last
     * {@link #DEMAND_WINDOW_NANOS}: the allocator then makes the pages it prepares durable ahead of the writers (see
     * {@code BlockAllocator#prepareTo}). Periodic flushes do not count: nobody waits for them.
     */
    public boolean fsyncsAwaited() {
        long last = lastJoinNanos;
        return last != 0 && System.nanoTime() - last < DEMAND_WINDOW_NANOS;
    }

    /** An append to an every(d) topic happened: the next tick fsyncs. Cheap when already set. */
    public void timedAppend() {
        if (!timedDirty) {
            timedDirty = true;
        }
    }

    /** Sets the periodic flush interval (the smallest every(d) among topics), 0 for none. */
    public void period(long nanos) {
        lock.lock();
        try {
            periodNanos = nanos;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    public long rounds() {
        return rounds;
    }

    private void run() {
        long nextTick = 0;
        int lastJoiners = 0;
        for (;;) {
            Round round;
            lock.lock();
            try {
                for (;;) {
                    if (next.wanted() || stopping) {
                        break;
                    }
                    if (periodNanos > 0) {
                        long now = System.nanoTime();
                        if (nextTick == 0) {
                            nextTick = now + periodNanos;
                        }
                        if (now - nextTick >= 0) {
                            nextTick = now + periodNanos;
                            if (timedDirty) {
                                break;
                            }
                            continue;
                        }
                        work.awaitNanos(nextTick - now);
                    } else {
                        nextTick = 0;
                        work.await();
                    }
                }
                if (next.wanted() && !stopping) {
                    gather(lastJoiners);
                }
                round = next;
                next = new Round(round.id + 1);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            timedDirty = false;
            RuntimeException failure = null;
            long fsyncStart = System.nanoTime();
            try {
                for (SegmentFile f : files.live()) {
                    f.forceIfDirty();
                }
                lastFsyncNanos = System.nanoTime() - fsyncStart;
            } catch (RuntimeException e) {
                LOG.error("fsync failed", e);
                failure = e;
            }
            rounds++;
            lastJoiners = round.joiners;
            round.failure = failure;
            round.done.countDown();
            if (signal != null) {
                signal.complete(round.id);
            }
            for (CompletableFuture<Void> f : round.futures) {
                if (failure == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(failure);
                }
            }
            lock.lock();
            try {
                if (stopping && !next.wanted()) {
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Lock held, the round wanted: lets it gather up to {@code expected} callers (the last round's), waiting at most
     * one fsync's time. Why: the callers the last round released come back within a few tens of microseconds, but the
     * first of them would otherwise start this round alone, leaving the rest for the next one; with 64 writers the
     * rounds then settle into two half-full groups. A lone writer is never kept waiting (it is its round's only caller).
     */
    private void gather(int expected) throws InterruptedException {
        if (next.joiners >= expected || lastFsyncNanos <= 0) {
            return;
        }
        gatherTarget = expected;
        try {
            long left = Math.min(lastFsyncNanos, MAX_GATHER_NANOS);
            while (next.joiners < expected && left > 0 && !stopping) {
                left = work.awaitNanos(left);
            }
        } finally {
            gatherTarget = 0;
        }
    }

    /** Serves every queued request, fsyncs once more, and stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            stopping = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

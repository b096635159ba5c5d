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
 * its fsync covers them; callers arriving during a round share the next one.
 *
 * <p>Two ways to join: {@link #syncAsync()} (a future, completed on this thread; the Kafka adapter's acks=all) and
 * {@link #awaitSync()} (blocks; the engine's {@code syncEach} appends). Blocked platform threads sleep on one futex
 * word that the flusher bumps and broadcasts once per round ({@link RoundSignal}); virtual threads, or any thread
 * where that is unavailable, wait on the round's latch, whose release wakes one waiter that wakes the next. Either
 * way the flusher pays one wake-up per round, not one per writer.
 */
public final class Flusher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

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
        /** Someone waits for this round (a future or a blocked caller). */
        boolean requested;
        /** Set before {@link #done} is released; read after it. */
        RuntimeException failure;

        Round(long id) {
            this.id = id;
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
            request();
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
            request();
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

    /** Lock held: marks the next round as wanted and wakes the flusher if it is the first to ask. */
    private void request() {
        if (!next.requested) {
            next.requested = true;
            work.signal();
        }
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
        for (;;) {
            Round round;
            lock.lock();
            try {
                for (;;) {
                    if (next.requested || stopping) {
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
                round = next;
                next = new Round(round.id + 1);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            timedDirty = false;
            RuntimeException failure = null;
            try {
                for (SegmentFile f : files.live()) {
                    f.forceIfDirty();
                }
            } catch (RuntimeException e) {
                LOG.error("fsync failed", e);
                failure = e;
            }
            rounds++;
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
                if (stopping && !next.requested) {
                    return;
                }
            } finally {
                lock.unlock();
            }
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

package dev.walrus.engine.sync;

import dev.walrus.engine.alloc.SegmentFile;
import dev.walrus.engine.alloc.SegmentFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that fsyncs segment files: group commit for {@code syncEach} appends and {@link #syncAsync()}
 * callers, and the periodic flush for topics on an {@code every(d)} schedule.
 *
 * <p>Group commit: a caller enqueues a future; the flusher takes every queued future at once, then fsyncs each file
 * written since its previous round (clearing the file's dirty flag before the fsync), then completes them all. A
 * future enqueued after an append returned is served by a round that starts after that append's bytes were written,
 * so its fsync covers them; callers arriving during a round share the next one.
 */
public final class Flusher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

    private final SegmentFiles files;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private List<CompletableFuture<Void>> pending = new ArrayList<>();
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

    /** Completes once every append that returned before this call is durable. Never blocks. */
    public CompletableFuture<Void> syncAsync() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        lock.lock();
        try {
            if (stopping) {
                f.completeExceptionally(new IllegalStateException("Walrus is closed"));
                return f;
            }
            pending.add(f);
            work.signal();
        } finally {
            lock.unlock();
        }
        return f;
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
            List<CompletableFuture<Void>> batch;
            lock.lock();
            try {
                for (;;) {
                    if (!pending.isEmpty() || stopping) {
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
                batch = pending;
                pending = new ArrayList<>();
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
            for (CompletableFuture<Void> f : batch) {
                if (failure == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(failure);
                }
            }
            lock.lock();
            try {
                if (stopping && pending.isEmpty()) {
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

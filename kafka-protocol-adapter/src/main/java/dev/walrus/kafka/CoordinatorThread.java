package dev.walrus.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one thread that owns a coordinator's state (the group coordinator's, the transaction coordinator's) and its
 * timers.
 *
 * <p>Single writer: the state is touched only from tasks run here, so it needs no locks. Requests arrive from network
 * threads through {@link #call}; a task never blocks (what waits for an fsync continues on this thread when the
 * fsync completes, through {@link #executor()}). Timers are plain scheduled tasks that re-check the state they were
 * armed for when they fire, so nothing is ever cancelled: a stale timer simply finds nothing to do.
 */
public class CoordinatorThread implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorThread.class);

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    public CoordinatorThread(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Milliseconds on a monotonic clock: deadlines only, never wall time. */
    public long nowMs() {
        return System.nanoTime() / 1_000_000L;
    }

    /** Runs {@code task} on this thread; its future (or its exception) becomes the result. */
    public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    task.get().whenComplete((v, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        } else {
                            result.complete(v);
                        }
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) {
            result.completeExceptionally(rejected);
        }
        return result;
    }

    /** Runs {@code task} on this thread after {@code delayMs}; a failing timer is logged, never fatal. */
    public void schedule(long delayMs, Runnable task) {
        if (executor.isShutdown()) {
            return;
        }
        executor.schedule(() -> guarded(task), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on this thread every {@code periodMs}, the first time after one period; failures are logged. */
    public void every(long periodMs, Runnable task) {
        executor.scheduleWithFixedDelay(() -> guarded(task), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("timer on {} failed", Thread.currentThread().getName(), e);
        }
    }

    /** Whether the caller runs on this thread. */
    public boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** The thread as an executor, for continuations that must run on it ({@code thenApplyAsync(f, executor())}). */
    public ScheduledExecutorService executor() {
        return executor;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

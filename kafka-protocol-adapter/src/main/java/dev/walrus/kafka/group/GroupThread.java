package dev.walrus.kafka.group;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one thread that owns every group's state, and its timers (session expiry, rebalance and sync deadlines).
 *
 * <p>Single writer: group objects are touched only from tasks run here, so they need no locks. Requests arrive from
 * network threads through {@link #call}; a task never blocks (offset writes that wait for fsync run elsewhere).
 * Timers are plain scheduled tasks that re-check the state they were armed for when they fire, so nothing is ever
 * cancelled: a stale timer simply finds nothing to do.
 */
public final class GroupThread implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupThread.class);

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    public GroupThread() {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "walrus-group-coordinator");
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

    /** Runs {@code task} on the group thread; its future (or its exception) becomes the result. */
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

    /** Runs {@code task} on the group thread after {@code delayMs}; a failing timer is logged, never fatal. */
    public void schedule(long delayMs, Runnable task) {
        if (executor.isShutdown()) {
            return;
        }
        executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("group timer failed", e);
            }
        }, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    public boolean isGroupThread() {
        return Thread.currentThread() == thread;
    }

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

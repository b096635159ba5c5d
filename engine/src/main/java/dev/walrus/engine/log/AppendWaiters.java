package dev.walrus.engine.log;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Futures waiting for a topic's end position to pass a position (Kafka fetch long-polls).
 *
 * <p>The appender only reads a volatile count (no waiters: nothing else happens); with waiters it hands the topic to
 * the engine's notifier thread once, which completes the due futures, so callbacks never run on the appender's
 * thread. No lost wake-up: a waiter registers, then re-reads the end position; the appender publishes the end, then
 * reads the count (both volatile, so one of the two sees the other). A cancelled future removes itself.
 */
public final class AppendWaiters {

    /** Runs {@link #completeDue()} on an engine thread. */
    @FunctionalInterface
    public interface Notifier {
        void schedule(AppendWaiters waiters);
    }

    private record Waiter(long position, CompletableFuture<Void> future) {}

    private final TopicLog topic;
    private final Notifier notifier;
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    AppendWaiters(TopicLog topic, Notifier notifier) {
        this.topic = topic;
        this.notifier = notifier;
    }

    /** A future completing once the end position is greater than {@code position}. */
    public CompletableFuture<Void> await(long position) {
        if (topic.endPosition() > position) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        Waiter w = new Waiter(position, future);
        waiting.add(w);
        count.incrementAndGet();
        future.whenComplete((v, t) -> {
            if (waiting.remove(w)) {
                count.decrementAndGet();
            }
        });
        if (topic.endPosition() > position || topic.isDeleted()) {
            future.complete(null);
        }
        return future;
    }

    /** Appender, after publishing: cheap unless someone waits. */
    void appended() {
        if (count.get() > 0 && scheduled.compareAndSet(false, true)) {
            notifier.schedule(this);
        }
    }

    /** Notifier thread: completes every waiter whose position the end has passed. */
    public void completeDue() {
        scheduled.set(false);
        long end = topic.endPosition();
        boolean deleted = topic.isDeleted();
        for (Waiter w : waiting) {
            if (deleted || end > w.position) {
                w.future.complete(null);
            }
        }
    }

    /** Topic deleted: wake every waiter (the caller then finds the topic gone). */
    void completeAll() {
        if (count.get() > 0) {
            scheduled.set(true);
            notifier.schedule(this);
        }
    }

    /** Engine closing: fail every waiter. */
    public void failAll(RuntimeException cause) {
        for (Waiter w : waiting) {
            w.future.completeExceptionally(cause);
        }
    }

    public int size() {
        return count.get();
    }
}

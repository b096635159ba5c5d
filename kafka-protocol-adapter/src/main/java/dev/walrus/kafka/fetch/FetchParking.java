package dev.walrus.kafka.fetch;

import dev.walrus.engine.Walrus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Long polls: a fetch that found less than {@code min.bytes} waits here, never on a network thread, until one of
 * its partitions' engine topics grows ({@link Walrus#awaitAppend}), its {@code max.wait.ms} passes, or its connection
 * closes, whichever comes first; then its continuation runs once on the waiter thread.
 *
 * <p>Threading: {@link #park} from any thread; engine notifications only hand the wake-up to the waiter thread,
 * which re-reads and encodes the response.
 *
 * <p>Fast path: the produce path calls {@link #appended} right after a partition published a batch, and the fetches
 * parked on it run their continuation there and then, as Kafka completes delayed fetches on the thread that
 * appended. A consumer waiting at the log end is then answered with one thread hop (to its connection's event loop)
 * instead of three (engine notifier, waiter thread, event loop), which is most of the end-to-end latency under load.
 * The continuation only reads and encodes, never blocks. The engine notification stays as the fallback (topic
 * deletion, and an append that lands between a fetch's read and its parking); a fetch fires once, whichever is first.
 */
public final class FetchParking implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FetchParking.class);

    private final Walrus engine;
    private final ScheduledExecutorService waiter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "walrus-fetch-waiter");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, Set<Parked>> byConnection = new ConcurrentHashMap<>();
    /** Parked fetches by the engine topics they wait on, for {@link #appended}. */
    private final Map<String, Set<Parked>> byTopic = new ConcurrentHashMap<>();

    public FetchParking(Walrus engine) {
        this.engine = engine;
    }

    /** Why a parked fetch woke up. */
    public enum Wake {
        /** One of its partitions grew (or was deleted): read again. */
        APPENDED,
        /** Its max wait passed: answer with what there is. */
        DEADLINE,
        /** Its connection closed: answer at once, nobody waits for more. */
        CONNECTION_CLOSED
    }

    private final class Parked {
        final long connectionId;
        final Consumer<Wake> continuation;
        final AtomicBoolean fired = new AtomicBoolean();
        final List<CompletableFuture<Void>> appends = new ArrayList<>();
        volatile ScheduledFuture<?> timeout;
        volatile Set<String> topics = Set.of();

        Parked(long connectionId, Consumer<Wake> continuation) {
            this.connectionId = connectionId;
            this.continuation = continuation;
        }

        void fire(Wake reason) {
            fire(reason, false);
        }

        /** @param inline run the continuation on the calling thread instead of the waiter thread */
        void fire(Wake reason, boolean inline) {
            if (!fired.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            synchronized (appends) {
                appends.forEach(f -> f.cancel(false));
            }
            Set<Parked> parked = byConnection.get(connectionId);
            if (parked != null) {
                parked.remove(this);
            }
            for (String topic : topics) {
                Set<Parked> onTopic = byTopic.get(topic);
                if (onTopic != null) {
                    onTopic.remove(this);
                }
            }
            if (inline) {
                runContinuation(reason);
                return;
            }
            try {
                waiter.execute(() -> runContinuation(reason));
            } catch (RuntimeException e) {
                log.debug("Fetch waiter is shut down; dropping a parked fetch", e);
            }
        }

        private void runContinuation(Wake reason) {
            try {
                continuation.accept(reason);
            } catch (RuntimeException e) {
                log.error("A parked fetch failed to complete", e);
            }
        }
    }

    /**
     * Waits until an engine topic passes its position, or {@code delayMs}, then runs {@code continuation} once.
     *
     * @param waitPast engine topic to the end position the fetch has already seen
     */
    public void park(long connectionId, Map<String, Long> waitPast, long delayMs, Consumer<Wake> continuation) {
        Parked parked = new Parked(connectionId, continuation);
        byConnection.computeIfAbsent(connectionId, id -> ConcurrentHashMap.newKeySet()).add(parked);
        parked.topics = Set.copyOf(waitPast.keySet());
        for (String topic : parked.topics) {
            byTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(parked);
        }
        parked.timeout = waiter.schedule(() -> parked.fire(Wake.DEADLINE), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        waitPast.forEach((topic, position) -> {
            CompletableFuture<Void> appended = engine.awaitAppend(topic, position);
            synchronized (parked.appends) {
                parked.appends.add(appended);
            }
            appended.whenComplete((v, e) -> parked.fire(Wake.APPENDED));
        });
        if (parked.fired.get()) {
            synchronized (parked.appends) {
                parked.appends.forEach(f -> f.cancel(false));
            }
        }
    }

    /**
     * A partition on {@code engineTopic} has just published a batch (its log end and published position are visible):
     * the fetches parked on it re-read now, on this thread. Cheap when none waits (one map lookup).
     */
    public void appended(String engineTopic) {
        Set<Parked> parked = byTopic.get(engineTopic);
        if (parked == null || parked.isEmpty()) {
            return;
        }
        // A snapshot: a woken fetch that still lacks min.bytes parks again, and must not be woken again by this call.
        for (Object p : parked.toArray()) {
            ((Parked) p).fire(Wake.APPENDED, true);
        }
    }

    /** Completes the connection's parked fetches at once (their answers are dropped with the connection). */
    public void connectionClosed(long connectionId) {
        Set<Parked> parked = byConnection.remove(connectionId);
        if (parked != null) {
            parked.forEach(p -> p.fire(Wake.CONNECTION_CLOSED));
        }
    }

    /** Runs a task on the waiter thread. */
    public void execute(Runnable task) {
        waiter.execute(task);
    }

    /** Answers every parked fetch with what it has (the engine is still open), then stops the waiter thread. */
    @Override
    public void close() {
        for (Long connectionId : List.copyOf(byConnection.keySet())) {
            Set<Parked> parked = byConnection.remove(connectionId);
            if (parked != null) {
                parked.forEach(p -> p.fire(Wake.DEADLINE));
            }
        }
        waiter.shutdown();
        try {
            if (!waiter.awaitTermination(5, TimeUnit.SECONDS)) {
                waiter.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            waiter.shutdownNow();
        }
    }
}

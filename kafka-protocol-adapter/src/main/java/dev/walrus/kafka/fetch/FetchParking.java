package dev.walrus.kafka.fetch;

import dev.walrus.engine.Walrus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Long polls: a fetch that found less than {@code min.bytes} waits here, never on a network thread, until one of
 * its partitions grows, its topic is deleted, its {@code max.wait.ms} passes, or its connection closes, whichever
 * comes first; then its continuation runs once.
 *
 * <p>Wake-ups come from the broker's own write path, as Kafka completes delayed fetches after an append: the produce
 * path calls {@link #appended} right after a partition published a batch, and the fetches parked on it re-read there
 * and then, on that thread (one thread hop to the consumer's event loop instead of three through an engine notifier
 * and a waiter thread). Every append to a partition goes through that path, so no engine notification is needed;
 * an append that lands between a fetch's read and its parking is caught by {@link #park} itself, which checks the
 * engine's end position after registering the fetch (the append publishes its end before it calls {@link #appended},
 * so one of the two always sees the other). {@link #topicDeleted} wakes the fetches of a deleted topic, which then
 * answer with the topic's error.
 *
 * <p>Threading: {@link #park}, {@link #appended} and {@link #topicDeleted} from any thread; deadlines and
 * connection closes run continuations on the waiter thread. A continuation only reads and encodes, never blocks.
 */
public final class FetchParking implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FetchParking.class);

    private final Walrus engine;
    private final ScheduledThreadPoolExecutor waiter = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "walrus-fetch-waiter");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, Set<Parked>> byConnection = new ConcurrentHashMap<>();
    /**
     * Connections closed lately, the oldest forgotten first beyond {@link #RECENTLY_CLOSED_MAX}: a fetch of one of them
     * that parks again (it was between two reads when its connection closed) is answered at once instead of waiting
     * out its {@code max.wait.ms} for nobody. Such a fetch parks within moments of the close, long before a thousand
     * more connections have closed.
     */
    private final Set<Long> recentlyClosed = ConcurrentHashMap.newKeySet();
    private final Queue<Long> closedOrder = new ConcurrentLinkedQueue<>();
    private static final int RECENTLY_CLOSED_MAX = 1024;
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
            // and the connection's set with its last fetch, so a connection id never stays behind (a fetch can
            // re-park after its connection closed: that set would otherwise outlive it)
            byConnection.computeIfPresent(connectionId, (id, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
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
        byConnection.compute(connectionId, (id, set) -> {
            Set<Parked> parkedHere = set != null ? set : ConcurrentHashMap.newKeySet();
            parkedHere.add(parked);
            return parkedHere;
        });
        parked.topics = Set.copyOf(waitPast.keySet());
        for (String topic : parked.topics) {
            byTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(parked);
        }
        parked.timeout = waiter.schedule(() -> parked.fire(Wake.DEADLINE), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        // An append on another thread may have fired it since it joined byTopic, finding no timeout yet to cancel:
        // fire sets `fired` before it reads `timeout`, so either it cancelled this one or this sees `fired`.
        if (parked.fired.get()) {
            parked.timeout.cancel(false);
        }
        // Closed before or while this registered: connectionClosed marks the id before it empties the connection's
        // set, so either it found this fetch there or this check finds the mark.
        if (recentlyClosed.contains(connectionId)) {
            parked.fire(Wake.CONNECTION_CLOSED);
            return;
        }
        // An append that published between the fetch's read and the registration above found nobody to wake.
        for (Map.Entry<String, Long> seen : waitPast.entrySet()) {
            if (engine.endPosition(seen.getKey()) > seen.getValue()) {
                parked.fire(Wake.APPENDED);
                return;
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

    /** A partition's engine topic is gone with its topic: the fetches parked on it re-read and answer its error. */
    public void topicDeleted(String engineTopic) {
        Set<Parked> parked = byTopic.remove(engineTopic);
        if (parked != null) {
            parked.forEach(p -> p.fire(Wake.APPENDED));
        }
    }

    /** Completes the connection's parked fetches at once (their answers are dropped with the connection). */
    public void connectionClosed(long connectionId) {
        if (recentlyClosed.add(connectionId)) {
            closedOrder.add(connectionId);
            if (recentlyClosed.size() > RECENTLY_CLOSED_MAX) {
                Long oldest = closedOrder.poll();
                if (oldest != null) {
                    recentlyClosed.remove(oldest);
                }
            }
        }
        Set<Parked> parked = byConnection.remove(connectionId);
        if (parked != null) {
            parked.forEach(p -> p.fire(Wake.CONNECTION_CLOSED));
        }
    }

    /** How many connections have a fetch parked (for tests: none may linger once their fetches are answered). */
    int connectionsWithParkedFetches() {
        return byConnection.size();
    }

    /** Deadlines still to come: of parked fetches only, once the others are answered (for tests). */
    long pendingDeadlines() {
        return waiter.getQueue().stream().filter(task -> !((Future<?>) task).isCancelled()).count();
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

package dev.walrus.compat.groups;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline; a timeout fails with what was awaited and what was seen last. */
final class Await {

    /**
     * The deadline of one step of a group scenario (a rebalance settling, a member consuming, a backlog drained).
     * Generous on purpose: on the shared 2-core machine under load a step that takes seconds alone can take minutes
     * (child JVM start-up, Kafka's 5 s consumer-protocol heartbeat interval per reconciliation round, a backlog of
     * records produced meanwhile). A healthy run returns as soon as the condition holds, so this costs nothing there.
     */
    static final Duration STEP = Duration.ofMinutes(3);

    private Await() {}

    static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; state: " + state.get());
    }
}

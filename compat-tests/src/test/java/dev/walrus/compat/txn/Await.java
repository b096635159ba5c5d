package dev.walrus.compat.txn;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Asks until the answer is the awaited one, with a deadline; a timeout fails with what was awaited and the last answer.
 * Transactions end asynchronously: commitTransaction returns once the coordinator has decided, and the markers reach
 * the partitions (and the group's offsets) a moment later, so a test that checks the outcome asks until it shows.
 */
final class Await {

    /** Long enough for a loaded 2-core machine; a healthy run returns as soon as the answer is there. */
    static final Duration STEP = Duration.ofSeconds(30);

    private Await() {}

    static <T> T until(String what, Callable<T> probe, Predicate<T> done) throws Exception {
        return until(STEP, what, probe, done);
    }

    static <T> T until(Duration timeout, String what, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T answer = probe.call();
        while (!done.test(answer)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last answer: " + answer);
            }
            Thread.sleep(100);
            answer = probe.call();
        }
        return answer;
    }
}

package dev.walrus.engine;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for something a background thread does (the flusher, the file preparer): polls {@code condition} every 2 ms
 * for up to 30 s, then returns either way; the caller asserts on the outcome, so a condition never met fails there,
 * with that assertion's message.
 */
public final class Eventually {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private Eventually() {}

    public static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }
}

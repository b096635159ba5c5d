package dev.walrus.compat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reading back what was written, with a deadline that turns a hang into a failure that says what did arrive. */
public final class Records {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Records() {}

    /** Polls until exactly {@code count} records arrived (more is a failure too). */
    public static <K, V> List<ConsumerRecord<K, V>> pollExactly(Consumer<K, V> consumer, int count) {
        return pollExactly(consumer, count, DEFAULT_TIMEOUT);
    }

    public static <K, V> List<ConsumerRecord<K, V>> pollExactly(Consumer<K, V> consumer, int count, Duration timeout) {
        List<ConsumerRecord<K, V>> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(got::add);
        }
        if (got.size() != count) {
            throw new AssertionError("expected " + count + " records within " + timeout + ", got " + got.size()
                + (got.isEmpty() ? "" : "; last: " + got.getLast()));
        }
        return got;
    }

    /** Polls for {@code quiet} and returns whatever came (for asserting that nothing more arrives). */
    public static <K, V> List<ConsumerRecord<K, V>> pollFor(Consumer<K, V> consumer, Duration quiet) {
        List<ConsumerRecord<K, V>> got = new ArrayList<>();
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(got::add);
        }
        return got;
    }
}

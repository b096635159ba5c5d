package dev.walrus.broker.metrics;

import org.apache.kafka.common.protocol.ApiKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Requests answered per Kafka API and their latency, from the frame's arrival to its response being handed to the
 * socket. Written by the event loops (one array slot per API key, no allocation per request), read by anyone.
 *
 * <p>Keyed by the API key of the request header, so the names come from kafka-clients' {@link ApiKeys}, the same
 * source the adapter's handler table uses; the list of APIs is not repeated here.
 */
public final class RequestMetrics {

    /** API keys are small non-negative shorts; this covers every key Kafka defines with room to spare. */
    private static final int SLOTS = 256;

    private final AtomicLongArray counts = new AtomicLongArray(SLOTS);
    private final AtomicLongArray failures = new AtomicLongArray(SLOTS);
    private final AtomicLongArray totalNanos = new AtomicLongArray(SLOTS);
    private final AtomicLongArray maxNanos = new AtomicLongArray(SLOTS);

    /** Records one request of {@code apiKey} that took {@code nanos}; {@code failed} when its connection was closed for it. */
    public void record(short apiKey, long nanos, boolean failed) {
        if (apiKey < 0 || apiKey >= SLOTS) {
            return;
        }
        counts.incrementAndGet(apiKey);
        if (failed) {
            failures.incrementAndGet(apiKey);
        }
        totalNanos.addAndGet(apiKey, nanos);
        maxNanos.accumulateAndGet(apiKey, nanos, Math::max);
    }

    public long count(ApiKeys api) {
        return counts.get(api.id);
    }

    /** Every API that has seen at least one request, with its figures at this moment. */
    public List<ApiStats> snapshot() {
        List<ApiStats> stats = new ArrayList<>();
        for (int key = 0; key < SLOTS; key++) {
            long count = counts.get(key);
            if (count > 0) {
                String name = ApiKeys.hasId(key) ? ApiKeys.forId(key).name : "UNKNOWN_" + key;
                stats.add(new ApiStats(name, count, failures.get(key), totalNanos.get(key) / count, maxNanos.get(key)));
            }
        }
        return stats;
    }

    /** One line for the log: {@code Produce 120 (mean 0.41 ms, max 3.20 ms), Fetch 300 (...)}, or "none". */
    public String summary() {
        List<ApiStats> stats = snapshot();
        if (stats.isEmpty()) {
            return "none";
        }
        StringBuilder line = new StringBuilder();
        for (ApiStats api : stats) {
            if (!line.isEmpty()) {
                line.append(", ");
            }
            line.append(api.api()).append(' ').append(api.requests());
            if (api.failures() > 0) {
                line.append(" (").append(api.failures()).append(" closed the connection)");
            }
            line.append(String.format(java.util.Locale.ROOT, " (mean %.2f ms, max %.2f ms)", api.meanNanos() / 1e6, api.maxNanos() / 1e6));
        }
        return line.toString();
    }

    /** One API's figures: the latency is from the request's arrival until its response was written out. */
    public record ApiStats(String api, long requests, long failures, long meanNanos, long maxNanos) {}
}

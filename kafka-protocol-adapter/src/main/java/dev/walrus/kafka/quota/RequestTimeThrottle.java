package dev.walrus.kafka.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Enforces {@code request_percentage} (KIP-124) as Kafka's {@code ClientRequestQuotaManager} does: the time the broker
 * spends handling a client's requests is counted, as a percentage of one thread (100 = one thread busy all the
 * time), against the rate of the entity whose quota applies, over {@code quota.window.num} samples of
 * {@code quota.window.size.seconds}; a request that takes the rate over the bound is answered with a throttle time of
 * (rate - bound) / bound x the rate's window, at most one sample window ({@code quota.window.size.seconds}), as Kafka
 * bounds it.
 *
 * <p>What is counted is the time the request takes on the thread that handles it until the handler returns (decoding
 * included), Kafka's request handler time; work a handler hands to other threads (an fsync, a parked fetch) is not
 * counted, as Kafka does not count the time a request waits in purgatory.
 *
 * <p>Threading: any thread; each rate is updated under its own lock.
 */
public final class RequestTimeThrottle {

    public static final String KEY = "request_percentage";
    private static final double NANOS_TO_PERCENTAGE_PER_SECOND = 100.0 / TimeUnit.SECONDS.toNanos(1);

    private final ClientQuotas quotas;
    private final int samples;
    private final long sampleMs;
    private final Map<String, SampledRate> rates = new ConcurrentHashMap<>();

    public RequestTimeThrottle(ClientQuotas quotas, int samples, long sampleMs) {
        this.quotas = quotas;
        this.samples = samples;
        this.sampleMs = sampleMs;
    }

    /** Whether any quota is set at all (else nothing is counted: the common case costs one read). */
    public boolean active() {
        return !quotas.isEmpty();
    }

    /**
     * Counts {@code nanos} of handling a request of {@code user} (the principal's name) and {@code clientId}; the
     * throttle time to answer with, 0 when no request quota applies or the rate is within it.
     */
    public int record(String user, String clientId, long nanos, long nowMs) {
        if (quotas.isEmpty()) {
            return 0;   // the common case: no quota was ever set
        }
        ClientQuotas.Applied applied = quotas.resolve(user, clientId == null ? "" : clientId, KEY);
        if (applied == null) {
            return 0;
        }
        SampledRate rate = rates.computeIfAbsent(applied.rateKey(), k -> new SampledRate(samples, sampleMs));
        return rate.recordAndThrottle(nanos * NANOS_TO_PERCENTAGE_PER_SECOND, applied.bound(), nowMs, sampleMs);
    }
}

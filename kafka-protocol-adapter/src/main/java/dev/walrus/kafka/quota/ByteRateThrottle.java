package dev.walrus.kafka.quota;

import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces the byte-rate quotas ({@code producer_byte_rate}, {@code consumer_byte_rate}) as Kafka's client quota
 * manager does: each request's bytes are counted against the rate of the entity whose quota applies (over
 * {@code quota.window.num} samples of {@code quota.window.size.seconds}), and a request that takes the rate over the
 * bound is answered with a throttle time of (rate - bound) / bound x the rate's window, which the client waits before
 * its next request to this broker (KIP-219).
 *
 * <p>Threading: any thread; each rate is updated under its own lock.
 */
public final class ByteRateThrottle {

    private final ClientQuotas quotas;
    private final int samples;
    private final long sampleMs;
    private final Map<String, SampledRate> rates = new ConcurrentHashMap<>();

    public ByteRateThrottle(ClientQuotas quotas, int samples, long sampleMs) {
        this.quotas = quotas;
        this.samples = samples;
        this.sampleMs = sampleMs;
    }

    /**
     * The bytes of a fetch or share fetch response as Kafka counts them against {@code consumer_byte_rate}
     * ({@code FetchResponse.sizeOf}, {@code ShareFetchResponse.sizeOf}): 4 bytes and the body, not the response header.
     */
    public static int responseBytes(ApiMessage response, short version) {
        return 4 + response.size(new ObjectSerializationCache(), version);
    }

    /** Whether any quota is set at all (else nothing is counted: the common case costs one read). */
    public boolean active() {
        return !quotas.isEmpty();
    }

    /**
     * Counts {@code bytes} of a request of {@code user} (the principal's name) and {@code clientId} against its
     * {@code key} quota; the throttle time to answer with, 0 when no quota applies or the rate is within it.
     */
    public int record(String key, String user, String clientId, long bytes, long nowMs) {
        if (quotas.isEmpty()) {
            return 0;   // the common case: no quota was ever set
        }
        ClientQuotas.Applied applied = quotas.resolve(user, clientId == null ? "" : clientId, key);
        if (applied == null) {
            return 0;
        }
        SampledRate rate = rates.computeIfAbsent(applied.rateKey(), k -> new SampledRate(samples, sampleMs));
        return rate.recordAndThrottle(bytes, applied.bound(), nowMs, Integer.MAX_VALUE);
    }

    /**
     * The most bytes one request of {@code user} and {@code clientId} may take without being throttled for certain
     * (Kafka's maxValueInQuotaWindow: the bound over all samples but one), Long.MAX_VALUE when no quota applies.
     * Kafka caps a (share) fetch's MaxBytes at it, so that a fetch alone can never go over the quota.
     */
    public long maxValueInWindow(String key, String user, String clientId) {
        if (quotas.isEmpty()) {
            return Long.MAX_VALUE;
        }
        ClientQuotas.Applied applied = quotas.resolve(user, clientId == null ? "" : clientId, key);
        if (applied == null) {
            return Long.MAX_VALUE;
        }
        double max = applied.bound() * (samples - 1) * (sampleMs / 1000.0);
        return max >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) max;
    }

    /**
     * Takes back {@code bytes} recorded by {@link #record} for a request that was then answered empty because it was
     * throttled (Kafka's unrecordQuotaSensor), so the bytes it did not get do not count.
     */
    public void unrecord(String key, String user, String clientId, long bytes, long nowMs) {
        if (quotas.isEmpty()) {
            return;
        }
        ClientQuotas.Applied applied = quotas.resolve(user, clientId == null ? "" : clientId, key);
        SampledRate rate = applied == null ? null : rates.get(applied.rateKey());
        if (rate != null) {
            rate.unrecord(bytes, nowMs);
        }
    }
}

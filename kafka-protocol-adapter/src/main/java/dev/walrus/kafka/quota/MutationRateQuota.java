package dev.walrus.kafka.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces {@code controller_mutation_rate} (KIP-599) as Kafka's {@code ControllerMutationQuotaManager} does: every
 * partition that CreateTopics, CreatePartitions or DeleteTopics creates or deletes takes a token from the bucket of
 * the entity whose quota applies. The bucket refills at the quota's rate and holds at most quota x
 * {@code controller.quota.window.num} x {@code controller.quota.window.size.seconds} tokens, so a client may burst
 * up to that; a bucket below zero refuses (strictly) the next topic until it refills, and the throttle time is how
 * long that takes: -tokens / quota seconds.
 *
 * <p>Kafka checks before it records: a topic is accepted while the bucket is not below zero, even if its partitions
 * take it below (so one large topic always passes a full bucket), and the next is refused.
 *
 * <p>Threading: any thread; each bucket is updated under its own lock.
 */
public final class MutationRateQuota {

    public static final String KEY = "controller_mutation_rate";
    /** Kafka's defaults of {@code controller.quota.window.num} and {@code controller.quota.window.size.seconds}. */
    public static final int DEFAULT_SAMPLES = 11;
    public static final int DEFAULT_SAMPLE_SECONDS = 1;

    private final ClientQuotas quotas;
    private final double windowSeconds;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param samples {@code controller.quota.window.num}
     * @param sampleSeconds {@code controller.quota.window.size.seconds}
     */
    public MutationRateQuota(ClientQuotas quotas, int samples, int sampleSeconds) {
        this.quotas = quotas;
        this.windowSeconds = (double) samples * sampleSeconds;
    }

    /**
     * The quota of one request of {@code user} (the principal's name) and {@code clientId}. With {@code strict} (the
     * request's version carries per-topic THROTTLING_QUOTA_EXCEEDED: CreateTopics v6+, CreatePartitions v3+,
     * DeleteTopics v5+) a topic over the quota is refused; otherwise every mutation is made and only the answer is
     * throttled, as Kafka's permissive quota does for older clients.
     */
    public Request forRequest(String user, String clientId, boolean strict) {
        if (quotas.isEmpty()) {
            return Request.UNBOUNDED;
        }
        ClientQuotas.Applied applied = quotas.resolve(user, clientId == null ? "" : clientId, KEY);
        if (applied == null) {
            return Request.UNBOUNDED;
        }
        TokenBucket bucket = buckets.computeIfAbsent(applied.rateKey(), k -> new TokenBucket());
        return new Request(bucket, applied.bound(), windowSeconds, strict);
    }

    /** One request's use of the quota: {@link #tryRecord} per topic, then {@link #throttleTimeMs} for the answer. */
    public static final class Request {

        static final Request UNBOUNDED = new Request(null, 0, 0, false);

        private final TokenBucket bucket;
        private final double quota;
        private final double windowSeconds;
        private final boolean strict;
        private long throttleMs;
        private long throttledAtMs;

        private Request(TokenBucket bucket, double quota, double windowSeconds, boolean strict) {
            this.bucket = bucket;
            this.quota = quota;
            this.windowSeconds = windowSeconds;
            this.strict = strict;
        }

        /** Whether a quota applies at all (else {@link #tryRecord} always accepts and nothing is throttled). */
        public boolean bounded() {
            return bucket != null;
        }

        /**
         * Takes {@code partitions} tokens for one topic: false when the strict quota refuses it (the topic is then
         * answered THROTTLING_QUOTA_EXCEEDED); a permissive quota always takes them.
         */
        public boolean tryRecord(int partitions) {
            return tryRecord(partitions, System.currentTimeMillis());
        }

        boolean tryRecord(int partitions, long nowMs) {
            if (bucket == null) {
                return true;
            }
            double deficit = bucket.take(partitions, quota, quota * windowSeconds, nowMs, strict);
            if (deficit <= 0) {
                return true;
            }
            throttleMs = Math.round(deficit / quota * 1000);
            throttledAtMs = nowMs;
            return !strict;
        }

        /** The throttle time to answer with: the last violation's, less the time since (Kafka's answer may wait). */
        public int throttleTimeMs() {
            return throttleTimeMs(System.currentTimeMillis());
        }

        int throttleTimeMs(long nowMs) {
            if (throttleMs == 0) {
                return 0;
            }
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, throttleMs - (nowMs - throttledAtMs)));
        }
    }

    /** Kafka's {@code TokenBucket} stat: starts full, refills at the quota's rate up to the burst. */
    private static final class TokenBucket {
        private double tokens;
        private long lastUpdateMs; // 0 at first: the first refill fills the bucket

        /**
         * Refills, then takes {@code permits}: strictly only if the bucket is not below zero (else nothing is taken),
         * permissively always. The deficit (tokens below zero) that makes the caller throttled, or 0.
         */
        synchronized double take(int permits, double quota, double burst, long nowMs, boolean strict) {
            tokens = Math.min(burst, tokens + quota * Math.max(0, nowMs - lastUpdateMs) / 1000.0);
            lastUpdateMs = nowMs;
            if (strict && tokens < 0) {
                return -tokens;
            }
            tokens = Math.min(burst, tokens - permits);
            return strict || tokens >= 0 ? 0 : -tokens;
        }
    }
}

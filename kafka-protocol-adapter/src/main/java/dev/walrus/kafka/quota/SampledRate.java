package dev.walrus.kafka.quota;

import java.util.Arrays;

/**
 * Kafka's sampled rate ({@code Rate} over {@code SampledStat}) as its client quota manager measures one entity: a ring
 * of samples, the rate being the total of the live ones over their elapsed time (at least n-1 whole samples), and the
 * throttle time of a value that takes the rate over its bound (rate - bound) / bound x that time, as Kafka's
 * {@code QuotaUtils.throttleTime} computes it.
 *
 * <p>Threading: any thread; synchronized.
 */
final class SampledRate {

    private final long[] starts;
    private final double[] values;
    private final long sampleMs;
    private int current;

    SampledRate(int samples, long sampleMs) {
        this.starts = new long[samples];
        this.values = new double[samples];
        this.sampleMs = sampleMs;
        Arrays.fill(starts, Long.MIN_VALUE);
    }

    /** Records {@code value} at {@code now}; the throttle time, at most {@code maxThrottleMs}, or 0 within the bound. */
    synchronized int recordAndThrottle(double value, double bound, long now, long maxThrottleMs) {
        roll(now);
        values[current] += value;
        long oldest = now;
        double total = 0;
        long horizon = now - (long) starts.length * sampleMs;
        for (int i = 0; i < starts.length; i++) {
            if (starts[i] == Long.MIN_VALUE) {
                continue;
            }
            if (starts[i] <= horizon) {   // obsolete: forgotten
                starts[i] = Long.MIN_VALUE;
                values[i] = 0;
                continue;
            }
            total += values[i];
            oldest = Math.min(oldest, starts[i]);
        }
        long elapsed = now - oldest;
        long fullWindows = elapsed / sampleMs;
        if (fullWindows < starts.length - 1) {
            elapsed += (starts.length - 1 - fullWindows) * sampleMs;
        }
        double rate = total / (elapsed / 1000.0);
        if (rate <= bound) {
            return 0;
        }
        long throttle = Math.round((rate - bound) / bound * elapsed);
        return (int) Math.min(Math.min(Integer.MAX_VALUE, maxThrottleMs), throttle);
    }

    /** Takes back {@code value} recorded earlier (Kafka's unrecord of a throttled fetch's bytes). */
    synchronized void unrecord(double value, long now) {
        roll(now);
        values[current] -= value;
    }

    /** Moves to a new sample when the current one is over. */
    private void roll(long now) {
        if (starts[current] == Long.MIN_VALUE) {
            starts[current] = now;
        } else if (now - starts[current] >= sampleMs) {
            current = (current + 1) % starts.length;
            starts[current] = now;
            values[current] = 0;
        }
    }
}

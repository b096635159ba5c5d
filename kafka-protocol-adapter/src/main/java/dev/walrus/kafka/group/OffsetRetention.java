package dev.walrus.kafka.group;

import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.config.WalrusConfigs;

/**
 * How long committed offsets are kept once nothing holds on to them, and how often the group coordinator looks
 * (Kafka's {@code offsets.retention.minutes} and {@code offsets.retention.check.interval.ms}).
 *
 * @param retentionMs {@code offsets.retention.minutes} in milliseconds, or {@value #RETENTION_MS_KEY} when set
 * @param checkIntervalMs {@code offsets.retention.check.interval.ms}: the time between two checks
 */
public record OffsetRetention(long retentionMs, long checkIntervalMs) {

    /**
     * This broker's own key (Kafka has none): the retention in milliseconds, over {@code offsets.retention.minutes},
     * whose minute grain would make a test of expiry wait a minute.
     */
    public static final String RETENTION_MS_KEY = WalrusConfigs.OFFSETS_RETENTION_MS;

    /** Kafka 4.x defaults: 7 days, checked every 10 minutes. */
    public static OffsetRetention defaults() {
        return new OffsetRetention(10_080L * 60_000L, 600_000L);
    }

    public static OffsetRetention from(BrokerSettings settings) {
        OffsetRetention d = defaults();
        String minutes = settings.get("offsets.retention.minutes");
        long retentionMs = blank(minutes) ? d.retentionMs() : Long.parseLong(minutes.trim()) * 60_000L;
        String override = settings.get(RETENTION_MS_KEY);
        if (!blank(override)) {
            retentionMs = Long.parseLong(override.trim());
        }
        String interval = settings.get("offsets.retention.check.interval.ms");
        return new OffsetRetention(retentionMs, blank(interval) ? d.checkIntervalMs() : Long.parseLong(interval.trim()));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

package dev.walrus.kafka.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The group config {@code share.auto.offset.reset} (KIP-932, KIP-1106): where a share partition starts when the
 * group first reads it. {@code earliest}, {@code latest}, or {@code by_duration:<ISO-8601 duration>} (the first
 * record written at most that long ago).
 *
 * @param kind which strategy
 * @param duration for {@link Kind#BY_DURATION}, how far back; zero otherwise
 */
public record ShareOffsetReset(Kind kind, Duration duration) {

    public enum Kind { EARLIEST, LATEST, BY_DURATION }

    private static final String BY_DURATION = "by_duration:";

    /** The strategy a value names, or null if it names none (Kafka refuses such a value). */
    public static ShareOffsetReset parse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("earliest")) {
            return new ShareOffsetReset(Kind.EARLIEST, Duration.ZERO);
        }
        if (v.equals("latest")) {
            return new ShareOffsetReset(Kind.LATEST, Duration.ZERO);
        }
        if (v.startsWith(BY_DURATION)) {
            try {
                Duration d = Duration.parse(value.trim().substring(BY_DURATION.length()));
                return d.isNegative() ? null : new ShareOffsetReset(Kind.BY_DURATION, d);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}

package dev.walrus.kafka.log;

import dev.walrus.engine.FsyncSchedule;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;

import java.time.Duration;
import java.util.Optional;

/**
 * The topic configs the data path obeys, resolved once per topic (and again when its configs change).
 *
 * <p>Durability: unless the user set {@code flush.messages}/{@code flush.ms} on the topic or
 * {@code log.flush.interval.messages}/{@code log.flush.interval.ms} on the broker, an acks=all produce is answered
 * after an fsync ({@code syncBeforeAck}), a deliberate improvement over Kafka, which never fsyncs by default. When the
 * user did set them, they mean what they mean in Kafka, mapped onto the partition's engine fsync schedule.
 *
 * @param maxMessageBytes {@code max.message.bytes}: the largest batch accepted
 * @param logAppendTime {@code message.timestamp.type} is LogAppendTime
 * @param syncBeforeAck acks=all waits for an fsync of the appended batches
 * @param fsyncSchedule the engine schedule to set on the partition's topic, when the user chose one
 * @param flushEveryMessages fsync after this many records ({@code flush.messages} above 1), else 0
 * @param timestampBeforeMaxMs {@code message.timestamp.before.max.ms}: how far in the past a CreateTime may be
 * @param timestampAfterMaxMs {@code message.timestamp.after.max.ms}: how far in the future a CreateTime may be
 * @param retentionMs {@code retention.ms}, -1 for no limit
 * @param retentionBytes {@code retention.bytes}, -1 for no limit
 * @param cleanup what {@code cleanup.policy} asks for and the settings of compaction
 */
public record LogConfig(int maxMessageBytes, boolean logAppendTime, boolean syncBeforeAck,
                        Optional<FsyncSchedule> fsyncSchedule, long flushEveryMessages,
                        long timestampBeforeMaxMs, long timestampAfterMaxMs, long retentionMs, long retentionBytes,
                        Cleanup cleanup) {

    /**
     * {@code cleanup.policy} and what the log cleaner obeys.
     *
     * @param delete retention by {@code retention.ms} and {@code retention.bytes} applies ({@code delete} is listed)
     * @param compact the log cleaner keeps only the last record of each key ({@code compact} is listed)
     * @param segmentBytes {@code segment.bytes}: the active segment, which is never cleaned, rolls at this size
     * @param segmentMs {@code segment.ms}: ... or when its first batch is this old
     * @param deleteRetentionMs {@code delete.retention.ms}: how long a cleaned tombstone stays readable
     * @param minCleanableRatio {@code min.cleanable.dirty.ratio}
     * @param minCompactionLagMs {@code min.compaction.lag.ms}: records younger than this are never cleaned
     * @param maxCompactionLagMs {@code max.compaction.lag.ms}: a dirty record this old makes the log cleanable at
     *        any ratio
     */
    public record Cleanup(boolean delete, boolean compact, long segmentBytes, long segmentMs, long deleteRetentionMs,
                          double minCleanableRatio, long minCompactionLagMs, long maxCompactionLagMs) {

        /** Kafka's defaults: delete, no compaction. */
        public static final Cleanup DEFAULT = new Cleanup(true, false, 1_073_741_824L, 604_800_000L, 86_400_000L,
                0.5, 0, Long.MAX_VALUE);

        static Cleanup of(TopicInfo topic, Topics topics) {
            String policy = topics.effectiveConfig(topic, "cleanup.policy");
            boolean delete = policy == null;
            boolean compact = false;
            if (policy != null) {
                for (String item : policy.split(",")) {
                    delete |= item.trim().equals("delete");
                    compact |= item.trim().equals("compact");
                }
            }
            return new Cleanup(delete, compact,
                    parseLong(topics.effectiveConfig(topic, "segment.bytes"), DEFAULT.segmentBytes),
                    parseLong(topics.effectiveConfig(topic, "segment.ms"), DEFAULT.segmentMs),
                    parseLong(topics.effectiveConfig(topic, "delete.retention.ms"), DEFAULT.deleteRetentionMs),
                    parseDouble(topics.effectiveConfig(topic, "min.cleanable.dirty.ratio"), DEFAULT.minCleanableRatio),
                    parseLong(topics.effectiveConfig(topic, "min.compaction.lag.ms"), DEFAULT.minCompactionLagMs),
                    parseLong(topics.effectiveConfig(topic, "max.compaction.lag.ms"), DEFAULT.maxCompactionLagMs));
        }
    }

    /** Kafka's defaults, with the durable acks=all of this broker. */
    public static LogConfig defaults() {
        return new LogConfig(DEFAULT_MAX_MESSAGE_BYTES, false, true, Optional.empty(), 0, Long.MAX_VALUE,
                DEFAULT_TIMESTAMP_AFTER_MAX_MS, DEFAULT_RETENTION_MS, -1, Cleanup.DEFAULT);
    }

    /** The same configs with another cleanup policy (tests). */
    public LogConfig withCleanup(Cleanup newCleanup) {
        return new LogConfig(maxMessageBytes, logAppendTime, syncBeforeAck, fsyncSchedule, flushEveryMessages,
                timestampBeforeMaxMs, timestampAfterMaxMs, retentionMs, retentionBytes, newCleanup);
    }

    /** Kafka's default {@code message.max.bytes}. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1048588;
    /** Kafka 4's default {@code message.timestamp.after.max.ms}: one hour. */
    public static final long DEFAULT_TIMESTAMP_AFTER_MAX_MS = 3_600_000L;
    /** Kafka's default {@code retention.ms}: seven days. */
    public static final long DEFAULT_RETENTION_MS = 604_800_000L;

    public static LogConfig of(TopicInfo topic, Topics topics, BrokerSettings settings) {
        int maxMessageBytes = parseInt(topics.effectiveConfig(topic, "max.message.bytes"), DEFAULT_MAX_MESSAGE_BYTES);
        boolean logAppendTime = "LogAppendTime".equals(topics.effectiveConfig(topic, "message.timestamp.type"));
        long before = parseLong(topics.effectiveConfig(topic, "message.timestamp.before.max.ms"), Long.MAX_VALUE);
        long after = parseLong(topics.effectiveConfig(topic, "message.timestamp.after.max.ms"), DEFAULT_TIMESTAMP_AFTER_MAX_MS);
        long retention = parseLong(topics.effectiveConfig(topic, "retention.ms"), DEFAULT_RETENTION_MS);
        long retentionBytes = parseLong(topics.effectiveConfig(topic, "retention.bytes"), -1);
        Cleanup cleanup = Cleanup.of(topic, topics);

        String flushMessages = topic.configs().get("flush.messages");
        if (flushMessages == null) {
            flushMessages = settings.isSet("log.flush.interval.messages") ? settings.get("log.flush.interval.messages") : null;
        }
        String flushMs = topic.configs().get("flush.ms");
        if (flushMs == null) {
            flushMs = settings.isSet("log.flush.interval.ms") ? settings.get("log.flush.interval.ms") : null;
        }
        if (flushMessages == null && flushMs == null) {
            return new LogConfig(maxMessageBytes, logAppendTime, true, Optional.empty(), 0, before, after, retention, retentionBytes,
                    cleanup);
        }
        long messages = flushMessages == null ? Long.MAX_VALUE : Long.parseLong(flushMessages.trim());
        long ms = flushMs == null ? Long.MAX_VALUE : Long.parseLong(flushMs.trim());
        FsyncSchedule schedule;
        long every = 0;
        if (messages <= 1 || ms <= 0) {
            schedule = FsyncSchedule.syncEach();
        } else if (ms != Long.MAX_VALUE) {
            schedule = FsyncSchedule.every(Duration.ofMillis(ms));
            every = messages == Long.MAX_VALUE ? 0 : messages;
        } else {
            schedule = FsyncSchedule.none();
            every = messages == Long.MAX_VALUE ? 0 : messages;
        }
        return new LogConfig(maxMessageBytes, logAppendTime, false, Optional.of(schedule), every, before, after, retention,
                retentionBytes, cleanup);
    }

    private static long parseLong(String value, long fallback) {
        return value == null ? fallback : Long.parseLong(value.trim());
    }

    private static double parseDouble(String value, double fallback) {
        return value == null ? fallback : Double.parseDouble(value.trim());
    }

    private static int parseInt(String value, int fallback) {
        return value == null ? fallback : Integer.parseInt(value.trim());
    }
}

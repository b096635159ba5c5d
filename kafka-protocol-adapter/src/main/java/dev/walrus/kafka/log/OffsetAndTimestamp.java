package dev.walrus.kafka.log;

/** A ListOffsets answer: an offset and the timestamp of the record there (-1, -1 when none matches). */
public record OffsetAndTimestamp(long offset, long timestamp) {
    public static final OffsetAndTimestamp NONE = new OffsetAndTimestamp(-1, -1);
}

package dev.walrus.kafka.group.offsets;

/**
 * A committed offset as OffsetFetch returns it.
 *
 * @param offset the next offset the group will read
 * @param leaderEpoch the leader epoch the consumer saw at that offset, -1 if unknown
 * @param metadata the client's metadata string (may be null)
 * @param commitTimestampMs wall-clock time of the commit
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {}

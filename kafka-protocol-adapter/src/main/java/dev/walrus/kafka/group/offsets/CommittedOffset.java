package dev.walrus.kafka.group.offsets;

/**
 * A committed offset as OffsetFetch returns it.
 *
 * @param offset the next offset the group will read
 * @param leaderEpoch the leader epoch the consumer saw at that offset, -1 if unknown
 * @param metadata the client's metadata string (may be null)
 * @param commitTimestampMs wall-clock time of the commit
 * @param expireTimestampMs when the offset expires, whatever its group does: the commit time plus the retention time
 *     of an OffsetCommit v2-v4 that gave one (the per-commit retention before KIP-211, which Kafka still honours);
 *     {@link #NO_EXPIRE_TIMESTAMP} for every other commit
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs,
                              long expireTimestampMs) {

    /** No expire timestamp of its own: the group's retention rule applies (Kafka's default in the record, -1). */
    public static final long NO_EXPIRE_TIMESTAMP = -1L;

    /** A commit without a retention time of its own (every client since KIP-211). */
    public CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {
        this(offset, leaderEpoch, metadata, commitTimestampMs, NO_EXPIRE_TIMESTAMP);
    }

    public boolean hasExpireTimestamp() {
        return expireTimestampMs != NO_EXPIRE_TIMESTAMP;
    }
}

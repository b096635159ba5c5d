package dev.walrus.kafka.producer;

/**
 * What the broker remembers of one idempotent batch, to answer its retry with the original offsets.
 *
 * @param firstSeq sequence of the first record
 * @param lastSeq sequence of the last record
 * @param firstOffset offset assigned to the first record
 * @param lastOffset offset assigned to the last record
 * @param timestamp the batch's max timestamp as stored (the log append time under LogAppendTime)
 */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {}

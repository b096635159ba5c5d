package dev.walrus.kafka.producer;

import org.apache.kafka.common.protocol.Errors;

/** The verdict on one idempotent batch before it is appended. */
public sealed interface SequenceCheck {

    /** In sequence (or the first batch of a new producer or epoch): append it. */
    record Accept() implements SequenceCheck {}

    /** A retry of one of the last batches: answer with its original offsets, append nothing. */
    record Duplicate(BatchMetadata original) implements SequenceCheck {}

    /** Refused with Kafka's error. */
    record Reject(Errors error, String message) implements SequenceCheck {}

    Accept ACCEPT = new Accept();
}

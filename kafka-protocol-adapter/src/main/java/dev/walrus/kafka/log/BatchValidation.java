package dev.walrus.kafka.log;

import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;

/** The outcome of validating one partition's produced records: the single batch to store, or Kafka's error. */
public sealed interface BatchValidation {

    /** A valid batch: the buffer holds exactly the batch (position 0, limit = batch size). */
    record Valid(ByteBuffer batch) implements BatchValidation {}

    /** Rejected: nothing of it is stored. */
    record Invalid(Errors error, String message) implements BatchValidation {}
}

package dev.walrus.kafka.log;

import org.apache.kafka.common.protocol.Errors;

/**
 * The outcome of appending one batch to a partition, as the produce response reports it.
 *
 * @param error NONE if stored (or recognised as a duplicate of a stored batch)
 * @param message the error message, null on success
 * @param baseOffset offset of the batch's first record, -1 on error
 * @param logAppendTime the log append time under LogAppendTime, else -1
 * @param logStartOffset the partition's log start offset
 */
public record AppendResult(Errors error, String message, long baseOffset, long logAppendTime, long logStartOffset) {

    public static AppendResult failed(Errors error, String message) {
        return new AppendResult(error, message, -1, -1, -1);
    }
}

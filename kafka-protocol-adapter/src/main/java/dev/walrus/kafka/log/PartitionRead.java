package dev.walrus.kafka.log;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * What a fetch read from one partition: the batches (zero-copy) and the offsets the fetch response reports.
 *
 * @param records {@link EntryRecords} to be closed after sending, or {@link MemoryRecords#EMPTY}
 * @param endPosition the engine position up to which this read saw the log (a parked fetch waits past it)
 */
public record PartitionRead(Errors error, BaseRecords records, long highWatermark, long logStartOffset,
                            long endPosition) {

    public int sizeInBytes() {
        return records.sizeInBytes();
    }

    /** Releases the mapped files behind the records (for a read that is not sent). */
    public void release() {
        if (records instanceof EntryRecords entries) {
            entries.close();
        }
    }
}

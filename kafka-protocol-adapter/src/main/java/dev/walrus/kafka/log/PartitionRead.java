package dev.walrus.kafka.log;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.util.List;

/**
 * What a fetch read from one partition: the batches (zero-copy) and the offsets the fetch response reports.
 *
 * @param records {@link EntryRecords} to be closed after sending, or {@link MemoryRecords#EMPTY}
 * @param endPosition the engine position up to which this read saw the log (a parked fetch waits past it)
 * @param abortedTransactions for a read_committed read, the aborted transactions among the records (possibly
 *        empty); null for read_uncommitted
 */
public record PartitionRead(Errors error, BaseRecords records, long highWatermark, long lastStableOffset,
                            long logStartOffset, long endPosition, List<AbortedTransaction> abortedTransactions) {

    /** An aborted transaction a read_committed consumer must skip: its producer and first offset. */
    public record AbortedTransaction(long producerId, long firstOffset) {}

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

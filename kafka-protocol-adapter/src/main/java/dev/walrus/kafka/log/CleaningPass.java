package dev.walrus.kafka.log;

import dev.walrus.engine.Entry;
import dev.walrus.engine.ReadResult;
import dev.walrus.engine.Walrus;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One cleaning pass over one compacted partition, Kafka's log cleaner on this storage: it keeps the last record of
 * each key and writes the result as a new generation of the partition's {@link CleanedChain}.
 *
 * <p>What it does, as Kafka's cleaner does:
 * <ol>
 *   <li>Builds a map from each key to its last offset over the dirty section (the batches after the cleaned chain and
 *       below the first uncleanable offset), leaving out control batches and aborted transactions.</li>
 *   <li>Filters every batch below that offset (the old cleaned chain first, then the dirty section) with Kafka's
 *       record filter: a record stays when no later record has its key; a record without a key goes; a tombstone
 *       stays until {@code delete.retention.ms} after the pass that first cleaned it (the batch's delete horizon);
 *       the records of aborted transactions go; a transaction marker goes once no record of its transaction is
 *       left, {@code delete.retention.ms} after the pass that first found it so (its delete horizon), unless it is
 *       its producer's last entry (it carries the producer's epoch). A batch that loses every record goes too,
 *       unless it is its producer's last batch (its sequence numbers keep an idempotent producer's state) or the
 *       last batch of the pass (it keeps the offsets), which stay as empty batches. Batches keep their offsets.</li>
 * </ol>
 *
 * <p>The key map holds whole keys (not hashes, as Kafka's does), so a collision can never drop a live record; it is
 * bounded by {@link #MAX_KEY_MAP_BYTES}: a dirty section with more keys than that is cleaned in several passes.
 *
 * <p>Threading: runs on the cleaner thread, outside the partition's lock, on batches that no longer change.
 */
final class CleaningPass {

    /** Bound on the key map: the key bytes plus about 64 bytes of map overhead per key. */
    static final long MAX_KEY_MAP_BYTES = 64L * 1024 * 1024;
    private static final long KEY_OVERHEAD_BYTES = 64;
    private static final int SCAN_BYTES = 1024 * 1024;

    /**
     * What the partition looked like when the pass began (read under its lock).
     *
     * @param partitionTopic the partition's own engine topic
     * @param previous the current cleaned chain, or null
     * @param activeStartPosition the first position of the partition's own engine topic
     * @param uncleanableOffset no batch at or after it is cleaned: the active segment's base offset, or the last
     *        stable offset if lower
     * @param lastBatchOfProducer each producer's last data batch (last offset): kept even when emptied
     * @param lastEntryOfProducer each producer's last batch or marker (offset): a marker there is kept
     * @param aborted the partition's aborted transactions
     */
    record Snapshot(String partitionTopic, CleanedChain previous, long activeStartPosition, long uncleanableOffset,
                    Map<Long, Long> lastBatchOfProducer, Map<Long, Long> lastEntryOfProducer,
                    List<TransactionIndex.Aborted> aborted) {}

    /**
     * The dirty section to clean: the batches from the active start up to {@code endPosition}, whose first offset
     * is {@code endOffset}.
     */
    record Section(long endOffset, long endPosition, Map<ByteBuffer, Long> lastOffsetByKey, long firstTimestamp) {}

    /** The outcome: the new chain, and the section of the partition's own topic it replaces. */
    /**
     * @param removedAbortMarkers the abort markers the pass removed, as {producer id, marker offset}: their
     *        transactions drop out of the partition's transaction index, as Kafka's cleaned index drops them
     */
    record Result(CleanedChain chain, long endOffset, long endPosition, long replacedActiveBytes,
                  int batchesRead, int batchesWritten, List<long[]> removedAbortMarkers) {}

    private final Walrus engine;
    private final Snapshot snapshot;
    private final long nowMs;
    private final LogConfig.Cleanup config;

    /** The aborted transactions by producer, each as {first offset, marker offset}. */
    private final Map<Long, List<long[]>> abortedByProducer = new HashMap<>();

    CleaningPass(Walrus engine, Snapshot snapshot, long nowMs, LogConfig.Cleanup config) {
        this.engine = engine;
        this.snapshot = snapshot;
        this.nowMs = nowMs;
        this.config = config;
        for (TransactionIndex.Aborted a : snapshot.aborted()) {
            abortedByProducer.computeIfAbsent(a.producerId(), id -> new ArrayList<>())
                    .add(new long[] {a.firstOffset(), a.lastOffset()});
        }
    }

    /**
     * Finds the dirty section: the batches from the active start that are below the uncleanable offset and older
     * than {@code min.compaction.lag.ms}, within the key map's bound; builds the key map over them. Null if there
     * is nothing to clean.
     */
    Section dirtySection() {
        String topic = snapshot.partitionTopic();
        Map<ByteBuffer, Long> keys = new HashMap<>();
        long lagLimit = config.minCompactionLagMs() <= 0 ? Long.MAX_VALUE : nowMs - config.minCompactionLagMs();
        long[] mapBytes = {0};
        long[] firstTimestamp = {-1};
        boolean[] any = {false};
        // the walk ends at the first batch not to clean; it always exists (the uncleanable offset is a batch
        // boundary), so a walk without an answer raced a truncation: nothing to clean
        Optional<Section> section = EntryWalk.until(engine, topic, snapshot.activeStartPosition(), Long.MAX_VALUE,
                SCAN_BYTES, e -> {
            ByteBuffer b = e.data();
            long base = RecordBatchHeader.baseOffset(b);
            if (base >= snapshot.uncleanableOffset() || RecordBatchHeader.maxTimestamp(b) > lagLimit
                    || (any[0] && mapBytes[0] >= MAX_KEY_MAP_BYTES)) {
                return Optional.ofNullable(any[0] ? new Section(base, e.position(), keys, firstTimestamp[0]) : null);
            }
            if (!any[0]) {
                any[0] = true;
                firstTimestamp[0] = RecordBatchHeader.maxTimestamp(b);
            }
            if (!RecordBatchHeader.isControl(b) && !isAborted(b)) {
                mapBytes[0] += addKeys(b, keys);
            }
            return null;
        });
        return section == null ? null : section.orElse(null);
    }

    /** Puts each key of the batches in {@code b} with its offset; returns the bytes the map grew by. */
    private static long addKeys(ByteBuffer b, Map<ByteBuffer, Long> keys) {
        long added = 0;
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(b.duplicate()).batches()) {
            for (Record r : batch) {
                if (r.hasKey()) {
                    ByteBuffer key = copy(r.key());
                    if (keys.put(key, r.offset()) == null) {
                        added += key.remaining() + KEY_OVERHEAD_BYTES;
                    }
                }
            }
        }
        return added;
    }

    /** Writes the new cleaned chain for {@code section} and makes it durable. */
    Result write(Section section) {
        int generation = snapshot.previous() == null ? 1 : snapshot.previous().generation() + 1;
        String target = CleanedChain.engineTopic(snapshot.partitionTopic(), generation);
        engine.deleteTopic(target); // left by a pass that a crash or an error interrupted
        Filter filter = new Filter(section);
        Writer writer = new Writer(target);
        long previousEnd = -1;
        if (snapshot.previous() != null) {
            writer.copy(snapshot.previous().engineTopic(), snapshot.previous().startPosition(), Long.MAX_VALUE, -1, filter);
            previousEnd = snapshot.previous().endOffset();
        }
        // batches the previous chain already holds (a swap that failed before the partition's topic was truncated)
        // are not copied twice
        long activeBytes = writer.copy(snapshot.partitionTopic(), snapshot.activeStartPosition(), section.endPosition(),
                previousEnd, filter);
        engine.flush(); // the new chain is durable before anything points at it
        CleanedChain chain = new CleanedChain(target, generation, section.endOffset(), writer.index, writer.size,
                engine.startPosition(target), engine.endPosition(target));
        return new Result(chain, section.endOffset(), section.endPosition(), activeBytes, writer.read, writer.written,
                filter.removedAbortMarkers);
    }

    private boolean isAborted(ByteBuffer batch) {
        return RecordBatchHeader.isTransactional(batch)
                && isAborted(RecordBatchHeader.producerId(batch), RecordBatchHeader.baseOffset(batch));
    }

    /** Whether the transactional batch of {@code producerId} at {@code offset} belongs to an aborted transaction. */
    private boolean isAborted(long producerId, long offset) {
        List<long[]> ranges = abortedByProducer.get(producerId);
        if (ranges != null) {
            for (long[] range : ranges) {
                if (range[0] <= offset && offset <= range[1]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ByteBuffer copy(ByteBuffer source) {
        ByteBuffer copy = ByteBuffer.allocate(source.remaining());
        copy.put(source.duplicate()).flip();
        return copy;
    }

    /** Appends the filtered batches of one engine topic range to the new chain. */
    private final class Writer {
        final String target;
        final OffsetIndex index = new OffsetIndex();
        final BufferSupplier decompression = BufferSupplier.create();
        long size;
        int read;
        int written;

        Writer(String target) {
            this.target = target;
        }

        /** @return the bytes of the batches read; batches that end below {@code skipBelow} are left out */
        long copy(String source, long from, long to, long skipBelow, Filter filter) {
            long[] bytesRead = {0};
            EntryWalk.until(engine, source, from, to - 1, SCAN_BYTES, e -> {
                ByteBuffer batch = e.data();
                bytesRead[0] += batch.remaining();
                if (RecordBatchHeader.lastOffset(batch) >= skipBelow) {
                    read++;
                    append(filter.apply(batch, decompression));
                }
                return null; // to the end of the range
            });
            return bytesRead[0];
        }

        private void append(ByteBuffer filtered) {
            if (filtered == null) {
                return;
            }
            long position = engine.append(target, filtered);
            index.onBatch(RecordBatchHeader.baseOffset(filtered), position, filtered.remaining(),
                    RecordBatchHeader.maxTimestamp(filtered));
            size += filtered.remaining();
            written++;
        }
    }

    /** Kafka's cleaner rules for one batch at a time (see the class comment). */
    private final class Filter extends MemoryRecords.RecordFilter {
        private final Section section;
        private boolean discardRecords;
        /** Producers whose transaction (the one before its next marker) kept a record in this pass. */
        private final Set<Long> transactionsWithData = new HashSet<>();
        final List<long[]> removedAbortMarkers = new ArrayList<>();

        Filter(Section section) {
            super(nowMs, config.deleteRetentionMs());
            this.section = section;
        }

        /** The batch as it stays (possibly emptied, possibly rewritten), or null if it goes. */
        ByteBuffer apply(ByteBuffer batch, BufferSupplier decompression) {
            ByteBuffer out = ByteBuffer.allocate(batch.remaining() + 64);
            MemoryRecords.FilterResult result = MemoryRecords.readableRecords(batch.duplicate())
                    .filterTo(this, out, decompression, Integer.MAX_VALUE);
            ByteBuffer filtered = result.outputBuffer();
            filtered.flip();
            return filtered.hasRemaining() ? filtered : null;
        }

        @Override
        protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            if (batch.isControlBatch()) {
                // The whole transaction is before its marker, so this pass has seen whatever is left of it. As in
                // Kafka, the first pass that finds it empty writes a delete horizon into the marker's batch
                // (containsMarkerForEmptyTxn), and a pass after the horizon removes the marker.
                boolean transactionEmpty = !transactionsWithData.remove(batch.producerId());
                boolean lastEntry = Long.valueOf(batch.lastOffset())
                        .equals(snapshot.lastEntryOfProducer().get(batch.producerId()));
                boolean canDiscard = transactionEmpty && !lastEntry;
                discardRecords = canDiscard && batch.deleteHorizonMs().isPresent()
                        && batch.deleteHorizonMs().getAsLong() <= currentTime;
                if (discardRecords && isAbortMarker(batch)) {
                    removedAbortMarkers.add(new long[] {batch.producerId(), batch.baseOffset()});
                }
                return new BatchRetentionResult(discardRecords ? BatchRetention.DELETE : BatchRetention.DELETE_EMPTY,
                        canDiscard);
            }
            discardRecords = batch.isTransactional() && isAborted(batch.producerId(), batch.baseOffset());
            boolean lastOfProducer = batch.hasProducerId()
                    && Long.valueOf(batch.lastOffset()).equals(snapshot.lastBatchOfProducer().get(batch.producerId()));
            BatchRetention retention;
            if (lastOfProducer || batch.nextOffset() == section.endOffset()) {
                retention = BatchRetention.RETAIN_EMPTY;
            } else if (discardRecords) {
                retention = BatchRetention.DELETE;
            } else {
                retention = BatchRetention.DELETE_EMPTY;
            }
            return new BatchRetentionResult(retention, false);
        }

        private static boolean isAbortMarker(RecordBatch batch) {
            for (Record r : batch) {
                return ControlRecordType.parse(r.key()) == ControlRecordType.ABORT;
            }
            return false;
        }

        @Override
        protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            if (discardRecords) {
                return false;
            }
            boolean retained = retain(batch, record);
            if (retained && batch.isTransactional() && !batch.isControlBatch()) {
                transactionsWithData.add(batch.producerId());
            }
            return retained;
        }

        private boolean retain(RecordBatch batch, Record record) {
            if (batch.isControlBatch() || record.offset() >= section.endOffset()) {
                return true;
            }
            if (!record.hasKey()) {
                return false;
            }
            Long latest = section.lastOffsetByKey().get(record.key());
            if (latest != null && record.offset() < latest) {
                return false;
            }
            if (record.hasValue()) {
                return true;
            }
            // a tombstone: kept until the delete horizon its first cleaning set on the batch has passed
            return batch.deleteHorizonMs().isEmpty() || currentTime < batch.deleteHorizonMs().getAsLong();
        }
    }
}

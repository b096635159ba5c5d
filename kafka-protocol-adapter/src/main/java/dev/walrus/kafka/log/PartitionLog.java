package dev.walrus.kafka.log;

import dev.walrus.engine.Entry;
import dev.walrus.engine.FsyncSchedule;
import dev.walrus.engine.NamedReader;
import dev.walrus.engine.ReadConsistency;
import dev.walrus.engine.ReadResult;
import dev.walrus.engine.TopicSettings;
import dev.walrus.engine.Walrus;
import dev.walrus.kafka.producer.BatchMetadata;
import dev.walrus.kafka.producer.ProducerStateTable;
import dev.walrus.kafka.producer.SequenceCheck;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Kafka partition on its engine topic: one engine entry per record batch, stored as produced with the broker's
 * base offset written into it.
 *
 * <p>Offsets: the log end offset is the next offset to assign; the high watermark equals it (a single node is its
 * own ISR). The log start offset is persisted as the checkpoint attachment of the named reader
 * {@value #LOG_START_READER}, so an emptied log does not restart its offsets at 0.
 *
 * <p>Threading: appends and truncation are serialized by this object's lock (offset order must equal position
 * order); reads run concurrently on any thread, lock-free except for a short index lookup, and see only batches
 * whose append has completed ({@link #publishedPosition}).
 */
public final class PartitionLog {

    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);

    /** The named reader whose checkpoint attachment holds the log start offset. */
    static final String LOG_START_READER = "kafka.log-start";
    /**
     * The named reader whose attachment names the current cleaned chain (generation, end offset) of a compacted
     * partition; committed durably before the chain is used, so a restart finds the same chain.
     */
    static final String CLEANED_READER = "kafka.cleaned";
    /** Leader epoch written into every stored batch: this node has led every partition since it was created. */
    public static final int LEADER_EPOCH = 0;
    private static final int SCAN_BYTES = 64 * 1024;
    /** The coordinator epoch written into markers: this node has been the transaction coordinator from the start. */
    private static final int COORDINATOR_EPOCH = 0;

    private final Walrus engine;
    private final TopicPartition topicPartition;
    private final String engineTopic;
    private final OffsetIndex index = new OffsetIndex();
    private final ProducerStateTable producers = new ProducerStateTable();
    private final TransactionIndex transactions = new TransactionIndex();

    private volatile LogConfig config;
    private volatile long logEndOffset;
    private volatile long logStartOffset;
    /**
     * First offset of the oldest open transaction, -1 when none: the last stable offset. Written before
     * {@link #logEndOffset} on an append, so a reader that sees the new end also sees the transaction it opened.
     */
    private volatile long firstUnstableOffset = -1;
    /** Position of the last batch readers may see; -1 if none. Written after the append returns. */
    private volatile long publishedPosition = -1;
    /** The engine end position just after the last published batch: a parked fetch waits for the engine to pass it. */
    private volatile long publishedEnd;
    private long recordsSinceFlush;
    /** Bytes of the stored batches (from the first kept batch to the end), for {@code retention.bytes}. */
    private volatile long sizeInBytes;

    /**
     * The cleaned part of a compacted partition (offsets below its end offset), null before the first cleaning.
     * Written under this object's lock before the partition's own topic is truncated after it, so a reader that saw
     * the truncation also sees the chain that replaced what it dropped (see {@link #read}).
     */
    private volatile CleanedChain cleaned;
    /** One cleaning pass or truncation at a time: both replace the front of the log. Taken before this lock. */
    private final ReentrantLock frontLock = new ReentrantLock();
    /** The topic was deleted: a cleaning pass must not write for it any more. Guarded by this. */
    private boolean deleted;

    // Kafka's active segment, which the cleaner never touches; rolled by segment.bytes and segment.ms as Kafka rolls
    // on append. Guarded by this.
    private long activeSegmentBase;
    private long activeSegmentBytes;
    /** The first batch's max timestamp, what segment.ms counts from; -1 while the segment is empty. */
    private long activeSegmentRollTimestamp = -1;

    /** Where the last fetch stopped: the next fetch of a consumer usually starts there, skipping the index and scan. */
    private record ReadMark(long offset, long position) {}

    private volatile ReadMark lastReadEnd = new ReadMark(-1, -1);

    private PartitionLog(Walrus engine, TopicPartition topicPartition, String engineTopic, LogConfig config) {
        this.engine = engine;
        this.topicPartition = topicPartition;
        this.engineTopic = engineTopic;
        this.config = config;
    }

    /** Opens a partition, rebuilding its index and producer state by scanning its batch headers. */
    public static PartitionLog open(Walrus engine, TopicPartition tp, String engineTopic, LogConfig config) {
        PartitionLog p = new PartitionLog(engine, tp, engineTopic, config);
        p.applyFsyncSchedule();
        p.rebuild();
        return p;
    }

    public TopicPartition topicPartition() { return topicPartition; }

    public String engineTopic() { return engineTopic; }

    public long logEndOffset() { return logEndOffset; }

    public long highWatermark() { return logEndOffset; }

    /**
     * The last stable offset: below it every transaction has ended, which read_committed consumers may read up to.
     * Without an open transaction it is the high watermark.
     */
    public long lastStableOffset() {
        return lastStableOffset(logEndOffset);
    }

    /**
     * The last stable offset against a high watermark the caller already read (so that a response never reports it
     * above that high watermark); never below the log start offset, as Kafka clamps it when retention or DeleteRecords
     * passes an open transaction's first offset.
     */
    private long lastStableOffset(long hw) {
        long firstUnstable = firstUnstableOffset;
        long stable = firstUnstable >= 0 ? Math.min(firstUnstable, hw) : hw;
        return Math.max(stable, Math.min(logStartOffset, hw));
    }

    public long logStartOffset() { return logStartOffset; }

    public LogConfig config() { return config; }

    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
        applyFsyncSchedule();
    }

    /**
     * A topic with {@code flush.*} set (or the broker's {@code log.flush.*}) gets that schedule; one without gets the
     * engine's default back, so removing the override at runtime (IncrementalAlterConfigs) undoes it.
     */
    private void applyFsyncSchedule() {
        Optional<FsyncSchedule> schedule = config.fsyncSchedule();
        if (schedule.isPresent()) {
            engine.configureTopic(engineTopic, new TopicSettings(schedule.get(), ReadConsistency.strictlyAtOnce()));
        } else if (!engine.topicSettings(engineTopic).equals(engine.defaultTopicSettings())) {
            engine.configureTopic(engineTopic, engine.defaultTopicSettings());
        }
    }

    // ---- appending ----------------------------------------------------------------------------------------------

    /**
     * Appends one validated batch (a buffer holding exactly it, which this method patches in place: base offset,
     * leader epoch, and under LogAppendTime the timestamp and CRC). A retry of a recent idempotent batch is answered
     * with its original offsets and not stored again.
     */
    public AppendResult append(ByteBuffer batch, long nowMs) {
        return append(batch, nowMs, null, TransactionVerifier.NONE);
    }

    /**
     * As {@link #append(ByteBuffer, long)}; a transactional batch is first checked by {@code verifier} (under this
     * log's lock, see {@link TransactionVerifier}) for the request's {@code transactionalId}.
     */
    public synchronized AppendResult append(ByteBuffer batch, long nowMs, String transactionalId,
                                            TransactionVerifier verifier) {
        LogConfig cfg = config;
        long producerId = RecordBatchHeader.producerId(batch);
        short epoch = RecordBatchHeader.producerEpoch(batch);
        int firstSeq = RecordBatchHeader.baseSequence(batch);
        int lastSeq = RecordBatchHeader.lastSequence(batch);
        if (RecordBatchHeader.isTransactional(batch)) {
            Errors verdict = verifier.verify(transactionalId, producerId, epoch, topicPartition);
            if (verdict != Errors.NONE) {
                return AppendResult.failed(verdict, "the batch of producer " + producerId + " at epoch " + epoch
                        + " is not part of an ongoing transaction of " + transactionalId + " that added " + topicPartition);
            }
        }
        if (producerId >= 0) {
            switch (producers.check(producerId, epoch, firstSeq, lastSeq)) {
                case SequenceCheck.Duplicate d -> {
                    return new AppendResult(Errors.NONE, null, d.original().firstOffset(),
                            cfg.logAppendTime() ? d.original().timestamp() : -1, logStartOffset);
                }
                case SequenceCheck.Reject r -> {
                    return AppendResult.failed(r.error(), r.message());
                }
                case SequenceCheck.Accept a -> { }
            }
        }
        long baseOffset = logEndOffset;
        RecordBatchHeader.setBaseOffset(batch, baseOffset);
        RecordBatchHeader.setPartitionLeaderEpoch(batch, LEADER_EPOCH);
        long appendTime = -1;
        if (cfg.logAppendTime()) {
            appendTime = nowMs;
            BatchValidator.stampLogAppendTime(batch, nowMs);
        }
        long position = engine.append(engineTopic, batch);
        long lastOffset = baseOffset + RecordBatchHeader.lastOffsetDelta(batch);
        long maxTimestamp = RecordBatchHeader.maxTimestamp(batch);
        stored(baseOffset, position, batch.remaining(), maxTimestamp, nowMs);
        if (producerId >= 0) {
            recordProducerBatch(producerId, epoch, new BatchMetadata(firstSeq, lastSeq, baseOffset, lastOffset, maxTimestamp),
                    RecordBatchHeader.isTransactional(batch));
        }
        publish(lastOffset, position);
        if (cfg.flushEveryMessages() > 0) {
            recordsSinceFlush += lastOffset - baseOffset + 1;
            if (recordsSinceFlush >= cfg.flushEveryMessages()) {
                recordsSinceFlush = 0;
                engine.syncAsync();
            }
        }
        return new AppendResult(Errors.NONE, null, baseOffset, appendTime, logStartOffset);
    }

    /**
     * Appends a transaction marker (a control batch of one record) for a producer: commit or abort of its transaction
     * in this partition, as Kafka's coordinator writes to every partition the transaction added, whether or not the
     * producer wrote to it. The marker takes one offset.
     *
     * @return the marker's offset
     */
    public synchronized long appendMarker(long producerId, short epoch, boolean commit, long nowMs) {
        return appendMarker(producerId, epoch, COORDINATOR_EPOCH, commit, nowMs);
    }

    /**
     * A marker from WriteTxnMarkers ({@code kafka-transactions abort} of a hanging transaction): appended only if the
     * producer state allows it (see {@link ProducerStateTable#checkMarker}).
     */
    public synchronized Errors appendCheckedMarker(long producerId, short epoch, int coordinatorEpoch, boolean commit,
                                                   long nowMs) {
        Errors error = producers.checkMarker(producerId, epoch, coordinatorEpoch);
        if (error == Errors.NONE) {
            appendMarker(producerId, epoch, coordinatorEpoch, commit, nowMs);
        }
        return error;
    }

    private long appendMarker(long producerId, short epoch, int coordinatorEpoch, boolean commit, long nowMs) {
        long offset = logEndOffset;
        EndTransactionMarker marker = new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT,
                coordinatorEpoch);
        ByteBuffer batch = MemoryRecords.withEndTransactionMarker(offset, nowMs, LEADER_EPOCH, producerId, epoch, marker)
                .buffer();
        long position = engine.append(engineTopic, batch);
        stored(offset, position, batch.remaining(), nowMs, nowMs);
        producers.recordMarker(producerId, epoch, coordinatorEpoch, offset, nowMs);
        transactions.onMarker(producerId, commit, offset);
        firstUnstableOffset = transactions.firstUnstableOffset();
        publish(offset, position);
        return offset;
    }

    /**
     * Lock held (or rebuilding): a producer's data batch enters its producer state, and a transactional one opens or
     * extends its transaction here, moving the last stable offset. Appends and the rebuild at start both come here, so
     * a restart rebuilds exactly the state the appends left.
     */
    private void recordProducerBatch(long producerId, short epoch, BatchMetadata batch, boolean transactional) {
        producers.record(producerId, epoch, batch);
        if (transactional) {
            transactions.onTransactionalBatch(producerId, batch.firstOffset());
            firstUnstableOffset = transactions.firstUnstableOffset();
        }
    }

    /**
     * Lock held (or rebuilding): a batch now stored at {@code position} enters the offset index, the size retention
     * counts, and the active segment, which rolls first if the batch would pass {@code segment.bytes} or the segment
     * is older than {@code segment.ms} (Kafka's roll on append).
     */
    private void stored(long baseOffset, long position, int bytes, long maxTimestamp, long nowMs) {
        LogConfig.Cleanup cleanup = config.cleanup();
        if (activeSegmentBytes > 0 && (activeSegmentBytes + bytes > cleanup.segmentBytes()
                || nowMs - activeSegmentRollTimestamp > cleanup.segmentMs())) {
            activeSegmentBase = baseOffset;
            activeSegmentBytes = 0;
            activeSegmentRollTimestamp = -1;
        }
        if (activeSegmentRollTimestamp < 0) {
            activeSegmentRollTimestamp = maxTimestamp;
        }
        activeSegmentBytes += bytes;
        index.onBatch(baseOffset, position, bytes, maxTimestamp);
        sizeInBytes += bytes;
    }

    /**
     * Lock held, after the producer and transaction state were updated (the last stable offset first): readers may
     * now see the log up to {@code lastOffset}, stored at {@code position}.
     */
    private void publish(long lastOffset, long position) {
        logEndOffset = lastOffset + 1;
        // Order matters: a reader reads publishedEnd before publishedPosition, so one that sees the new end also
        // sees the new batch, and one that sees the old end waits past it and is woken at once.
        publishedPosition = position;
        publishedEnd = engine.endPosition(engineTopic);
    }

    /** The first offset of the producer's open transaction in this partition, -1 if it has none. */
    public synchronized long openTransactionStart(long producerId) {
        return transactions.openTransactionStart(producerId);
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    /**
     * Reads batches from {@code fetchOffset}: from the batch that holds it, up to {@code maxBytes}; the first batch
     * is returned whatever its size when {@code minOneBatch}, else only batches that fit.
     */
    public PartitionRead read(long fetchOffset, int maxBytes, boolean minOneBatch) {
        return read(fetchOffset, maxBytes, minOneBatch, false);
    }

    /**
     * As {@link #read(long, int, boolean)}; with {@code readCommitted} only batches below the last stable offset are
     * returned, with the aborted transactions among them (Kafka's read_committed fetch).
     */
    public PartitionRead read(long fetchOffset, int maxBytes, boolean minOneBatch, boolean readCommitted) {
        while (true) {
            CleanedChain chain = cleaned;
            PartitionRead read = read(chain, fetchOffset, maxBytes, minOneBatch, readCommitted);
            if (cleaned == chain) {
                return read;
            }
            // A cleaning pass swapped the front of the log while this read ran: what it read of the partition's own
            // topic may come from past a truncation. Read again on the new layout.
            read.release();
        }
    }

    private PartitionRead read(CleanedChain chain, long fetchOffset, int maxBytes, boolean minOneBatch,
                               boolean readCommitted) {
        long waitPast = publishedEnd;
        long published = publishedPosition;
        long hw = logEndOffset;
        long lso = lastStableOffset(hw);
        long start = logStartOffset;
        long upTo = readCommitted ? lso : hw;
        if (fetchOffset < start || fetchOffset > hw) {
            return new PartitionRead(Errors.OFFSET_OUT_OF_RANGE, MemoryRecords.EMPTY, hw, lso, start, waitPast, null);
        }
        List<PartitionRead.AbortedTransaction> noAborted = readCommitted ? List.of() : null;
        if (fetchOffset >= upTo || (maxBytes <= 0 && !minOneBatch)) {
            return new PartitionRead(Errors.NONE, MemoryRecords.EMPTY, hw, lso, start, waitPast, noAborted);
        }
        if (chain != null && fetchOffset < chain.endOffset()) {
            PartitionRead fromCleaned = readCleaned(chain, fetchOffset, maxBytes, minOneBatch, readCommitted, upTo, hw,
                    lso, start, waitPast);
            if (fromCleaned != null) {
                return fromCleaned;
            }
            fetchOffset = chain.endOffset(); // cleaned away up to the chain's end: go on in the partition's topic
            if (fetchOffset >= upTo) {
                return new PartitionRead(Errors.NONE, MemoryRecords.EMPTY, hw, lso, start, waitPast, noAborted);
            }
        }
        if (published < 0) {
            return new PartitionRead(Errors.NONE, MemoryRecords.EMPTY, hw, lso, start, waitPast, noAborted);
        }
        ReadMark mark = lastReadEnd;
        long position = mark.offset() == fetchOffset && fetchOffset >= start ? mark.position() : positionOf(fetchOffset, published);
        if (position < 0) {
            return new PartitionRead(Errors.NONE, MemoryRecords.EMPTY, hw, lso, start, waitPast, noAborted);
        }
        ReadResult result = engine.read(engineTopic, position, Math.max(maxBytes, 1));
        Taken taken = take(result, published, readCommitted ? upTo : Long.MAX_VALUE, maxBytes, minOneBatch);
        if (taken.views().isEmpty()) {
            result.close();
            return new PartitionRead(Errors.NONE, MemoryRecords.EMPTY, hw, lso, start, waitPast, noAborted);
        }
        long readEnd = RecordBatchHeader.lastOffset(taken.last().data()) + 1;
        lastReadEnd = new ReadMark(readEnd, taken.last().nextPosition());
        return new PartitionRead(Errors.NONE, new EntryRecords(result, taken.views()), hw, lso, start, waitPast,
                readCommitted ? abortedBetween(fetchOffset, readEnd) : null);
    }

    /** The batches a read returns, and the last of them. */
    private record Taken(List<ByteBuffer> views, Entry last) {}

    /**
     * The leading batches of {@code result} a fetch returns: up to {@code published}, below {@code below} (the last
     * stable offset of a read_committed fetch), within {@code maxBytes} (the first one whatever its size when
     * {@code minOneBatch}).
     */
    private static Taken take(ReadResult result, long published, long below, int maxBytes, boolean minOneBatch) {
        List<ByteBuffer> views = new ArrayList<>(result.entries().size());
        int total = 0;
        Entry last = null;
        for (Entry e : result.entries()) {
            if (e.position() > published) {
                break;
            }
            ByteBuffer data = e.data();
            if (RecordBatchHeader.baseOffset(data) >= below) {
                break;
            }
            if ((!views.isEmpty() || !minOneBatch) && total + data.remaining() > maxBytes) {
                break;
            }
            views.add(data);
            total += data.remaining();
            last = e;
        }
        return new Taken(views, last);
    }

    /**
     * A read below the cleaned chain's end offset: its batches from the one holding {@code fetchOffset} (or the first
     * after it, where the cleaner removed that offset) up to the chain's end; null if none is left there.
     */
    private PartitionRead readCleaned(CleanedChain chain, long fetchOffset, int maxBytes, boolean minOneBatch,
                                      boolean readCommitted, long upTo, long hw, long lso, long start, long waitPast) {
        long position = positionIn(chain.engineTopic(), chain.index(), fetchOffset, Long.MAX_VALUE);
        if (position < 0) {
            return null;
        }
        ReadResult result = engine.read(chain.engineTopic(), position, Math.max(maxBytes, 1));
        Taken taken = take(result, Long.MAX_VALUE, readCommitted ? upTo : Long.MAX_VALUE, maxBytes, minOneBatch);
        if (taken.views().isEmpty()) {
            result.close();
            return result.entries().isEmpty() ? null
                    : new PartitionRead(Errors.NONE, MemoryRecords.EMPTY, hw, lso, start, waitPast,
                            readCommitted ? List.of() : null);
        }
        long readEnd = RecordBatchHeader.lastOffset(taken.last().data()) + 1;
        return new PartitionRead(Errors.NONE, new EntryRecords(result, taken.views()), hw, lso, start, waitPast,
                readCommitted ? abortedBetween(fetchOffset, readEnd) : null);
    }

    private synchronized List<PartitionRead.AbortedTransaction> abortedBetween(long from, long to) {
        return transactions.abortedOverlapping(from, to);
    }

    /** The position of the published batch holding {@code offset}, or -1 if there is none. */
    private long positionOf(long offset, long published) {
        return positionIn(engineTopic, index, offset, published);
    }

    /**
     * The position in {@code topic} of the first batch, up to {@code published}, that holds {@code offset} or comes
     * after it; -1 if there is none.
     */
    private long positionIn(String topic, OffsetIndex topicIndex, long offset, long published) {
        long position = topicIndex.floorPosition(offset);
        if (position < 0) {
            return -1;
        }
        Long found = EntryWalk.until(engine, topic, position, published, SCAN_BYTES,
                e -> RecordBatchHeader.lastOffset(e.data()) >= offset ? e.position() : null);
        return found == null ? -1 : found;
    }

    // ---- offsets by timestamp -----------------------------------------------------------------------------------

    /** The first record whose timestamp is at least {@code timestamp} (Kafka's ListOffsets by timestamp). */
    public OffsetAndTimestamp offsetForTimestamp(long timestamp) {
        while (true) {
            CleanedChain chain = cleaned;
            OffsetAndTimestamp found = chain == null ? OffsetAndTimestamp.NONE
                    : offsetForTimestampIn(chain.engineTopic(), chain.index(), Long.MAX_VALUE, timestamp);
            if (found.offset() < 0) {
                found = offsetForTimestampIn(engineTopic, index, publishedPosition, timestamp);
            }
            if (cleaned == chain) {
                return found;
            }
        }
    }

    private OffsetAndTimestamp offsetForTimestampIn(String topic, OffsetIndex topicIndex, long published, long timestamp) {
        long position = topicIndex.timestampScanStart(timestamp);
        if (position < 0 || published < 0) {
            return OffsetAndTimestamp.NONE;
        }
        long start = logStartOffset;
        OffsetAndTimestamp found = EntryWalk.until(engine, topic, position, published, SCAN_BYTES, e -> {
            ByteBuffer b = e.data();
            return RecordBatchHeader.maxTimestamp(b) >= timestamp && RecordBatchHeader.lastOffset(b) >= start
                    ? firstRecordAtOrAfter(b, timestamp, start) : null;
        });
        return found == null ? OffsetAndTimestamp.NONE : found;
    }

    /** The record with the largest timestamp (the first such, if several): ListOffsets MAX_TIMESTAMP. */
    public OffsetAndTimestamp maxTimestampOffset() {
        CleanedChain chain = cleaned;
        long max = Math.max(index.maxTimestamp(), chain == null ? -1 : chain.index().maxTimestamp());
        if (max < 0 || logEndOffset == logStartOffset) {
            return OffsetAndTimestamp.NONE;
        }
        return offsetForTimestamp(max);
    }

    /** Decodes one batch (only this one) to find its first record at or after a timestamp and a start offset. */
    private static OffsetAndTimestamp firstRecordAtOrAfter(ByteBuffer batchView, long timestamp, long minOffset) {
        ByteBuffer copy = ByteBuffer.allocate(batchView.remaining()).order(ByteOrder.BIG_ENDIAN);
        copy.put(batchView.duplicate()).flip();
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(copy).batches()) {
            if (batch.timestampType() == org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME) {
                long offset = Math.max(batch.baseOffset(), minOffset);
                return batch.maxTimestamp() >= timestamp ? new OffsetAndTimestamp(offset, batch.maxTimestamp()) : null;
            }
            for (Record r : batch) {
                if (r.offset() >= minOffset && r.timestamp() >= timestamp) {
                    return new OffsetAndTimestamp(r.offset(), r.timestamp());
                }
            }
        }
        return null;
    }

    // ---- log start ----------------------------------------------------------------------------------------------

    /**
     * Retention, as Kafka's log manager applies it to leading segments, here batch by batch (the engine reclaims
     * whole files by itself once they are fully truncated), when {@code cleanup.policy} lists {@code delete}:
     * {@code retention.ms} drops the leading batches whose max timestamp is older than the limit;
     * {@code retention.bytes} drops leading batches while what remains after dropping one is still at least the limit.
     * A compacted partition's cleaned chain comes first.
     *
     * @return the new log start offset
     */
    public long applyRetention(long nowMs) {
        // under the front lock: a cleaning pass swapping the chain mid-scan would make this one read a deleted chain
        // as all expired
        frontLock.lock();
        try {
            return applyRetentionLocked(nowMs);
        } finally {
            frontLock.unlock();
        }
    }

    private long applyRetentionLocked(long nowMs) {
        LogConfig cfg = config;
        long retentionMs = cfg.retentionMs();
        long retentionBytes = cfg.retentionBytes();
        boolean bySize = retentionBytes >= 0 && sizeInBytes > retentionBytes;
        if (!cfg.cleanup().delete() || (retentionMs < 0 && !bySize) || logEndOffset == logStartOffset) {
            return logStartOffset;
        }
        long cutoff = retentionMs < 0 ? Long.MIN_VALUE : nowMs - retentionMs;
        long[] remaining = {sizeInBytes};
        long keepFrom = logEndOffset;
        CleanedChain chain = cleaned;
        Long kept = null;
        if (chain != null && logStartOffset < chain.endOffset()) {
            kept = firstKept(chain.engineTopic(), chain.index().floorPosition(logStartOffset), Long.MAX_VALUE, cutoff,
                    retentionBytes, remaining);
        }
        if (kept == null) {
            kept = firstKept(engineTopic, index.floorPosition(logStartOffset), publishedPosition, cutoff, retentionBytes,
                    remaining);
        }
        if (kept != null) {
            keepFrom = kept;
        }
        if (keepFrom > logStartOffset) {
            log.info("Partition {}: retention (retention.ms {}, retention.bytes {}) moves the log start offset from {} to {}",
                    topicPartition, retentionMs, retentionBytes, logStartOffset, keepFrom);
            truncateBefore(keepFrom);
        }
        return logStartOffset;
    }

    /**
     * The offset from which retention keeps the batches of {@code topic} from {@code position} on (up to
     * {@code published}), or null if it drops all of them; {@code remaining} counts down the bytes left.
     */
    private Long firstKept(String topic, long position, long published, long cutoff, long retentionBytes,
                           long[] remaining) {
        if (position < 0) {
            return null;
        }
        return EntryWalk.until(engine, topic, position, published, SCAN_BYTES, e -> {
            ByteBuffer b = e.data();
            boolean expired = RecordBatchHeader.maxTimestamp(b) < cutoff;
            boolean overSize = retentionBytes >= 0 && remaining[0] - b.remaining() >= retentionBytes;
            if (RecordBatchHeader.lastOffset(b) >= logStartOffset && !expired && !overSize) {
                return Math.max(logStartOffset, RecordBatchHeader.baseOffset(b));
            }
            remaining[0] -= b.remaining();
            return null;
        });
    }

    /**
     * Moves the log start offset forward (retention, DeleteRecords): whole batches before it are dropped from the
     * engine; a batch that straddles it stays, and fetches below the new start are refused as Kafka does. In a
     * compacted partition a start inside the cleaned chain truncates that chain; one past it drops the chain.
     */
    public void truncateBefore(long newLogStartOffset) {
        frontLock.lock();
        try {
            MainLogCut cut = truncateChainOrPlan(newLogStartOffset);
            if (cut != null) {
                // Counting what the cut drops reads every batch before it: done outside the partition's lock, which
                // appends and reads take, since the range cannot change: it lies below what the plan saw published,
                // and the front only moves under frontLock, held here.
                long dropped = bytesBefore(cut.enginePosition());
                truncateMainLog(cut, dropped);
            }
        } finally {
            frontLock.unlock();
        }
    }

    /**
     * Where the partition's own engine topic is cut for the new log start {@code target}: before
     * {@code enginePosition}, the batch holding the target or, when every batch goes, the end when planned.
     */
    private record MainLogCut(long target, long enginePosition) {}

    /**
     * Lock held: a truncation that involves the cleaned chain is done here whole, as one step for readers (null
     * returned); otherwise the cut of the partition's own topic is planned for {@link #truncateMainLog}. Null also
     * when the log start does not move.
     */
    private synchronized MainLogCut truncateChainOrPlan(long newLogStartOffset) {
        if (newLogStartOffset <= logStartOffset) {
            return null;
        }
        long target = Math.min(newLogStartOffset, logEndOffset);
        CleanedChain chain = cleaned;
        if (chain != null && chain.sizeInBytes() > 0) {
            long position = target < chain.endOffset()
                    ? positionIn(chain.engineTopic(), chain.index(), target, Long.MAX_VALUE) : -1;
            long cut = position < 0 ? chain.endPosition() : position;
            persistLogStart(engine.startPosition(engineTopic), target);
            engine.truncateBefore(chain.engineTopic(), cut);
            CleanedChain truncated = CleanedChain.scan(engine, chain.engineTopic(), chain.generation(),
                    chain.endOffset(), (b, p) -> { });
            sizeInBytes -= chain.sizeInBytes() - truncated.sizeInBytes();
            cleaned = truncated;
            if (target < chain.endOffset()) {
                logStartOffset = target;
                transactions.truncateBefore(target); // producer state stays, as in Kafka (ProducerStateTable)
                return null;
            }
            MainLogCut afterChain = planMainLogCut(target);
            truncateMainLog(afterChain, bytesBefore(afterChain.enginePosition())); // still one step: see above
            return null;
        }
        return planMainLogCut(target);
    }

    /** Lock held: where the partition's own topic is cut for the new log start {@code target}. */
    private MainLogCut planMainLogCut(long target) {
        long published = publishedPosition;
        long position = published < 0 ? -1 : positionOf(target, published);
        return new MainLogCut(target, position < 0 ? engine.endPosition(engineTopic) : position);
    }

    /** Cuts the partition's own topic as planned; {@code dropped}: the bytes of the batches before the cut. */
    private synchronized void truncateMainLog(MainLogCut cut, long dropped) {
        long target = cut.target();
        persistLogStart(cut.enginePosition(), target);
        logStartOffset = target;
        sizeInBytes -= dropped;
        engine.truncateBefore(engineTopic, cut.enginePosition());
        // the first batch kept: the one holding the target, or one appended since the plan when every batch went
        try (ReadResult first = engine.read(engineTopic, cut.enginePosition(), 1)) {
            if (first.entries().isEmpty()) {
                index.clear();
            } else {
                Entry kept = first.entries().getFirst();
                index.truncateBefore(RecordBatchHeader.baseOffset(kept.data()), kept.position());
            }
        }
        transactions.truncateBefore(target); // producer state stays, as in Kafka (ProducerStateTable)
    }

    /** Bytes of the stored batches before an engine position (what a truncation there drops). */
    private long bytesBefore(long cut) {
        long[] bytes = {0};
        EntryWalk.until(engine, engineTopic, engine.startPosition(engineTopic), cut - 1, SCAN_BYTES, e -> {
            bytes[0] += e.data().remaining();
            return null; // to the end of the range
        });
        return bytes[0];
    }

    // ---- compaction ---------------------------------------------------------------------------------------------

    /**
     * One cleaning pass if this partition is compacted and due, as Kafka's log cleaner picks a log: its dirty section
     * (after the cleaned chain, before the active segment and the last stable offset) is at least
     * {@code min.cleanable.dirty.ratio} of the cleanable log, or its first dirty batch is older than
     * {@code max.compaction.lag.ms}. See {@link CleaningPass} for what a pass keeps.
     *
     * @return whether a pass ran
     */
    public boolean clean(long nowMs) {
        LogConfig.Cleanup cfg = config.cleanup();
        if (!cfg.compact()) {
            return false;
        }
        frontLock.lock();
        try {
            CleaningPass.Snapshot snapshot;
            synchronized (this) {
                snapshot = cleaningSnapshot(cfg, nowMs);
            }
            if (snapshot == null) {
                return false;
            }
            long started = System.nanoTime();
            CleaningPass pass = new CleaningPass(engine, snapshot, nowMs, cfg);
            CleaningPass.Section section = pass.dirtySection();
            if (section == null || !due(cfg, section.endPosition() - snapshot.activeStartPosition(), snapshot.previous(),
                    section.firstTimestamp(), nowMs)) {
                return false;
            }
            CleaningPass.Result result = pass.write(section);
            install(snapshot.previous(), result);
            log.info("Partition {}: cleaned offsets below {} into generation {}: {} batches read, {} kept, {} bytes, "
                    + "{} keys, {} ms", topicPartition, result.endOffset(), result.chain().generation(),
                    result.batchesRead(), result.batchesWritten(), result.chain().sizeInBytes(),
                    section.lastOffsetByKey().size(), (System.nanoTime() - started) / 1_000_000);
            return true;
        } finally {
            frontLock.unlock();
        }
    }

    /** Lock held: what a pass starts from, or null if no pass is due even for the largest dirty section. */
    private CleaningPass.Snapshot cleaningSnapshot(LogConfig.Cleanup cfg, long nowMs) {
        if (deleted) {
            return null;
        }
        long uncleanable = firstUnstableOffset >= 0 ? Math.min(activeSegmentBase, firstUnstableOffset) : activeSegmentBase;
        long dirtyStart = cleaned == null ? logStartOffset : Math.max(logStartOffset, cleaned.endOffset());
        if (uncleanable <= dirtyStart || publishedPosition < 0) {
            return null;
        }
        long activeStart = engine.startPosition(engineTopic);
        long dirtyEnd = positionOf(uncleanable, publishedPosition);
        if (dirtyEnd <= activeStart || !due(cfg, dirtyEnd - activeStart, cleaned, firstTimestampAt(activeStart), nowMs)) {
            return null;
        }
        return new CleaningPass.Snapshot(engineTopic, cleaned, activeStart, uncleanable,
                producers.lastDataBatchOffsets(), producers.lastEntryOffsets(), transactions.aborted());
    }

    private static boolean due(LogConfig.Cleanup cfg, long dirtyBytes, CleanedChain chain, long firstDirtyTimestamp,
                               long nowMs) {
        if (dirtyBytes <= 0) {
            return false;
        }
        long clean = chain == null ? 0 : chain.spanBytes();
        boolean overdue = cfg.maxCompactionLagMs() != Long.MAX_VALUE && firstDirtyTimestamp >= 0
                && firstDirtyTimestamp < nowMs - cfg.maxCompactionLagMs();
        return overdue || (double) dirtyBytes / (clean + dirtyBytes) >= cfg.minCleanableRatio();
    }

    private long firstTimestampAt(long position) {
        try (ReadResult first = engine.read(engineTopic, position, 1)) {
            return first.entries().isEmpty() ? -1 : RecordBatchHeader.maxTimestamp(first.entries().getFirst().data());
        }
    }

    /**
     * Swaps a pass's chain in: the marker naming it is made durable first (from then on a restart uses it), then
     * readers see it, then the partition's topic drops what it replaced, and the previous chain goes.
     *
     * <p>The fsync that makes the marker durable runs between two short sections under the partition's lock, not
     * inside one: appends and reads of the partition take that lock, and an fsync (which writes whatever the whole
     * engine has dirty) would stall them for its length. Between the sections readers still use the previous chain,
     * which is sound: a restart at that moment uses the new one, complete and durable before the marker was written,
     * over a log not yet truncated. Only the cleaner thread installs, so no other pass interleaves.
     */
    private void install(CleanedChain previous, CleaningPass.Result result) {
        CleanedChain chain = result.chain();
        synchronized (this) {
            if (deleted) {
                engine.deleteTopic(chain.engineTopic());
                return;
            }
            ByteBuffer marker = ByteBuffer.allocate(Integer.BYTES + Long.BYTES).putInt(chain.generation())
                    .putLong(chain.endOffset());
            engine.reader(engineTopic, CLEANED_READER).commit(result.endPosition(), marker.array());
        }
        engine.flush();
        synchronized (this) {
            if (deleted) { // deleted during the fsync: the marker went with the partition's topic
                engine.deleteTopic(chain.engineTopic());
                return;
            }
            cleaned = chain;
            sizeInBytes += chain.sizeInBytes() - (previous == null ? 0 : previous.sizeInBytes())
                    - result.replacedActiveBytes();
            engine.truncateBefore(engineTopic, result.endPosition());
            index.truncateBefore(result.endOffset(), result.endPosition());
            lastReadEnd = new ReadMark(-1, -1);
            for (long[] removed : result.removedAbortMarkers()) {
                transactions.forgetAborted(removed[0], removed[1]);
            }
        }
        if (previous != null) {
            engine.deleteTopic(previous.engineTopic());
        }
    }

    /** The topic was deleted: a cleaning pass under way drops what it wrote instead of swapping it in. */
    public synchronized void markDeleted() {
        deleted = true;
    }

    /** The engine topic of the current cleaned chain, if any (for tests and tools). */
    public Optional<String> cleanedEngineTopic() {
        CleanedChain chain = cleaned;
        return chain == null ? Optional.empty() : Optional.of(chain.engineTopic());
    }

    /** Forgets producers idle for {@code expirationMs} with no transaction open here (see PartitionLogs). */
    public synchronized void expireProducers(long nowMs, long expirationMs) {
        producers.expire(nowMs, expirationMs, transactions::openTransactionStart);
    }

    /** The idempotent producers this partition remembers (DescribeProducers). */
    public synchronized List<ProducerStateTable.ActiveProducer> activeProducers() {
        return producers.activeProducers(transactions::openTransactionStart);
    }

    /** Bytes of the stored batches, for {@code retention.bytes}. */
    public long sizeInBytes() {
        return sizeInBytes;
    }

    private void persistLogStart(long position, long offset) {
        NamedReader reader = engine.reader(engineTopic, LOG_START_READER);
        reader.commit(position, ByteBuffer.allocate(Long.BYTES).putLong(0, offset).array());
    }

    // ---- rebuild at start ---------------------------------------------------------------------------------------

    private void rebuild() {
        // An engine topic that was never written reads as empty (no need to list every topic per partition).
        Set<String> readers = engine.readerNames(engineTopic);
        long persistedStart = 0;
        if (readers.contains(LOG_START_READER)) {
            byte[] attachment = engine.reader(engineTopic, LOG_START_READER).attachment();
            if (attachment.length == Long.BYTES) {
                persistedStart = ByteBuffer.wrap(attachment).getLong();
            }
        }
        long next = persistedStart;
        long cleanedEnd = -1;
        byte[] cleanedAttachment = readers.contains(CLEANED_READER)
                ? engine.reader(engineTopic, CLEANED_READER).attachment() : new byte[0];
        // an empty attachment: the reader was created but its first commit never became durable; no chain is in use
        if (cleanedAttachment.length == Integer.BYTES + Long.BYTES) {
            ByteBuffer marker = ByteBuffer.wrap(cleanedAttachment);
            int generation = marker.getInt();
            cleanedEnd = marker.getLong();
            // a pass a crash interrupted before or after its swap leaves the next or the previous generation
            engine.deleteTopic(CleanedChain.engineTopic(engineTopic, generation + 1));
            engine.deleteTopic(CleanedChain.engineTopic(engineTopic, generation - 1));
            CleanedChain chain = CleanedChain.scan(engine, CleanedChain.engineTopic(engineTopic, generation),
                    generation, cleanedEnd, (b, p) -> replayBatch(b, p));
            sizeInBytes += chain.sizeInBytes();
            next = Math.max(next, cleanedEnd);
            cleaned = chain;
        } else {
            engine.deleteTopic(CleanedChain.engineTopic(engineTopic, 1));
        }
        long position = engine.startPosition(engineTopic);
        long firstBase = -1;
        long firstKeptPosition = -1;
        int batches = 0;
        while (true) {
            try (ReadResult scan = engine.read(engineTopic, position, 1024 * 1024)) {
                if (scan.entries().isEmpty()) {
                    break;
                }
                for (Entry e : scan.entries()) {
                    ByteBuffer b = e.data();
                    if (b.remaining() < RecordBatchHeader.HEADER_SIZE
                            || RecordBatchHeader.magic(b) != RecordBatchHeader.MAGIC_V2) {
                        log.warn("Partition {}: skipping an entry at engine position {} that is not a record batch",
                                topicPartition, e.position());
                        continue;
                    }
                    if (RecordBatchHeader.baseOffset(b) < cleanedEnd) {
                        continue; // the cleaned chain holds it: a crash came between the swap and the truncation
                    }
                    if (firstBase < 0) {
                        firstBase = RecordBatchHeader.baseOffset(b);
                        firstKeptPosition = e.position();
                    }
                    stored(RecordBatchHeader.baseOffset(b), e.position(), b.remaining(),
                            RecordBatchHeader.maxTimestamp(b), RecordBatchHeader.maxTimestamp(b));
                    replayBatch(b, e.position());
                    next = RecordBatchHeader.lastOffset(b) + 1;
                    publishedPosition = e.position();
                    batches++;
                }
                position = scan.nextPosition();
            }
        }
        if (cleanedEnd >= 0) {
            engine.truncateBefore(engineTopic, firstKeptPosition >= 0 ? firstKeptPosition : engine.endPosition(engineTopic));
        }
        publishedEnd = engine.endPosition(engineTopic);
        firstUnstableOffset = transactions.firstUnstableOffset();
        // Compaction never moves the log start offset (Kafka keeps the first segment's base), so with a cleaned chain
        // only a persisted start counts.
        logStartOffset = firstBase < 0 || cleanedEnd >= 0 ? persistedStart : Math.max(persistedStart, firstBase);
        logEndOffset = Math.max(next, logStartOffset);
        if (batches > 0) {
            log.debug("Partition {}: rebuilt {} batches, offsets {}..{}, {} producers", topicPartition, batches,
                    logStartOffset, logEndOffset, producers.size());
        }
    }

    /** One stored batch (of the cleaned chain or the partition's topic) into the producer and transaction state. */
    private void replayBatch(ByteBuffer b, long position) {
        long pid = RecordBatchHeader.producerId(b);
        long base = RecordBatchHeader.baseOffset(b);
        if (pid >= 0 && RecordBatchHeader.isControl(b)) {
            replayMarker(b, pid, base, position);
        } else if (pid >= 0) {
            recordProducerBatch(pid, RecordBatchHeader.producerEpoch(b), new BatchMetadata(
                    RecordBatchHeader.baseSequence(b), RecordBatchHeader.lastSequence(b), base,
                    RecordBatchHeader.lastOffset(b), RecordBatchHeader.maxTimestamp(b)), RecordBatchHeader.isTransactional(b));
        }
    }

    /** Replays one stored transaction marker into the producer state and the transaction index. */
    private void replayMarker(ByteBuffer batch, long producerId, long offset, long position) {
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
        for (MutableRecordBatch b : MemoryRecords.readableRecords(copy).batches()) {
            for (Record r : b) {
                ControlRecordType type = ControlRecordType.parse(r.key());
                if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                    producers.recordMarker(producerId, b.producerEpoch(), EndTransactionMarker.deserialize(r).coordinatorEpoch(),
                            offset, b.maxTimestamp());
                    transactions.onMarker(producerId, type == ControlRecordType.COMMIT, offset);
                } else {
                    log.warn("Partition {}: skipping a control record of type {} at engine position {}", topicPartition,
                            type, position);
                }
            }
        }
    }
}

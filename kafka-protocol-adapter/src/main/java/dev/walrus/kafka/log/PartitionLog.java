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
        stored(baseOffset, position, batch.remaining(), maxTimestamp);
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
        stored(offset, position, batch.remaining(), nowMs);
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

    /** Lock held: a batch now stored at {@code position} enters the offset index and the size retention counts. */
    private void stored(long baseOffset, long position, int bytes, long maxTimestamp) {
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
        if (fetchOffset >= upTo || published < 0 || (maxBytes <= 0 && !minOneBatch)) {
            return new PartitionRead(Errors.NONE, MemoryRecords.EMPTY, hw, lso, start, waitPast, noAborted);
        }
        ReadMark mark = lastReadEnd;
        long position = mark.offset() == fetchOffset && fetchOffset >= start ? mark.position() : positionOf(fetchOffset, published);
        if (position < 0) {
            return new PartitionRead(Errors.NONE, MemoryRecords.EMPTY, hw, lso, start, waitPast, noAborted);
        }
        ReadResult result = engine.read(engineTopic, position, Math.max(maxBytes, 1));
        List<ByteBuffer> views = new ArrayList<>(result.entries().size());
        int total = 0;
        Entry last = null;
        for (Entry e : result.entries()) {
            if (e.position() > published) {
                break;
            }
            ByteBuffer data = e.data();
            if (readCommitted && RecordBatchHeader.baseOffset(data) >= upTo) {
                break;
            }
            if (!views.isEmpty() || !minOneBatch) {
                if (total + data.remaining() > maxBytes) {
                    break;
                }
            }
            views.add(data);
            total += data.remaining();
            last = e;
        }
        if (views.isEmpty()) {
            result.close();
            return new PartitionRead(Errors.NONE, MemoryRecords.EMPTY, hw, lso, start, waitPast, noAborted);
        }
        long readEnd = RecordBatchHeader.lastOffset(last.data()) + 1;
        lastReadEnd = new ReadMark(readEnd, last.nextPosition());
        return new PartitionRead(Errors.NONE, new EntryRecords(result, views), hw, lso, start, waitPast,
                readCommitted ? abortedBetween(fetchOffset, readEnd) : null);
    }

    private synchronized List<PartitionRead.AbortedTransaction> abortedBetween(long from, long to) {
        return transactions.abortedOverlapping(from, to);
    }

    /** The position of the published batch holding {@code offset}, or -1 if there is none. */
    private long positionOf(long offset, long published) {
        long position = index.floorPosition(offset);
        if (position < 0) {
            return -1;
        }
        while (true) {
            try (ReadResult scan = engine.read(engineTopic, position, SCAN_BYTES)) {
                if (scan.entries().isEmpty()) {
                    return -1;
                }
                for (Entry e : scan.entries()) {
                    if (e.position() > published) {
                        return -1;
                    }
                    ByteBuffer b = e.data();
                    if (RecordBatchHeader.lastOffset(b) >= offset) {
                        return e.position();
                    }
                }
                position = scan.nextPosition();
            }
        }
    }

    // ---- offsets by timestamp -----------------------------------------------------------------------------------

    /** The first record whose timestamp is at least {@code timestamp} (Kafka's ListOffsets by timestamp). */
    public OffsetAndTimestamp offsetForTimestamp(long timestamp) {
        long published = publishedPosition;
        long position = index.timestampScanStart(timestamp);
        if (position < 0 || published < 0) {
            return OffsetAndTimestamp.NONE;
        }
        long start = logStartOffset;
        while (true) {
            try (ReadResult scan = engine.read(engineTopic, position, SCAN_BYTES)) {
                if (scan.entries().isEmpty()) {
                    return OffsetAndTimestamp.NONE;
                }
                for (Entry e : scan.entries()) {
                    if (e.position() > published) {
                        return OffsetAndTimestamp.NONE;
                    }
                    ByteBuffer b = e.data();
                    if (RecordBatchHeader.maxTimestamp(b) >= timestamp && RecordBatchHeader.lastOffset(b) >= start) {
                        OffsetAndTimestamp found = firstRecordAtOrAfter(b, timestamp, start);
                        if (found != null) {
                            return found;
                        }
                    }
                }
                position = scan.nextPosition();
            }
        }
    }

    /** The record with the largest timestamp (the first such, if several): ListOffsets MAX_TIMESTAMP. */
    public OffsetAndTimestamp maxTimestampOffset() {
        long max = index.maxTimestamp();
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
     * whole files by itself once they are fully truncated): {@code retention.ms} drops the leading batches whose max
     * timestamp is older than the limit; {@code retention.bytes} drops leading batches while what remains after
     * dropping one is still at least the limit.
     *
     * @return the new log start offset
     */
    public long applyRetention(long nowMs) {
        LogConfig cfg = config;
        long retentionMs = cfg.retentionMs();
        long retentionBytes = cfg.retentionBytes();
        boolean bySize = retentionBytes >= 0 && sizeInBytes > retentionBytes;
        if ((retentionMs < 0 && !bySize) || logEndOffset == logStartOffset) {
            return logStartOffset;
        }
        long cutoff = retentionMs < 0 ? Long.MIN_VALUE : nowMs - retentionMs;
        long published = publishedPosition;
        long position = index.floorPosition(logStartOffset);
        long remaining = sizeInBytes;
        long keepFrom = logEndOffset;
        scan:
        while (position >= 0) {
            try (ReadResult scan = engine.read(engineTopic, position, SCAN_BYTES)) {
                if (scan.entries().isEmpty()) {
                    break;
                }
                for (Entry e : scan.entries()) {
                    if (e.position() > published) {
                        break scan;
                    }
                    ByteBuffer b = e.data();
                    boolean expired = RecordBatchHeader.maxTimestamp(b) < cutoff;
                    boolean overSize = retentionBytes >= 0 && remaining - b.remaining() >= retentionBytes;
                    if (RecordBatchHeader.lastOffset(b) >= logStartOffset && !expired && !overSize) {
                        keepFrom = Math.max(logStartOffset, RecordBatchHeader.baseOffset(b));
                        break scan;
                    }
                    remaining -= b.remaining();
                }
                position = scan.nextPosition();
            }
        }
        if (keepFrom > logStartOffset) {
            log.info("Partition {}: retention (retention.ms {}, retention.bytes {}) moves the log start offset from {} to {}",
                    topicPartition, retentionMs, retentionBytes, logStartOffset, keepFrom);
            truncateBefore(keepFrom);
        }
        return logStartOffset;
    }

    /**
     * Moves the log start offset forward (retention, DeleteRecords): whole batches before it are dropped from the
     * engine; a batch that straddles it stays, and fetches below the new start are refused as Kafka does.
     */
    public synchronized void truncateBefore(long newLogStartOffset) {
        if (newLogStartOffset <= logStartOffset) {
            return;
        }
        long target = Math.min(newLogStartOffset, logEndOffset);
        long published = publishedPosition;
        long position = published < 0 ? -1 : positionOf(target, published);
        long endPosition = engine.endPosition(engineTopic);
        long cut = position < 0 ? endPosition : position;
        persistLogStart(cut, target);
        logStartOffset = target;
        sizeInBytes -= bytesBefore(cut);
        engine.truncateBefore(engineTopic, cut);
        if (position < 0) {
            index.clear();
        } else {
            try (ReadResult first = engine.read(engineTopic, position, 1)) {
                if (!first.entries().isEmpty()) {
                    index.truncateBefore(RecordBatchHeader.baseOffset(first.entries().getFirst().data()), position);
                }
            }
        }
        producers.truncateBefore(target);
        transactions.truncateBefore(target);
    }

    /** Bytes of the stored batches before an engine position (what a truncation there drops). */
    private long bytesBefore(long cut) {
        long bytes = 0;
        long position = engine.startPosition(engineTopic);
        while (position < cut) {
            try (ReadResult scan = engine.read(engineTopic, position, SCAN_BYTES)) {
                if (scan.entries().isEmpty()) {
                    break;
                }
                for (Entry e : scan.entries()) {
                    if (e.position() >= cut) {
                        return bytes;
                    }
                    bytes += e.data().remaining();
                }
                position = scan.nextPosition();
            }
        }
        return bytes;
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
        long persistedStart = 0;
        if (engine.readerNames(engineTopic).contains(LOG_START_READER)) {
            byte[] attachment = engine.reader(engineTopic, LOG_START_READER).attachment();
            if (attachment.length == Long.BYTES) {
                persistedStart = ByteBuffer.wrap(attachment).getLong();
            }
        }
        long position = engine.startPosition(engineTopic);
        long firstBase = -1;
        long next = persistedStart;
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
                    long base = RecordBatchHeader.baseOffset(b);
                    long last = RecordBatchHeader.lastOffset(b);
                    if (firstBase < 0) {
                        firstBase = base;
                    }
                    stored(base, e.position(), b.remaining(), RecordBatchHeader.maxTimestamp(b));
                    long pid = RecordBatchHeader.producerId(b);
                    if (pid >= 0 && RecordBatchHeader.isControl(b)) {
                        replayMarker(b, pid, base, e.position());
                    } else if (pid >= 0) {
                        recordProducerBatch(pid, RecordBatchHeader.producerEpoch(b), new BatchMetadata(
                                RecordBatchHeader.baseSequence(b), RecordBatchHeader.lastSequence(b), base, last,
                                RecordBatchHeader.maxTimestamp(b)), RecordBatchHeader.isTransactional(b));
                    }
                    next = last + 1;
                    publishedPosition = e.position();
                    batches++;
                }
                position = scan.nextPosition();
            }
        }
        publishedEnd = engine.endPosition(engineTopic);
        firstUnstableOffset = transactions.firstUnstableOffset();
        logStartOffset = firstBase < 0 ? persistedStart : Math.max(persistedStart, firstBase);
        logEndOffset = Math.max(next, logStartOffset);
        if (batches > 0) {
            log.debug("Partition {}: rebuilt {} batches, offsets {}..{}, {} producers", topicPartition, batches,
                    logStartOffset, logEndOffset, producers.size());
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

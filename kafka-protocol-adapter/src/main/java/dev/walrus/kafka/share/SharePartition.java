package dev.walrus.kafka.share;

import dev.walrus.kafka.log.EntryRecords;
import dev.walrus.kafka.log.PartitionLog;
import dev.walrus.kafka.log.PartitionRead;
import dev.walrus.kafka.log.RecordBatchHeader;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The delivery state of one share partition (KIP-932; Kafka's SharePartition): the share-partition start offset
 * (SPSO, below which every record is done), the next offset never acquired, and the in-flight records between them
 * with their state, delivery count and acquisition lock.
 *
 * <p>Rules, as Kafka's: a record is acquired by one member at a time, for the group's lock duration; a member
 * acknowledges what it acquired (ACCEPT, RELEASE, REJECT; GAP for an offset without a record); a released or timed-out
 * record is AVAILABLE again unless it used up its delivery attempts, then it is ARCHIVED; the SPSO moves past the
 * leading records that are done. Control batches (transaction markers) are never delivered; with read_committed,
 * records of aborted transactions are archived instead of delivered.
 *
 * <p>Threading: every method is synchronized; callers persist {@link #snapshot()} after a change, under the same
 * lock (see {@link SharePartitions}), so the share group log holds the states in the order they happened.
 */
final class SharePartition {

    private final SharePartitionKey key;
    private long startOffset;
    private long nextOffset;
    private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();
    /** Set when the state is deleted (DeleteShareGroupOffsets, DeleteGroups, topic deleted): it is never saved again. */
    private boolean deleted;

    private static final class InFlight {
        DeliveryState state;
        short deliveryCount;
        String memberId;
        long lockDeadlineMs;

        InFlight(DeliveryState state, short deliveryCount) {
            this.state = state;
            this.deliveryCount = deliveryCount;
        }
    }

    SharePartition(SharePartitionKey key, long startOffset) {
        this.key = key;
        this.startOffset = startOffset;
        this.nextOffset = startOffset;
    }

    /** A share partition as last persisted: records acquired then are available again (their locks died). */
    static SharePartition restored(SharePartitionKey key, long startOffset, List<StateBatch> batches) {
        SharePartition sp = new SharePartition(key, startOffset);
        for (StateBatch b : batches) {
            for (long o = Math.max(b.firstOffset(), startOffset); o <= b.lastOffset(); o++) {
                sp.inFlight.put(o, new InFlight(b.state(), b.deliveryCount()));
                sp.nextOffset = Math.max(sp.nextOffset, o + 1);
            }
        }
        sp.advanceStart();
        return sp;
    }

    SharePartitionKey key() {
        return key;
    }

    synchronized long startOffset() {
        return startOffset;
    }

    synchronized boolean deleted() {
        return deleted;
    }

    synchronized void markDeleted() {
        deleted = true;
    }

    /** Records acquired by one ShareFetch from one partition: the batches holding them and the acquired ranges. */
    record Acquisition(Errors error, BaseRecords records, List<AcquiredRange> acquired, int count, long earliestLockDeadline) {
        static final Acquisition NONE = new Acquisition(Errors.NONE, MemoryRecords.EMPTY, List.of(), 0, Long.MAX_VALUE);
    }

    /** Consecutive acquired offsets with the same delivery count (ShareFetch's AcquiredRecords). */
    record AcquiredRange(long firstOffset, long lastOffset, short deliveryCount) {}

    /**
     * Acquires records for {@code memberId}: first the AVAILABLE in-flight ones (redeliveries), then new ones from the
     * log, whole batches at a time, until {@code maxRecords} (exceeded to finish a batch unless {@code strict}, as
     * Kafka's batch-optimized acquire mode does), {@code maxBytes} or the in-flight limit is reached. Newly acquired
     * records are reported in ranges of about {@code batchSize} records (see {@link #splitByBatchSize}).
     */
    synchronized Acquisition acquire(String memberId, PartitionLog log, int maxRecords, int maxBytes, boolean strict,
                                     int batchSize, boolean readCommitted, int maxInFlight, long lockDurationMs,
                                     long nowMs) {
        if (deleted || maxRecords <= 0) {
            return Acquisition.NONE;
        }
        long logStart = log.logStartOffset();
        if (startOffset < logStart) {
            // retention or DeleteRecords removed records the group had not finished: they are gone for it too
            inFlight.headMap(logStart).clear();
            startOffset = logStart;
            nextOffset = Math.max(nextOffset, logStart);
        }
        long upTo = readCommitted ? log.lastStableOffset() : log.highWatermark();
        Long firstAvailable = firstAvailable();
        long from = firstAvailable != null ? firstAvailable : nextOffset;
        boolean newRoom = nextOffset < upTo && nextOffset - startOffset < maxInFlight;
        if (firstAvailable == null && !newRoom) {
            return Acquisition.NONE;
        }
        PartitionRead read = log.read(from, maxBytes, true, readCommitted);
        if (read.error() != Errors.NONE) {
            read.release();
            return new Acquisition(read.error(), MemoryRecords.EMPTY, List.of(), 0, Long.MAX_VALUE);
        }
        if (!(read.records() instanceof EntryRecords entries)) {
            read.release();
            return Acquisition.NONE;
        }
        AbortedTransactions aborted = new AbortedTransactions(read.abortedTransactions());
        List<ByteBuffer> kept = new ArrayList<>();
        TreeMap<Long, Short> acquiredNow = new TreeMap<>();
        /** The base offsets of the batches that gave new (never acquired) records: where a range may be split. */
        List<Long> newBatchBases = new ArrayList<>();
        long firstNew = nextOffset;
        int budget = maxRecords;
        long lockDeadline = nowMs + lockDurationMs;
        for (ByteBuffer batch : entries.batches()) {
            if (budget <= 0) {
                break;
            }
            long base = RecordBatchHeader.baseOffset(batch);
            long last = RecordBatchHeader.lastOffset(batch);
            if (last < from) {
                continue;
            }
            boolean control = RecordBatchHeader.isControl(batch);
            boolean abortedData = aborted.isAborted(batch, base, control);
            int taken = 0;
            for (long o = Math.max(base, from); o <= last && (!strict || taken < budget); o++) {
                if (o < nextOffset) {
                    InFlight r = inFlight.get(o);
                    if (r == null || r.state != DeliveryState.AVAILABLE) {
                        continue;
                    }
                    if (control || abortedData) {
                        r.state = DeliveryState.ARCHIVED;
                        continue;
                    }
                    acquireOne(r, memberId, lockDeadline);
                    acquiredNow.put(o, r.deliveryCount);
                    taken++;
                } else {
                    if (o >= upTo || o - startOffset >= maxInFlight) {
                        break;
                    }
                    nextOffset = o + 1;
                    if (control || abortedData) {
                        inFlight.put(o, new InFlight(DeliveryState.ARCHIVED, (short) 0));
                        continue;
                    }
                    InFlight r = new InFlight(DeliveryState.AVAILABLE, (short) 0);
                    inFlight.put(o, r);
                    acquireOne(r, memberId, lockDeadline);
                    acquiredNow.put(o, r.deliveryCount);
                    taken++;
                }
            }
            if (taken > 0) {
                kept.add(batch);
                budget -= taken;
                if (last >= firstNew) {
                    newBatchBases.add(base);
                }
            }
        }
        advanceStart();
        if (kept.isEmpty()) {
            entries.close();
            return Acquisition.NONE;
        }
        List<AcquiredRange> ranges = strict ? ranges(acquiredNow)
                : splitByBatchSize(ranges(acquiredNow), firstNew, newBatchBases, batchSize);
        return new Acquisition(Errors.NONE, entries.keepOnly(kept), ranges, acquiredNow.size(), lockDeadline);
    }

    /**
     * ShareFetch's {@code BatchSize} as Kafka's SharePartition applies it (batch-optimized mode only, to records
     * acquired for the first time): a range of new records longer than {@code batchSize} is cut at the first record
     * batch that starts {@code batchSize} or more offsets after the current range's first offset, so ranges follow
     * record batch boundaries and hold about {@code batchSize} records each. Redelivered records keep their ranges.
     */
    static List<AcquiredRange> splitByBatchSize(List<AcquiredRange> ranges, long firstNew, List<Long> batchBases,
                                                int batchSize) {
        if (batchSize <= 0 || batchBases.isEmpty()) {
            return ranges;
        }
        List<AcquiredRange> split = new ArrayList<>();
        for (AcquiredRange r : ranges) {
            if (r.lastOffset() < firstNew || r.lastOffset() - r.firstOffset() + 1 <= batchSize) {
                split.add(r);
                continue;
            }
            long current = r.firstOffset();
            for (long base : batchBases) {
                if (base > r.lastOffset()) {
                    break;
                }
                if (base > current && base - current >= batchSize) {
                    split.add(new AcquiredRange(current, base - 1, r.deliveryCount()));
                    current = base;
                }
            }
            split.add(new AcquiredRange(current, r.lastOffset(), r.deliveryCount()));
        }
        return split;
    }

    /**
     * How many bytes a fetch could acquire now, without acquiring them: the log's bytes from the first available
     * record (or the next never-acquired offset) up to {@code maxBytes}, or none when nothing is acquirable (the
     * in-flight limit reached, nothing new). As Kafka's DelayedShareFetch, this assumes all fetched data is acquirable;
     * a read error counts as enough (the fetch answers with it).
     */
    synchronized int acquirableBytes(PartitionLog log, int maxBytes, boolean readCommitted, int maxInFlight) {
        if (deleted || maxBytes <= 0) {
            return 0;
        }
        long upTo = readCommitted ? log.lastStableOffset() : log.highWatermark();
        Long firstAvailable = firstAvailable();
        long from = firstAvailable != null ? firstAvailable : Math.max(nextOffset, log.logStartOffset());
        boolean newRoom = from < upTo && nextOffset - startOffset < maxInFlight;
        if (firstAvailable == null && !newRoom) {
            return 0;
        }
        PartitionRead read = log.read(from, maxBytes, true, readCommitted);
        try {
            return read.error() != Errors.NONE ? Integer.MAX_VALUE : Math.min(maxBytes, read.records().sizeInBytes());
        } finally {
            read.release();
        }
    }

    private static void acquireOne(InFlight r, String memberId, long lockDeadline) {
        r.state = DeliveryState.ACQUIRED;
        r.deliveryCount++;
        r.memberId = memberId;
        r.lockDeadlineMs = lockDeadline;
    }

    private Long firstAvailable() {
        for (Map.Entry<Long, InFlight> e : inFlight.entrySet()) {
            if (e.getValue().state == DeliveryState.AVAILABLE) {
                return e.getKey();
            }
        }
        return null;
    }

    private static List<AcquiredRange> ranges(TreeMap<Long, Short> offsets) {
        List<AcquiredRange> ranges = new ArrayList<>();
        long first = -1;
        long last = -1;
        short count = 0;
        for (Map.Entry<Long, Short> e : offsets.entrySet()) {
            if (first >= 0 && e.getKey() == last + 1 && e.getValue() == count) {
                last = e.getKey();
                continue;
            }
            if (first >= 0) {
                ranges.add(new AcquiredRange(first, last, count));
            }
            first = e.getKey();
            last = e.getKey();
            count = e.getValue();
        }
        if (first >= 0) {
            ranges.add(new AcquiredRange(first, last, count));
        }
        return ranges;
    }

    /**
     * A record archived for good that goes to the group's dead-letter queue (KIP-1191): rejected by a member, or its
     * delivery attempts used up; with the delivery count it had.
     */
    record DeadRecord(long offset, short deliveryCount, boolean rejected) {}

    /** One acknowledgement batch of a request: an offset range and one type for all, or one per offset. */
    record AckBatch(long firstOffset, long lastOffset, List<Byte> types) {}

    /** What acknowledging did: the partition's error, and whether records became available to others. */
    record AckResult(Errors error, String message, boolean changed, boolean madeAvailable) {}

    /**
     * Applies a member's acknowledgements, all or nothing: each offset must be acquired by this member (else
     * INVALID_RECORD_STATE, as Kafka answers), the batches well formed (else INVALID_REQUEST). Records archived
     * by a REJECT or by running out of delivery attempts are added to {@code dead} (null: not collected).
     */
    synchronized AckResult acknowledge(String memberId, List<AckBatch> batches, int deliveryLimit, long lockDurationMs,
                                       long nowMs, List<DeadRecord> dead) {
        if (deleted) {
            return new AckResult(Errors.INVALID_RECORD_STATE, "The share partition state was deleted.", false, false);
        }
        for (AckBatch b : batches) {
            long size = b.lastOffset() - b.firstOffset() + 1;
            if (size <= 0 || (b.types().size() != 1 && b.types().size() != size)) {
                return new AckResult(Errors.INVALID_REQUEST, "Invalid acknowledgement batch " + b.firstOffset() + "-"
                        + b.lastOffset() + ".", false, false);
            }
            for (int i = 0; i < size; i++) {
                AcknowledgeType type = AcknowledgeType.forId(b.types().get(b.types().size() == 1 ? 0 : i));
                if (type == null) {
                    return new AckResult(Errors.INVALID_REQUEST, "Invalid acknowledge type.", false, false);
                }
                long o = b.firstOffset() + i;
                InFlight r = inFlight.get(o);
                if (type == AcknowledgeType.GAP && (r == null || r.state.done())) {
                    continue;
                }
                if (r == null || r.state != DeliveryState.ACQUIRED || !memberId.equals(r.memberId)) {
                    return new AckResult(Errors.INVALID_RECORD_STATE, "The record state is invalid. The acknowledgement "
                            + "of delivery could not be completed.", false, false);
                }
            }
        }
        boolean madeAvailable = false;
        for (AckBatch b : batches) {
            long size = b.lastOffset() - b.firstOffset() + 1;
            for (int i = 0; i < size; i++) {
                AcknowledgeType type = AcknowledgeType.forId(b.types().get(b.types().size() == 1 ? 0 : i));
                long offset = b.firstOffset() + i;
                InFlight r = inFlight.get(offset);
                if (r == null || r.state != DeliveryState.ACQUIRED) {
                    continue;
                }
                switch (type) {
                    case ACCEPT -> done(r, DeliveryState.ACKNOWLEDGED);
                    case GAP -> done(r, DeliveryState.ARCHIVED);
                    case REJECT -> {
                        done(r, DeliveryState.ARCHIVED);
                        if (dead != null) {
                            dead.add(new DeadRecord(offset, r.deliveryCount, true));
                        }
                    }
                    case RELEASE -> madeAvailable |= release(offset, r, deliveryLimit, dead);
                    case RENEW -> r.lockDeadlineMs = nowMs + lockDurationMs;
                }
            }
        }
        advanceStart();
        return new AckResult(Errors.NONE, null, true, madeAvailable);
    }

    private static void done(InFlight r, DeliveryState state) {
        r.state = state;
        r.memberId = null;
    }

    /**
     * Back to AVAILABLE, or ARCHIVED once the delivery attempts are used up (then added to {@code dead} unless null);
     * whether it is available again.
     */
    private static boolean release(long offset, InFlight r, int deliveryLimit, List<DeadRecord> dead) {
        r.memberId = null;
        if (r.deliveryCount >= deliveryLimit) {
            r.state = DeliveryState.ARCHIVED;
            if (dead != null) {
                dead.add(new DeadRecord(offset, r.deliveryCount, false));
            }
            return false;
        }
        r.state = DeliveryState.AVAILABLE;
        return true;
    }

    /** Releases what a member still holds (its share session closed, or its connection). Whether anything changed. */
    synchronized boolean releaseMember(String memberId, int deliveryLimit, List<DeadRecord> dead) {
        boolean changed = false;
        for (Map.Entry<Long, InFlight> e : inFlight.entrySet()) {
            InFlight r = e.getValue();
            if (r.state == DeliveryState.ACQUIRED && memberId.equals(r.memberId)) {
                release(e.getKey(), r, deliveryLimit, dead);
                changed = true;
            }
        }
        if (changed) {
            advanceStart();
        }
        return changed;
    }

    /**
     * Releases the records whose acquisition lock has run out (Kafka's acquisition lock timeout).
     *
     * @return the earliest lock deadline still to come (Long.MAX_VALUE for none), and whether anything changed
     */
    synchronized long[] expireLocks(int deliveryLimit, long nowMs, List<DeadRecord> dead) {
        boolean changed = false;
        long next = Long.MAX_VALUE;
        for (Map.Entry<Long, InFlight> e : inFlight.entrySet()) {
            InFlight r = e.getValue();
            if (r.state != DeliveryState.ACQUIRED) {
                continue;
            }
            if (r.lockDeadlineMs <= nowMs) {
                release(e.getKey(), r, deliveryLimit, dead);
                changed = true;
            } else {
                next = Math.min(next, r.lockDeadlineMs);
            }
        }
        if (changed) {
            advanceStart();
        }
        return new long[] {next, changed ? 1 : 0};
    }

    /** AlterShareGroupOffsets: the partition starts again at {@code offset}, nothing in flight. */
    synchronized void reset(long offset) {
        inFlight.clear();
        startOffset = offset;
        nextOffset = offset;
    }

    /** Records past the SPSO already done (acknowledged or archived): the lag leaves them out, as Kafka's does. */
    synchronized long lag(long endOffset) {
        long done = inFlight.values().stream().filter(r -> r.state.done()).count();
        return Math.max(0, endOffset - startOffset - done);
    }

    /** Moves the SPSO past the leading records that are done, and past offsets without records. */
    private void advanceStart() {
        while (startOffset < nextOffset) {
            InFlight r = inFlight.get(startOffset);
            if (r == null) {
                Long next = inFlight.ceilingKey(startOffset);
                startOffset = next == null ? nextOffset : next;
                continue;
            }
            if (!r.state.done()) {
                break;
            }
            inFlight.remove(startOffset);
            startOffset++;
        }
    }

    /**
     * The state to persist: the SPSO and the in-flight records as runs. A record acquired now is saved as available
     * with the count it had before this delivery: acquisitions are not persisted (as in Kafka), so after a restart it
     * is delivered again.
     */
    synchronized Snapshot snapshot() {
        List<StateBatch> batches = new ArrayList<>();
        long first = -1;
        long last = -1;
        DeliveryState state = null;
        short count = 0;
        for (Map.Entry<Long, InFlight> e : inFlight.entrySet()) {
            InFlight r = e.getValue();
            DeliveryState s = r.state == DeliveryState.ACQUIRED ? DeliveryState.AVAILABLE : r.state;
            short c = r.state == DeliveryState.ACQUIRED ? (short) (r.deliveryCount - 1) : r.deliveryCount;
            if (first >= 0 && e.getKey() == last + 1 && s == state && c == count) {
                last = e.getKey();
                continue;
            }
            if (first >= 0) {
                batches.add(new StateBatch(first, last, state, count));
            }
            first = e.getKey();
            last = e.getKey();
            state = s;
            count = c;
        }
        if (first >= 0) {
            batches.add(new StateBatch(first, last, state, count));
        }
        return new Snapshot(key, startOffset, batches);
    }

    /** A share partition's persisted state. */
    record Snapshot(SharePartitionKey key, long startOffset, List<StateBatch> batches) {}

    /**
     * Which transactional batches of a read_committed read belong to aborted transactions, walking the batches in
     * offset order as Kafka's consumer does: a producer's transaction is aborted from its first offset up to its
     * abort marker.
     */
    private static final class AbortedTransactions {
        private final List<PartitionRead.AbortedTransaction> pending;
        private final Map<Long, Long> active = new HashMap<>();

        AbortedTransactions(List<PartitionRead.AbortedTransaction> aborted) {
            pending = aborted == null ? new ArrayList<>() : new ArrayList<>(aborted);
            pending.sort(Comparator.comparingLong(PartitionRead.AbortedTransaction::firstOffset));
        }

        boolean isAborted(ByteBuffer batch, long base, boolean control) {
            long last = RecordBatchHeader.lastOffset(batch);
            while (!pending.isEmpty() && pending.get(0).firstOffset() <= last) {
                PartitionRead.AbortedTransaction a = pending.remove(0);
                active.put(a.producerId(), a.firstOffset());
            }
            if (!RecordBatchHeader.isTransactional(batch)) {
                return false;
            }
            long producerId = RecordBatchHeader.producerId(batch);
            if (control) {
                active.remove(producerId);
                return false;
            }
            return active.containsKey(producerId);
        }
    }
}

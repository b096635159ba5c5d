package dev.walrus.kafka.producer;

import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The idempotent producers of one partition: per producer id, its epoch and its last
 * {@value #RETAINED_BATCHES} batches (Kafka's {@code ProducerStateEntry.NUM_BATCHES_TO_RETAIN}, which is also the
 * most in-flight requests an idempotent producer may have).
 *
 * <p>Rebuilt at start from the batch headers in the log, so it survives a restart without a snapshot of its own.
 * A producer stays when retention or DeleteRecords drops its batches, as Kafka keeps it in memory, so that its next
 * batch is checked against its sequence as before; only expiry forgets it ({@link #expire}). After a restart a
 * producer none of whose batches is left is unknown, and its next batch is accepted at any sequence.
 *
 * <p>Threading: guarded by the owning partition log's lock (every call happens under it).
 */
public final class ProducerStateTable {

    public static final int RETAINED_BATCHES = 5;
    private static final short NO_EPOCH = -1;

    private final Map<Long, Entry> producers = new HashMap<>();

    private static final class Entry {
        short epoch = NO_EPOCH;
        final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(RETAINED_BATCHES);
        /** Offset and timestamp of the producer's last batch or transaction marker here. */
        long lastOffset = -1;
        long lastTimestamp = -1;
        /** The coordinator epoch of the last marker written for this producer; -1 before any. */
        int coordinatorEpoch = -1;

        int lastSeq() {
            return batches.isEmpty() ? -1 : batches.peekLast().lastSeq();
        }
    }

    /** Kafka's ladder (UnifiedLog duplicate check, then ProducerAppendInfo's epoch and sequence checks). */
    public SequenceCheck check(long producerId, short epoch, int firstSeq, int lastSeq) {
        Entry entry = producers.get(producerId);
        if (entry == null) {
            // No state (new producer, or its batches were all removed by retention): any sequence is accepted.
            return SequenceCheck.ACCEPT;
        }
        if (epoch == entry.epoch) {
            for (BatchMetadata b : entry.batches) {
                if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) {
                    return new SequenceCheck.Duplicate(b);
                }
            }
        }
        if (epoch < entry.epoch) {
            return new SequenceCheck.Reject(Errors.INVALID_PRODUCER_EPOCH, "Epoch of producer " + producerId
                    + " is " + epoch + ", which is smaller than the last seen epoch " + entry.epoch);
        }
        if (epoch != entry.epoch) {
            if (firstSeq != 0 && entry.epoch != NO_EPOCH) {
                return new SequenceCheck.Reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "Invalid sequence number for"
                        + " new epoch of producer " + producerId + " at epoch " + epoch + ": " + firstSeq
                        + " (request epoch), 0 (expected)");
            }
            return SequenceCheck.ACCEPT;
        }
        int currentLastSeq = entry.lastSeq();
        // No batch of this epoch yet (a transaction marker moved the producer to it): the first must start at 0.
        if (!inSequence(currentLastSeq, firstSeq)) {
            return new SequenceCheck.Reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "Out of order sequence number for"
                    + " producer " + producerId + " at epoch " + epoch + ": " + firstSeq + " (incoming seq. number), "
                    + currentLastSeq + " (current end sequence number)");
        }
        return SequenceCheck.ACCEPT;
    }

    /** Records an appended batch (also used when replaying the log at start, where no check applies). */
    public void record(long producerId, short epoch, BatchMetadata batch) {
        Entry entry = producers.computeIfAbsent(producerId, id -> new Entry());
        if (epoch != entry.epoch) {
            entry.epoch = epoch;
            entry.batches.clear();
        }
        if (entry.batches.size() == RETAINED_BATCHES) {
            entry.batches.removeFirst();
        }
        entry.batches.addLast(batch);
        entry.lastOffset = batch.lastOffset();
        entry.lastTimestamp = batch.timestamp();
    }

    /**
     * Records a transaction marker the coordinator wrote for a producer (also when replaying the log). A marker of a
     * newer epoch (the coordinator fenced the producer) moves the producer to it, forgetting the old epoch's batches
     * as Kafka does, so that the fenced epoch's requests are refused and the new one starts its sequences afresh.
     */
    public void recordMarker(long producerId, short epoch, int coordinatorEpoch, long offset, long timestamp) {
        Entry entry = producers.computeIfAbsent(producerId, id -> new Entry());
        if (epoch > entry.epoch) {
            entry.epoch = epoch;
            entry.batches.clear();
        }
        entry.lastOffset = offset;
        entry.lastTimestamp = timestamp;
        entry.coordinatorEpoch = coordinatorEpoch;
    }

    /**
     * Whether a marker written from outside the coordinator (WriteTxnMarkers) may be appended, as Kafka's partition
     * checks it: not of an epoch older than the producer's (INVALID_PRODUCER_EPOCH), not of an older coordinator
     * epoch (TRANSACTION_COORDINATOR_FENCED).
     */
    public Errors checkMarker(long producerId, short epoch, int coordinatorEpoch) {
        Entry entry = producers.get(producerId);
        if (entry == null) {
            return Errors.NONE;
        }
        if (epoch < entry.epoch) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        return coordinatorEpoch < entry.coordinatorEpoch ? Errors.TRANSACTION_COORDINATOR_FENCED : Errors.NONE;
    }

    /**
     * Forgets the producers whose last batch or marker is at least {@code expirationMs} old (by its timestamp, as
     * Kafka judges it) and that have no transaction open here; their next batch is then accepted at any sequence.
     */
    public void expire(long nowMs, long expirationMs, java.util.function.LongUnaryOperator openTransactionStart) {
        producers.entrySet().removeIf(e -> openTransactionStart.applyAsLong(e.getKey()) < 0
                && nowMs - e.getValue().lastTimestamp >= expirationMs);
    }

    public int size() {
        return producers.size();
    }

    /**
     * Each producer's last batch or transaction marker here, by its offset: the log cleaner keeps a marker that is
     * its producer's last entry, since it carries the producer's latest epoch.
     */
    public Map<Long, Long> lastEntryOffsets() {
        Map<Long, Long> last = new HashMap<>();
        producers.forEach((id, e) -> last.put(id, e.lastOffset));
        return last;
    }

    public Map<Long, Long> lastDataBatchOffsets() {
        Map<Long, Long> last = new HashMap<>();
        producers.forEach((id, e) -> {
            if (!e.batches.isEmpty()) {
                last.put(id, e.batches.peekLast().lastOffset());
            }
        });
        return last;
    }

    /**
     * One producer's latest state, what DescribeProducers reports.
     *
     * @param currentTxnStartOffset the first offset of its open transaction in this partition, -1 if none
     */
    public record ActiveProducer(long producerId, short epoch, int lastSequence, long lastTimestamp,
                                 int coordinatorEpoch, long currentTxnStartOffset) {}

    /**
     * The producers with state here, by id; the caller holds the owning partition's lock.
     *
     * @param openTransactionStart a producer's open transaction's first offset here, -1 if none
     */
    public List<ActiveProducer> activeProducers(java.util.function.LongUnaryOperator openTransactionStart) {
        List<ActiveProducer> active = new ArrayList<>(producers.size());
        producers.forEach((id, e) -> active.add(new ActiveProducer(id, e.epoch, e.lastSeq(), e.lastTimestamp,
                e.coordinatorEpoch, openTransactionStart.applyAsLong(id))));
        active.sort(Comparator.comparingLong(ActiveProducer::producerId));
        return active;
    }

    private static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1 || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }
}

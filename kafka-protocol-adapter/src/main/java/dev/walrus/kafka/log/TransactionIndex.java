package dev.walrus.kafka.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The transactions of one partition: the open ones (their first offsets hold back the last stable offset) and the
 * aborted ones (what a read_committed fetch must be told to skip), Kafka's producer-state "ongoing transactions" and
 * transaction index.
 *
 * <p>Rebuilt at start from the batch headers and markers in the log, like the producer state. Aborted entries are
 * dropped once retention passes their marker.
 *
 * <p>Threading: guarded by the owning partition log's lock; reads of the aborted list happen under it too.
 */
final class TransactionIndex {

    /** An aborted transaction: its producer, its first offset, and the offset of its abort marker. */
    record Aborted(long producerId, long firstOffset, long lastOffset) {}

    private final Map<Long, Long> firstOffsetByProducer = new HashMap<>();
    /** First offset of each open transaction, to the producer (offsets are unique, so one entry each). */
    private final TreeMap<Long, Long> openFirstOffsets = new TreeMap<>();
    /** In marker (lastOffset) order, as appended. */
    private final ArrayList<Aborted> aborted = new ArrayList<>();
    /** The widest aborted transaction seen (lastOffset - firstOffset): bounds the scan in {@link #abortedOverlapping}. */
    private long widestAborted;

    /** A transactional batch was appended at {@code baseOffset}: it opens the producer's transaction here if none is. */
    void onTransactionalBatch(long producerId, long baseOffset) {
        if (firstOffsetByProducer.putIfAbsent(producerId, baseOffset) == null) {
            openFirstOffsets.put(baseOffset, producerId);
        }
    }

    /** A marker was appended at {@code markerOffset}: the producer's open transaction here, if any, ends. */
    void onMarker(long producerId, boolean commit, long markerOffset) {
        Long first = firstOffsetByProducer.remove(producerId);
        if (first == null) {
            return;
        }
        openFirstOffsets.remove(first);
        if (!commit) {
            aborted.add(new Aborted(producerId, first, markerOffset));
            widestAborted = Math.max(widestAborted, markerOffset - first);
        }
    }

    /** The aborted transactions, oldest marker first (a copy, for the log cleaner). */
    List<Aborted> aborted() {
        return List.copyOf(aborted);
    }

    /** The first offset of the oldest open transaction, or -1 when none is open. */
    long firstUnstableOffset() {
        return openFirstOffsets.isEmpty() ? -1 : openFirstOffsets.firstKey();
    }

    /** The first offset of the producer's open transaction here, or -1. */
    long openTransactionStart(long producerId) {
        return firstOffsetByProducer.getOrDefault(producerId, -1L);
    }

    /** Aborted transactions with records in {@code [from, to)}: those whose marker is at or after {@code from}. */
    List<PartitionRead.AbortedTransaction> abortedOverlapping(long from, long to) {
        List<PartitionRead.AbortedTransaction> found = new ArrayList<>();
        int lo = 0;
        int hi = aborted.size();
        while (lo < hi) { // first entry whose marker is at or after from
            int mid = (lo + hi) >>> 1;
            if (aborted.get(mid).lastOffset() < from) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo; i < aborted.size(); i++) {
            Aborted a = aborted.get(i);
            if (a.lastOffset() - widestAborted >= to) {
                break; // markers only grow: every later transaction starts at or after `to`
            }
            if (a.firstOffset() < to) {
                found.add(new PartitionRead.AbortedTransaction(a.producerId(), a.firstOffset()));
            }
        }
        return found;
    }

    /**
     * The log cleaner removed the abort marker of this transaction (and every record of it before): no fetch needs to
     * skip it any more, and a read_committed consumer told of it would wait for a marker that is gone.
     */
    void forgetAborted(long producerId, long markerOffset) {
        aborted.removeIf(a -> a.producerId() == producerId && a.lastOffset() == markerOffset);
    }

    /** Retention moved the log start: aborted transactions whose marker is gone no longer matter to any fetch. */
    void truncateBefore(long logStartOffset) {
        int drop = 0;
        while (drop < aborted.size() && aborted.get(drop).lastOffset() < logStartOffset) {
            drop++;
        }
        if (drop > 0) {
            aborted.subList(0, drop).clear();
        }
    }
}
